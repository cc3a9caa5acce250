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

  /** Pieces learned from a little code, so models read multi-character tokens. */
  private static final CodeTokens TOKENS =
      CodeTokens.learn(
          List.of(
              List.of(
                  "public int f(int a) {\n  return a + 1;\n}\n",
                  "class A {\n  void g() {\n    return;\n  }\n}\n",
                  "int x = f(2);\nint y = f(x);\n")),
          40);

  @Test
  void tokensRoundTripEveryTextAndReadOthersAsUnknown() {
    assertEquals(100, CodeTokens.CHARACTERS);
    assertTrue(TOKENS.pieces().contains("int") && TOKENS.pieces().contains("return"));
    String code = "int x = a[i] + 1;\n\tif (x > 0) { return \"~ok\"; }";
    int[] ids = TOKENS.encode(code);
    assertEquals(code, TOKENS.decode(ids, 0, ids.length));
    assertTrue(ids.length < code.length(), "pieces make the text shorter");
    assertEquals(code.length(), CodeTokens.characters().encode(code).length);
    assertEquals("a?b", TOKENS.decode(TOKENS.encode("a\u00e9b\r"), 0, 3));
    SplittableRandom rng = new SplittableRandom(17);
    for (int trial = 0; trial < 200; trial++) {
      StringBuilder sb = new StringBuilder();
      int n = rng.nextInt(60);
      for (int i = 0; i < n; i++) {
        int kind = rng.nextInt(6);
        sb.append(
            kind == 0
                ? "\n    "
                : kind == 1 ? TOKENS.pieces().get(rng.nextInt(TOKENS.pieces().size())) : "");
        sb.append((char) (kind == 2 ? '\t' : ' ' + rng.nextInt(95)));
      }
      int[] t = TOKENS.encode(sb.toString());
      assertEquals(sb.toString(), TOKENS.decode(t, 0, t.length), "trial " + trial);
    }
  }

  @Test
  void aSmallSourceWeighsAsMuchAsALargeOne() {
    List<String> big = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      big.add("value and other" + i % 7 + " ");
    }
    // 1,000 of "value" in 8,500 characters weigh less than 2 of "rareName" in 17
    CodeTokens t = CodeTokens.learn(List.of(big, List.of("rareName rareName")), 3);
    assertEquals(List.of("rareName", "and", "value"), t.pieces());
    assertEquals(List.of(), CodeTokens.learn(List.of(List.of("once")), 10).pieces());
  }

  @Test
  void cachedGenerationMatchesFullPassesForPromptsOfDifferentLengths() {
    long seed = 11;
    CodeLanguageModel model =
        CodeLanguageModel.initialise(TINY, TOKENS, new SplittableRandom(seed));
    List<String> prompts = List.of("x", "public int f(", "class A {\n  void g() {", "//");
    List<String> out = model.generate(prompts, 12, 0, new SplittableRandom(seed));
    int checked = 0;
    for (int i = 0; i < prompts.size(); i++) {
      String text = prompts.get(i);
      String made = out.get(i);
      for (int k = 0; k < made.length(); ) {
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
        if (logits[best] - logits[second] <= 1e-3) {
          break; // a near tie: which of the two was written is not known, so stop here
        }
        String piece = TOKENS.decode(new int[] {best}, 0, 1);
        assertTrue(
            made.startsWith(piece, k),
            "seed " + seed + ", prompt " + i + ", at " + k + ": '" + piece + "' vs '" + made + "'");
        k += Math.max(1, piece.length());
        checked++;
      }
    }
    assertTrue(checked >= 24, "only " + checked + " tokens had a clear best");
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
    CodeLanguageModel model =
        CodeLanguageModel.initialise(TINY, TOKENS, new SplittableRandom(seed));
    CodeLanguageModel.Trained t =
        model.fineTune(data, 10, 8, 3e-3, new SplittableRandom(seed), null);
    assertTrue(t.loss() < 0.1, "final loss " + t.loss() + ", seed " + seed);
    List<String> out =
        t.model()
            .generate(
                List.of(pairs[0][0], pairs[1][0], pairs[2][0]), 40, 0, new SplittableRandom(seed));
    assertEquals(List.of(pairs[0][1], pairs[1][1], pairs[2][1]), out, "seed " + seed);
  }

  @Test
  void fineTuningStepSizeFallsAfterTheWarmUpAndPreTrainingKeepsItsPeak() {
    // 10 steps, 2 of warm-up: 0.5, 1, then 1 (constant) or the cosine over the 8 left
    assertEquals(0.5, CodeTrainer.rate(1.0, 0, 10, 2, true), 1e-12);
    assertEquals(1.0, CodeTrainer.rate(1.0, 1, 10, 2, true), 1e-12);
    assertEquals(1.0, CodeTrainer.rate(1.0, 2, 10, 2, true), 1e-12);
    assertEquals(0.5, CodeTrainer.rate(1.0, 6, 10, 2, true), 1e-12);
    assertEquals(
        0.5 * (1 + Math.cos(Math.PI * 7 / 8)), CodeTrainer.rate(1.0, 9, 10, 2, true), 1e-12);
    assertEquals(1.0, CodeTrainer.rate(1.0, 9, 10, 2, false), 1e-12);
    double previous = Double.MAX_VALUE;
    for (int s = 0; s < 40; s++) {
      double r = CodeTrainer.rate(3e-3, s, 40, 0, true);
      assertTrue(r > 0 && r < previous, "step " + s + ": " + r);
      previous = r;
    }
  }

  @Test
  void outputLayerGradientMatchesFiniteDifferencesOfTheCompletionLoss() {
    long seed = 3;
    CodeLanguageModel model =
        CodeLanguageModel.initialise(TINY, TOKENS, new SplittableRandom(seed));
    Example e = Example.ofPromptCompletion("int f() {", " return 1; }", "x", "s");
    float[] row = model.completionLossAndGradients(List.of(e))[0];
    int out = model.tensors() - 2;
    int width = TINY.width();
    SplittableRandom rng = new SplittableRandom(seed);
    double h = 1e-2;
    for (int trial = 0; trial < 12; trial++) {
      boolean bias = trial % 4 == 3;
      int tensor = bias ? out + 1 : out;
      int index = rng.nextInt(bias ? TOKENS.size() : TOKENS.size() * width);
      float w = model.parameter(tensor, index);
      double up =
          model.withParameter(tensor, index, (float) (w + h))
              .completionLossAndGradients(List.of(e))[0][0];
      double down =
          model.withParameter(tensor, index, (float) (w - h))
              .completionLossAndGradients(List.of(e))[0][0];
      double numeric = (up - down) / (2 * h);
      double analytic = row[1 + (bias ? TOKENS.size() * width : 0) + index];
      assertEquals(
          numeric,
          analytic,
          2e-4 + 0.02 * Math.abs(numeric),
          "tensor " + tensor + " entry " + index + ", seed " + seed);
    }
  }

  @Test
  void gradientMeanAndDotsAgreeWithTheExplicitGradients() {
    long seed = 9;
    CodeLanguageModel model =
        CodeLanguageModel.initialise(TINY, TOKENS, new SplittableRandom(seed));
    List<Example> examples =
        List.of(
            Example.ofPromptCompletion("int f() {", " return 1; }", "x", "s"),
            Example.ofPromptCompletion("class A {", "\n  void g() {}\n}", "x", "s"),
            Example.ofPromptCompletion("x", "y = f(x);", "x", "s"));
    float[][] rows = model.completionLossAndGradients(examples);
    float[] mean = model.meanCompletionGradient(examples);
    float[] direction = new float[mean.length];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int j = 0; j < direction.length; j++) {
      direction[j] = (float) rng.nextGaussian();
      double m = (rows[0][j + 1] + rows[1][j + 1] + rows[2][j + 1]) / 3.0;
      assertEquals(m, mean[j], 1e-6 + 1e-4 * Math.abs(m), "entry " + j + ", seed " + seed);
    }
    double[] dots = model.completionGradientDots(examples, direction);
    for (int i = 0; i < rows.length; i++) {
      double dot = 0;
      for (int j = 0; j < direction.length; j++) {
        dot += rows[i][j + 1] * direction[j];
      }
      assertEquals(dot, dots[i], 1e-4 + 1e-4 * Math.abs(dot), "example " + i + ", seed " + seed);
    }
  }
}
