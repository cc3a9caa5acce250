package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Example;

class CodeLanguageModelTest {
  private static final CodeLanguageModel.Config TINY =
      new CodeLanguageModel.Config(32, 2, 4, 64, 96);

  @Test
  void charactersRoundTripAndOthersReadAsUnknown() {
    String code = "int x = a[i] + 1;\n\tif (x > 0) { return \"~ok\"; }";
    int[] ids = CharTokens.encode(code);
    assertEquals(code, CharTokens.decode(ids, 0, ids.length));
    assertEquals(CharTokens.SIZE, 100);
    assertEquals("a?b", CharTokens.decode(CharTokens.encode("a\u00e9b\r"), 0, 3));
  }

  @Test
  void cachedGenerationMatchesFullPassesForPromptsOfDifferentLengths() {
    long seed = 11;
    CodeLanguageModel model = CodeLanguageModel.initialise(TINY, new SplittableRandom(seed));
    List<String> prompts = List.of("x", "public int f(", "class A {\n  void g() {", "//");
    List<String> out = model.generate(prompts, 12, 0, new SplittableRandom(seed));
    int checked = 0;
    for (int i = 0; i < prompts.size(); i++) {
      String text = prompts.get(i);
      String made = out.get(i);
      for (int k = 0; k < made.length(); k++) {
        float[] logits = model.nextLogits(text + made.substring(0, k));
        int best = 1;
        int second = 2;
        for (int j = 1; j < logits.length; j++) {
          if (logits[j] > logits[best]) {
            second = best;
            best = j;
          } else if (j != best && logits[j] > logits[second]) {
            second = j;
          }
        }
        if (logits[best] - logits[second] > 1e-3) {
          assertEquals(
              CharTokens.decode(new int[] {best}, 0, 1),
              made.substring(k, k + 1),
              "seed " + seed + ", prompt " + i + ", character " + k);
          checked++;
        }
      }
    }
    assertTrue(checked >= 24, "only " + checked + " characters had a clear best");
  }

  @Test
  void fineTuningTeachesCompletionsThatGreedyGenerationReproducesInOneBatch() {
    long seed = 5;
    List<Example> data = new ArrayList<>();
    String[][] pairs = {
      {"Task: add\n", "return a + b;\n"},
      {"A longer task: subtract two numbers\n", "return a - b;\n"},
      {"Task: mul\n", "return a * b;\n"}
    };
    for (int r = 0; r < 40; r++) {
      for (String[] p : pairs) {
        data.add(Example.ofPromptCompletion(p[0], p[1], "task", "s"));
      }
    }
    CodeLanguageModel model = CodeLanguageModel.initialise(TINY, new SplittableRandom(seed));
    CodeLanguageModel.Trained t =
        model.fineTune(data, 6, 8, 3e-3, new SplittableRandom(seed), null);
    assertTrue(t.loss() < 0.1, "final loss " + t.loss() + ", seed " + seed);
    List<String> out =
        t.model()
            .generate(
                List.of(pairs[0][0], pairs[1][0], pairs[2][0]), 40, 0, new SplittableRandom(seed));
    assertEquals(List.of(pairs[0][1], pairs[1][1], pairs[2][1]), out, "seed " + seed);
  }

  @Test
  void outputLayerGradientMatchesFiniteDifferencesOfTheCompletionLoss() {
    long seed = 3;
    CodeLanguageModel model = CodeLanguageModel.initialise(TINY, new SplittableRandom(seed));
    Example e = Example.ofPromptCompletion("int f() {", " return 1; }", "x", "s");
    float[] row = model.completionLossAndGradients(List.of(e))[0];
    int out = model.tensors() - 2;
    int width = TINY.width();
    SplittableRandom rng = new SplittableRandom(seed);
    double h = 1e-2;
    for (int trial = 0; trial < 12; trial++) {
      boolean bias = trial % 4 == 3;
      int tensor = bias ? out + 1 : out;
      int index = rng.nextInt(bias ? CharTokens.SIZE : CharTokens.SIZE * width);
      float w = model.parameter(tensor, index);
      double up =
          model.withParameter(tensor, index, (float) (w + h))
              .completionLossAndGradients(List.of(e))[0][0];
      double down =
          model.withParameter(tensor, index, (float) (w - h))
              .completionLossAndGradients(List.of(e))[0][0];
      double numeric = (up - down) / (2 * h);
      double analytic = row[1 + (bias ? CharTokens.SIZE * width : 0) + index];
      assertEquals(
          numeric,
          analytic,
          2e-4 + 0.02 * Math.abs(numeric),
          "tensor " + tensor + " entry " + index + ", seed " + seed);
    }
  }
}
