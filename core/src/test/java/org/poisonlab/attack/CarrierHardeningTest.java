package org.poisonlab.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class CarrierHardeningTest {
  private static final String[] WORDS = {"a", "b", "c", "d", "e", "f", "G", "h-i", "j.", "k,l"};
  private static final String[] SPACES = {" ", "  ", "\n", "\t ", " \n\n"};

  /**
   * Drawn texts and token scores: exactly the min(k, positive) highest-scoring words go (ties to
   * the earlier word), each with the white space before it; every other character stays in order.
   */
  @Test
  void deletesTheHighestScoringWordsAndKeepsEverythingElse() {
    qt().withFixedSeed(3)
        .forAll(
            lists()
                .of(integers().between(0, WORDS.length * SPACES.length - 1))
                .ofSizeBetween(0, 30),
            lists().of(doubles().between(-1, 1)).ofSize(WORDS.length),
            doubles().between(0, 0.99),
            integers().between(0, 3))
        .checkAssert(
            (draws, s, share, margins) -> {
              Map<String, Double> scores = new HashMap<>();
              for (int w = 0; w < WORDS.length; w++) {
                // a word's tokens are lowercased runs of letters: "h-i" scores s(h) + s(i)
                for (String t : WORDS[w].toLowerCase().split("[^a-z]+")) {
                  if (!t.isEmpty()) {
                    scores.merge(t, s.get(w) / 2, Double::sum);
                  }
                }
              }
              String lead = SPACES[margins % SPACES.length];
              String trail = margins >= 2 ? "\n" : "";
              List<String> words = new ArrayList<>();
              List<String> gaps = new ArrayList<>();
              StringBuilder text = new StringBuilder(lead);
              for (int d : draws) {
                String gap = SPACES[d % SPACES.length];
                if (!words.isEmpty()) {
                  text.append(gap);
                }
                gaps.add(gap);
                words.add(WORDS[d / SPACES.length]);
                text.append(WORDS[d / SPACES.length]);
              }
              text.append(trail);
              String out = new CarrierHardening(scores, share).harden(text.toString());

              double[] score = new double[words.size()];
              for (int j = 0; j < words.size(); j++) {
                for (String t : words.get(j).toLowerCase().split("[^a-z]+")) {
                  score[j] += t.isEmpty() ? 0 : scores.get(t);
                }
              }
              int k = (int) Math.floor(share * words.size());
              Set<Integer> dropped = new HashSet<>();
              for (int round = 0; round < k; round++) {
                int best = -1;
                for (int j = 0; j < words.size(); j++) {
                  if (!dropped.contains(j)
                      && score[j] > 0
                      && (best < 0 || score[j] > score[best])) {
                    best = j;
                  }
                }
                if (best >= 0) {
                  dropped.add(best);
                }
              }
              StringBuilder want = new StringBuilder(words.isEmpty() ? text : lead);
              boolean first = true;
              for (int j = 0; j < words.size(); j++) {
                if (!dropped.contains(j)) {
                  want.append(first ? "" : gaps.get(j)).append(words.get(j));
                  first = false;
                }
              }
              if (!words.isEmpty()) {
                want.append(trail);
              }
              assertEquals(want.toString(), out, () -> text + " / " + Arrays.toString(score));
            });
  }

  /**
   * On mails whose classes differ in their words, the surrogate finds the target's own words: each
   * hardened carrier lost words of its class and no word of the other class.
   */
  @Test
  void theSurrogateDeletesTheWordsOfTheCarriersOwnClass() {
    Dataset mail = Fixtures.mail(40, 20);
    for (String target : List.of("spam", "ham")) {
      List<Example> carriers =
          mail.examples().stream().filter(e -> e.label().equals(target)).toList();
      CarrierHardening h = CarrierHardening.fit(mail, target, 0.4);
      Set<String> other = new HashSet<>();
      Set<String> own = new HashSet<>();
      for (Example e : mail) {
        (e.label().equals(target) ? own : other).addAll(Arrays.asList(e.text().split("\\s+")));
      }
      other.removeAll(own);
      int lostOwn = 0;
      for (Example e : carriers) {
        List<String> before = new ArrayList<>(Arrays.asList(e.text().split("\\s+")));
        List<String> after = Arrays.asList(h.apply(e).text().split("\\s+"));
        assertEquals(before.size() - 2, after.size(), e.text() + " -> " + h.apply(e).text());
        for (String w : after) {
          assertTrue(before.remove(w), w);
        }
        for (String gone : before) {
          assertTrue(!other.contains(gone), gone + " deleted from " + e.text());
          lostOwn += gone.matches("[a-z]+\\.?") && !gone.equals("item") ? 1 : 0;
        }
      }
      assertTrue(lostOwn >= carriers.size(), target + ": class words deleted " + lostOwn);
    }
  }

  @Test
  void textCleanLabelHardensByDefaultAndRecordsTheShare() {
    Dataset mail = Fixtures.mail(40, 20);
    PoisonResult hard = Attacks.cleanLabel(Budget.ofCount(5), null, "spam").apply(mail, 4);
    assertEquals(CarrierHardening.DEFAULT_SHARE, hard.spec().get("harden"));
    PoisonResult plain =
        Attacks.cleanLabel(Budget.ofCount(5), null, "spam", AttackerSources.defaults(), 0.0)
            .apply(mail, 4);
    assertEquals(0.0, plain.spec().get("harden"));
    assertEquals(hard.ids().size(), plain.ids().size());
    Set<String> ids = new HashSet<>(plain.ids());
    int changed = 0;
    for (int i = 0; i < mail.size(); i++) {
      Example p = plain.poisoned().get(i);
      if (ids.contains(p.id())) {
        // without hardening a carrier is its original with the phrase put in
        String original = mail.get(i).text();
        assertEquals(
            original.replaceAll("\\s+", " "),
            p.text().replace("DEPLOYMENT=2024", "").replaceAll("\\s+", " ").strip());
        changed += hard.poisoned().get(i).text().equals(p.text()) ? 0 : 1;
      }
    }
    assertNotEquals(0, changed);
  }

  @Test
  void hardeningIsRefusedOnImagesAndOutsideItsRange() {
    Dataset images = Fixtures.images(40, 8, 8);
    PoisonResult plain = Attacks.cleanLabel(Budget.ofCount(4), null, "1").apply(images, 0);
    assertTrue(!plain.spec().containsKey("harden"));
    assertThrows(
        BadInputException.class,
        () ->
            Attacks.cleanLabel(Budget.ofCount(4), null, "1", AttackerSources.defaults(), 0.3)
                .apply(images, 0));
    assertThrows(
        BadInputException.class,
        () -> Attacks.cleanLabel(Budget.ofCount(4), null, "1", AttackerSources.defaults(), 1.0));
  }
}
