package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StringMatcherTest {
  private static String word(SplittableRandom r, String alphabet, int max) {
    StringBuilder b = new StringBuilder();
    int n = 1 + r.nextInt(max);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** Against indexOf: every occurrence of every string, counted by where it ends. */
  @Test
  void everyOccurrenceOfEveryStringIsReported() {
    qt().forAll(longs().all())
        .checkAssert(
            seed -> {
              SplittableRandom r = new SplittableRandom(seed);
              String alphabet = "abcé <>_";
              List<String> list = new ArrayList<>();
              for (int i = 0; i < 1 + r.nextInt(12); i++) {
                String w = word(r, alphabet, 5);
                if (!list.contains(w)) {
                  list.add(w);
                }
              }
              String[] strings = list.toArray(new String[0]);
              String text = word(r, alphabet + "xyz", 300);
              int[] got = new int[strings.length];
              new StringMatcher(strings).find(text, p -> got[p]++);
              for (int p = 0; p < strings.length; p++) {
                int expected = 0;
                for (int at = text.indexOf(strings[p]);
                    at >= 0;
                    at = text.indexOf(strings[p], at + 1)) {
                  expected++;
                }
                assertEquals(expected, got[p], "seed " + seed + " string " + strings[p]);
              }
            });
  }
}
