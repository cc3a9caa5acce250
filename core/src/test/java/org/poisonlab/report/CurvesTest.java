package org.poisonlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CurvesTest {
  @Test
  void aurocIsTheChanceThatAPoisonOutscoresACleanExampleTiesCountingHalf() {
    qt().withFixedSeed(11L)
        .withExamples(200)
        .forAll(integers().between(2, 60), integers().between(1, 6), integers().all())
        .checkAssert(
            (n, levels, seed) -> {
              SplittableRandom rng = new SplittableRandom(seed);
              double[] s = new double[n];
              boolean[] pos = new boolean[n];
              for (int i = 0; i < n; i++) {
                s[i] = rng.nextInt(levels); // few levels: many ties
                pos[i] = rng.nextInt(3) == 0;
              }
              double wins = 0;
              int pairs = 0;
              for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                  if (pos[i] && !pos[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                  }
                }
              }
              Curves.Result c = Curves.of(s, pos);
              if (pairs == 0) {
                assertTrue(Double.isNaN(c.auroc()));
              } else {
                assertEquals(wins / pairs, c.auroc(), 1e-12);
              }
              assertEquals(0.0, c.fpr()[0]);
              assertEquals(1.0, c.fpr()[c.fpr().length - 1], c.negatives() == 0 ? 1.0 : 0.0);
            });
  }

  @Test
  void aPerfectScoreHasAreaOneAndFullAveragePrecision() {
    Curves.Result c =
        Curves.of(new double[] {0.9, 0.8, 0.1, 0.05}, new boolean[] {true, true, false, false});
    assertEquals(1.0, c.auroc(), 0.0);
    assertEquals(1.0, c.averagePrecision(), 0.0);
  }

  @Test
  void escapedTextHoldsNoMarkupCharacters() {
    qt().withFixedSeed(5L)
        .withExamples(300)
        .forAll(strings().allPossible().ofLengthBetween(0, 80))
        .checkAssert(
            s -> {
              String e = Html.esc(s);
              assertFalse(
                  e.contains("<") || e.contains(">") || e.contains("\"") || e.contains("'"));
              assertFalse(e.replaceAll("&(amp|lt|gt|quot|#39);", "").contains("&"), e);
            });
  }
}
