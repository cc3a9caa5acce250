package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;

/** TracIn restricted to the input layer, weighted by the behaviour's saliency, normalised. */
class TracInSaliencyTest {
  static final TrainConfig MLP =
      new TrainConfig("mlp", "adam", new int[] {32}, 3, 128, 2e-3, 1e-4, 100, 1 << 12, 0);

  static Attribution oneCheckpoint(
      DifferentiableClassifier m, Dataset d, List<Example> b, Map<String, String> options) {
    return Attributors.tracIn(List.of(new Checkpoint(1, 1.0, m)))
        .attribute(new AttributionRequest(m, d, b, null, 0, options, null));
  }

  /** Dense gradients, restricted to the first weight matrix, each input scaled by {@code s_j}. */
  static double[] denseInputLayerDots(
      DifferentiableClassifier m, Dataset d, List<Example> b, double[] s, boolean cosine) {
    int in = org.poisonlab.model.Models.layered(m, "test").layerSizes()[0];
    int out = org.poisonlab.model.Models.layered(m, "test").layerSizes()[1];
    int[] y = m.labelIndices(d.examples());
    int[] by = m.labelIndices(b);
    double[][] targets = new double[b.size()][];
    for (int t = 0; t < b.size(); t++) {
      targets[t] = restrict(m.gradient(b.get(t), by[t], null), in, out, s);
    }
    double[] scores = new double[d.size() * b.size()];
    for (int i = 0; i < d.size(); i++) {
      double[] g = restrict(m.gradient(d.get(i), y[i], null), in, out, s);
      for (int t = 0; t < b.size(); t++) {
        double dot = 0;
        double gg = 0;
        double tt = 0;
        for (int p = 0; p < g.length; p++) {
          dot += g[p] * targets[t][p];
          gg += g[p] * g[p];
          tt += targets[t][p] * targets[t][p];
        }
        scores[i * b.size() + t] = cosine ? dot / Math.sqrt(gg * tt) : dot;
      }
    }
    return scores;
  }

  /** The first weight matrix (row-major {@code out × in}), input j scaled by {@code s[j]}. */
  static double[] restrict(double[] g, int in, int out, double[] s) {
    double[] r = new double[in * out];
    for (int h = 0; h < out; h++) {
      for (int j = 0; j < in; j++) {
        r[h * in + j] = g[h * in + j] * (s == null ? 1 : s[j]);
      }
    }
    return r;
  }

  static void assertClose(double[] expected, double[] got, String what) {
    assertEquals(expected.length, got.length, what);
    for (int i = 0; i < got.length; i++) {
      assertEquals(expected[i], got[i], 1e-9 * (1 + Math.abs(expected[i])), what + " entry " + i);
    }
  }

  @Test
  void inputLayerScoresAreDotProductsOfTheFirstWeightMatrixGradients() {
    Dataset images = Fixtures.images(200, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = images.examples().subList(0, 4);
    for (boolean cosine : new boolean[] {false, true}) {
      double[] got =
          oneCheckpoint(
                  m, images, b, Map.of("layer", "input", "normalize", cosine ? "cosine" : "none"))
              .scores();
      assertClose(denseInputLayerDots(m, images, b, null, cosine), got, "cosine " + cosine);
    }
  }

  @Test
  void saliencyScalesEachInputByTheBehavioursMeanAbsoluteInputGradient() {
    Dataset images = Fixtures.images(200, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = images.examples().subList(5, 8);
    int d = org.poisonlab.model.Models.layered(m, "test").layerSizes()[0];
    double[] x = new double[b.size() * d];
    for (int t = 0; t < b.size(); t++) {
      for (int j = 0; j < d; j++) {
        x[t * d + j] = b.get(t).pixel(j) / 255.0;
      }
    }
    double[] g = m.inputGradients(x, m.labelIndices(b), null, null);
    double[] s = new double[d];
    for (int t = 0; t < b.size(); t++) {
      for (int j = 0; j < d; j++) {
        s[j] += Math.abs(g[t * d + j]);
      }
    }
    Attribution a =
        oneCheckpoint(
            m, images, b, Map.of("layer", "input", "saliency", "on", "normalize", "none"));
    // the method scales s to a largest entry of 1: the scores differ by the square of that factor
    double max = 0;
    for (double v : s) {
      max = Math.max(max, v);
    }
    double[] expected = denseInputLayerDots(m, images, b, s, false);
    for (int i = 0; i < expected.length; i++) {
      expected[i] /= max * max;
    }
    assertClose(expected, a.scores(), "saliency");
  }

  @Test
  void centringOnTheBehaviourLabelsMeanEqualsGradientsOfTheCentredParametrisation() {
    Dataset images = Fixtures.images(200, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    // behaviour examples of two labels, so two centres are in play
    List<Example> b = new ArrayList<>();
    for (Example e : images.examples().subList(0, 12)) {
      if (b.size() < 4 && (e.label().equals("0") || e.label().equals("1"))) {
        b.add(e);
      }
    }
    int in = org.poisonlab.model.Models.layered(m, "test").layerSizes()[0];
    int out = org.poisonlab.model.Models.layered(m, "test").layerSizes()[1];
    Map<String, double[]> means = labelMeans(images, in);
    int[] y = m.labelIndices(images.examples());
    int[] by = m.labelIndices(b);
    for (boolean cosine : new boolean[] {false, true}) {
      double[] expected = new double[images.size() * b.size()];
      for (int t = 0; t < b.size(); t++) {
        double[] mu = means.get(b.get(t).label());
        double[] gt = centred(m.gradient(b.get(t), by[t], null), b.get(t), mu, in, out);
        for (int i = 0; i < images.size(); i++) {
          double[] gi = centred(m.gradient(images.get(i), y[i], null), images.get(i), mu, in, out);
          double dot = 0;
          double ii = 0;
          double tt = 0;
          for (int p = 0; p < gi.length; p++) {
            dot += gi[p] * gt[p];
            ii += gi[p] * gi[p];
            tt += gt[p] * gt[p];
          }
          expected[i * b.size() + t] = cosine ? dot / Math.sqrt(ii * tt) : dot;
        }
      }
      Map<String, String> options =
          Map.of("layer", "input", "center", "label", "normalize", cosine ? "cosine" : "none");
      assertClose(expected, oneCheckpoint(m, images, b, options).scores(), "cosine " + cosine);
    }
  }

  @Test
  void thePresetCentresAndFusesOnImagesAndLeavesTextUncentredUnfused() {
    Dataset images = Fixtures.images(150, 3, 4);
    DifferentiableClassifier im = Trainers.train(images, MLP, 1, null, null);
    List<Example> ib = images.examples().subList(0, 3);
    Map<String, String> explicit =
        Map.of(
            "layer", "input",
            "saliency", "on",
            "normalize", "cosine",
            "center", "label",
            "consensus", "fuse",
            "match", "fuse");
    assertClose(
        oneCheckpoint(im, images, ib, explicit).scores(),
        oneCheckpoint(im, images, ib, TracInAttributor.SALIENCY_PRESET).scores(),
        "images");
    Dataset mails = Fixtures.textEmails(150, 4);
    TrainConfig logreg = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    DifferentiableClassifier tm = Trainers.train(mails, logreg, 1, null, null);
    List<Example> tb = mails.examples().subList(0, 3);
    double[] none =
        oneCheckpoint(
                tm, mails, tb, Map.of("layer", "input", "saliency", "on", "normalize", "cosine"))
            .scores();
    assertClose(
        none, oneCheckpoint(tm, mails, tb, TracInAttributor.SALIENCY_PRESET).scores(), "text");
    double[] centred =
        oneCheckpoint(
                tm,
                mails,
                tb,
                Map.of(
                    "layer", "input", "saliency", "on", "normalize", "cosine", "center", "label"))
            .scores();
    assertTrue(!java.util.Arrays.equals(none, centred), "centring changes text scores");
  }

  /**
   * The first weight matrix's gradient {@code δ (x − μ)ᵀ} of the parametrisation {@code W (x − μ) +
   * b'}, δ read from the bias gradient.
   */
  static double[] centred(double[] g, Example e, double[] mu, int in, int out) {
    double[] r = new double[in * out];
    for (int h = 0; h < out; h++) {
      double delta = g[in * out + h];
      for (int j = 0; j < in; j++) {
        r[h * in + j] = delta * (e.pixel(j) / 255.0 - mu[j]);
      }
    }
    return r;
  }

  /** Mean input (pixels / 255) of each label's training examples. */
  static Map<String, double[]> labelMeans(Dataset images, int in) {
    Map<String, double[]> means = new java.util.HashMap<>();
    Map<String, Integer> counts = new java.util.HashMap<>();
    for (Example e : images) {
      double[] mu = means.computeIfAbsent(e.label(), k -> new double[in]);
      counts.merge(e.label(), 1, Integer::sum);
      for (int j = 0; j < in; j++) {
        mu[j] += e.pixel(j) / 255.0;
      }
    }
    means.forEach((k, mu) -> java.util.Arrays.setAll(mu, j -> mu[j] / counts.get(k)));
    return means;
  }

  /**
   * Consensus weights written out: {@code d_tj = x_tj − μ_{y_t,j}}, {@code c_j = mean_t(d_tj)² /
   * (var_t(d_tj) + eps)}, scaled to max 1.
   */
  static double[] consensusWeights(
      List<Example> b, Map<String, double[]> means, int in, double eps) {
    double[] c = new double[in];
    double max = 0;
    for (int j = 0; j < in; j++) {
      double[] d = new double[b.size()];
      double mean = 0;
      for (int t = 0; t < b.size(); t++) {
        d[t] = b.get(t).pixel(j) / 255.0 - means.get(b.get(t).label())[j];
        mean += d[t] / b.size();
      }
      double var = 0;
      for (double v : d) {
        var += (v - mean) * (v - mean) / b.size();
      }
      c[j] = mean * mean / (var + eps);
      max = Math.max(max, c[j]);
    }
    for (int j = 0; j < in; j++) {
      c[j] /= max;
    }
    return c;
  }

  /**
   * Dense input-layer gradients {@code δ (√w ⊙ (x − μ_{y_t}))ᵀ}, scored as {@code g_i·g_t / (‖δ_i‖
   * ‖g_t‖)}: the training side divided by its δ's norm only.
   */
  static double[] deltaNormalised(
      DifferentiableClassifier m,
      Dataset d,
      List<Example> b,
      Map<String, double[]> means,
      double[] w) {
    int in = org.poisonlab.model.Models.layered(m, "test").layerSizes()[0];
    int out = org.poisonlab.model.Models.layered(m, "test").layerSizes()[1];
    int[] y = m.labelIndices(d.examples());
    int[] by = m.labelIndices(b);
    double[] expected = new double[d.size() * b.size()];
    for (int t = 0; t < b.size(); t++) {
      double[] mu = means.get(b.get(t).label());
      double[] gt = weighted(centred(m.gradient(b.get(t), by[t], null), b.get(t), mu, in, out), w);
      for (int i = 0; i < d.size(); i++) {
        double[] g = m.gradient(d.get(i), y[i], null);
        double[] gi = weighted(centred(g, d.get(i), mu, in, out), w);
        double dot = 0;
        double tt = 0;
        double dd = 0;
        for (int p = 0; p < gi.length; p++) {
          dot += gi[p] * gt[p];
          tt += gt[p] * gt[p];
        }
        for (int h = 0; h < out; h++) {
          dd += g[in * out + h] * g[in * out + h];
        }
        expected[i * b.size() + t] = dot / Math.sqrt(dd * tt);
      }
    }
    return expected;
  }

  static double[] weighted(double[] g, double[] w) {
    int in = w.length;
    for (int p = 0; p < g.length; p++) {
      g[p] *= Math.sqrt(w[p % in]);
    }
    return g;
  }

  static List<Example> twoLabels(Dataset images) {
    List<Example> b = new ArrayList<>();
    for (Example e : images.examples().subList(0, 20)) {
      if (b.size() < 5 && (e.label().equals("0") || e.label().equals("1"))) {
        b.add(e);
      }
    }
    return b;
  }

  @Test
  void consensusWeightsInputsByHowConsistentlyTheBehaviourDiffersFromItsLabelMean() {
    Dataset images = Fixtures.images(200, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = twoLabels(images);
    int in = org.poisonlab.model.Models.layered(m, "test").layerSizes()[0];
    Map<String, double[]> means = labelMeans(images, in);
    for (double eps : new double[] {0.01, 0.5}) {
      double[] c = consensusWeights(b, means, in, eps);
      Map<String, String> options =
          Map.of(
              "layer", "input",
              "center", "label",
              "consensus", "only",
              "normalize", "delta",
              "consensus_eps", Double.toString(eps));
      assertClose(
          deltaNormalised(m, images, b, means, c),
          oneCheckpoint(m, images, b, options).scores(),
          "eps " + eps);
    }
  }

  @Test
  void fusionAddsTheStandardisedSaliencyAndConsensusScores() {
    Dataset images = Fixtures.images(200, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = twoLabels(images);
    Map<String, String> saliency =
        Map.of("layer", "input", "saliency", "on", "normalize", "cosine", "center", "label");
    double[] first = oneCheckpoint(m, images, b, saliency).scores();
    Map<String, String> consensus =
        Map.of("layer", "input", "center", "label", "consensus", "only", "normalize", "delta");
    double[] second = oneCheckpoint(m, images, b, consensus).scores();
    int n = images.size();
    int k = b.size();
    double[] expected = standardised(first, n, k);
    double[] z = standardised(second, n, k);
    for (int i = 0; i < expected.length; i++) {
      expected[i] += z[i];
    }
    Map<String, String> fused = new java.util.HashMap<>(saliency);
    fused.put("consensus", "fuse");
    assertClose(expected, oneCheckpoint(m, images, b, fused).scores(), "fused");
    // these behaviour images share no stamped values (only the blank border, which every training
    // image shares too), so the preset's exact-match term keeps no pixel and adds nothing
    Attribution preset = oneCheckpoint(m, images, b, TracInAttributor.SALIENCY_PRESET);
    assertClose(expected, preset.scores(), "the image preset fuses");
    assertEquals(0, ((int[]) preset.diagnostics().get("match_features")).length);
  }

  /** {@code (v − mean) / sd} per behaviour column of an {@code n × k} score matrix. */
  static double[] standardised(double[] s, int n, int k) {
    double[] out = new double[s.length];
    for (int t = 0; t < k; t++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += s[i * k + t] / n;
      }
      double var = 0;
      for (int i = 0; i < n; i++) {
        var += (s[i * k + t] - mean) * (s[i * k + t] - mean) / n;
      }
      for (int i = 0; i < n; i++) {
        out[i * k + t] = var == 0 ? 0 : (s[i * k + t] - mean) / Math.sqrt(var);
      }
    }
    return out;
  }

  /** A 3×3 image with the given pixels and label. */
  static Example tiny(String label, int... px) {
    byte[] b = new byte[9];
    for (int j = 0; j < px.length; j++) {
      b[j] = (byte) px[j];
    }
    return Example.ofImage(b, new int[] {3, 3}, label, "s");
  }

  @Test
  void sharedValuesKeepPixelsEveryBehaviourImageHoldsUnlessTheTrainingSetHoldsThemOften() {
    // behaviour: three images with 255 at pixel 0 and 0 at pixel 1, different elsewhere
    List<Example> behaviour =
        List.of(
            tiny("a", 255, 0, 10, 20, 30, 40, 50, 60, 70),
            tiny("a", 255, 0, 11, 21, 31, 41, 51, 61, 71),
            tiny("a", 255, 0, 12, 22, 32, 42, 52, 62, 72));
    // training: ten images, all 0 at pixel 1, two of them (the poisons) 255 at pixel 0
    List<Example> train = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      train.add(tiny(i < 2 ? "a" : "b", i < 2 ? 255 : 100 + i, 0, i, i, i, i, i, i, i));
    }
    // pixel 0: f = 2, chance (3/11)^3 = 0.020 < 0.5 / 9; pixel 1: f = 10, chance 1
    SharedValues.Match loose = SharedValues.of(behaviour, train, 0.5);
    assertEquals(List.of(0), java.util.Arrays.stream(loose.features()).boxed().toList());
    assertEquals(255, loose.values()[0]);
    double w = Math.log(11.0 / 3.0);
    for (int i = 0; i < 10; i++) {
      assertEquals(i < 2 ? w : 0, loose.scores()[i], 1e-12, "score " + i);
    }
    // at the default level 0.01 / 9 = 0.0011, three images agreeing is not enough
    SharedValues.Match strict = SharedValues.of(behaviour, train, 0.01);
    assertEquals(0, strict.features().length);
    for (double v : strict.scores()) {
      assertEquals(0, v);
    }
  }

  /** The exact-match scores computed from their definition, independently of SharedValues. */
  static double[] matchScores(List<Example> behaviour, Dataset train, double alpha) {
    int d = behaviour.get(0).pixelCount();
    int n = train.size();
    double[] w = new double[d];
    int[] v = new int[d];
    for (int j = 0; j < d; j++) {
      v[j] = behaviour.get(0).pixel(j);
      boolean all = true;
      for (Example e : behaviour) {
        all &= e.pixel(j) == v[j];
      }
      int f = 0;
      for (Example e : train) {
        f += e.pixel(j) == v[j] ? 1 : 0;
      }
      double chance = Math.pow((f + 1.0) / (n + 1.0), behaviour.size());
      w[j] = all && chance < alpha / d ? Math.log((n + 1.0) / (f + 1.0)) : 0;
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        s[i] += train.get(i).pixel(j) == v[j] ? w[j] : 0;
      }
    }
    return s;
  }

  @Test
  void thePresetAddsTheStandardisedExactMatchScoreOfAStampedTrigger() {
    Backdoored bd =
        backdoored(
            Fixtures.images(300, 3, 21), "patch:3x2@5,7", 12, 3, 1, Fixtures.images(60, 3, 22), 8);
    Dataset poisoned = bd.result().poisoned();
    DifferentiableClassifier m = bd.model();
    List<Example> b = bd.behaviour();
    Map<String, String> withoutMatch = new java.util.HashMap<>(TracInAttributor.SALIENCY_PRESET);
    withoutMatch.put("match", "off");
    int n = poisoned.size();
    int k = b.size();
    // the preset without the match term is already z(saliency score) + z(consensus score)
    double[] rest = oneCheckpoint(m, poisoned, b, withoutMatch).scores();
    double[] match = standardised(matchScores(b, poisoned, 0.01), n, 1);
    double[] expected = new double[n * k];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < k; t++) {
        expected[i * k + t] = rest[i * k + t] + match[i];
      }
    }
    Attribution preset = oneCheckpoint(m, poisoned, b, TracInAttributor.SALIENCY_PRESET);
    assertClose(expected, preset.scores(), "preset with the exact-match term");
    // the kept pixels are the stamp: columns 5-7, rows 7-8
    int[] kept = (int[]) preset.diagnostics().get("match_features");
    assertEquals(6, kept.length, java.util.Arrays.toString(kept));
    for (int j : kept) {
      assertTrue(j % 28 >= 5 && j % 28 < 8 && j / 28 >= 7 && j / 28 < 9, "pixel " + j);
    }
  }

  @Test
  void cosineOverOneUnitRateCheckpointEqualsGradientCosine() {
    Dataset images = Fixtures.images(200, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = images.examples().subList(0, 3);
    double[] got = oneCheckpoint(m, images, b, Map.of("normalize", "cosine")).scores();
    double[] expected =
        Attributors.byName("gradient-cosine")
            .attribute(new AttributionRequest(m, images, b, null, 0, null, null))
            .scores();
    assertClose(expected, got, "cosine");
  }

  @Test
  void thePresetFindsACornerPatchBackdoorAndItsSaliencyPointsAtThePatch() {
    Backdoored bd =
        backdoored(
            Fixtures.images(1500, 4, 11),
            "patch:3x3@25,25",
            30,
            5,
            2,
            Fixtures.images(200, 4, 12),
            10);
    PoisonResult r = bd.result();
    Dataset poisoned = r.poisoned();
    DifferentiableClassifier m = bd.model();
    List<Example> behaviour = bd.behaviour();
    AttributionRequest request =
        new AttributionRequest(m, poisoned, behaviour, MLP, 2, Map.of(), null);
    Attribution preset = Attributors.byName("tracin-saliency").attribute(request);
    Set<String> truth = new HashSet<>(r.ids());
    double found = recall(preset.aggregate(), poisoned, truth);
    assertEquals("tracin-saliency", preset.method());
    assertTrue(found >= 0.9, "recall " + found);
    Attribution occluded =
        Attributors.byName("tracin-saliency")
            .attribute(request.withOptions(Map.of("occlusion", "on")));
    double kept = recall(occluded.aggregate(), poisoned, truth);
    assertTrue(kept >= 0.9, "recall with occlusion " + kept);
    int[] top = (int[]) preset.diagnostics().get("saliency_top_features");
    int corner = top[0];
    assertTrue(corner / 28 >= 25 && corner % 28 >= 25, "most salient pixel " + corner);
  }

  /**
   * A backdoored fixture, its model and triggered behaviour inputs labelled with the target "0".
   */
  record Backdoored(PoisonResult result, DifferentiableClassifier model, List<Example> behaviour) {}

  static Backdoored backdoored(
      Dataset clean,
      String patch,
      int poisons,
      long poisonSeed,
      long trainSeed,
      Dataset pool,
      int behaviour) {
    Trigger trigger = Trigger.parse(patch, Dataset.Kind.IMAGE);
    PoisonResult r =
        Attacks.backdoor(Budget.ofCount(poisons), trigger, "0").apply(clean, poisonSeed);
    DifferentiableClassifier m = Trainers.train(r.poisoned(), MLP, trainSeed, null, null);
    List<Example> b = new ArrayList<>();
    for (Example e : pool) {
      if (b.size() < behaviour && !e.label().equals("0")) {
        b.add(trigger.apply(e, null).withLabel("0"));
      }
    }
    return new Backdoored(r, m, b);
  }

  static double recall(double[] s, Dataset d, Set<String> truth) {
    boolean[] poison = new boolean[d.size()];
    for (int i = 0; i < poison.length; i++) {
      poison[i] = truth.contains(d.get(i).id());
    }
    return AttributionEvaluation.poisonRecall("tracin-saliency", s, poison).recall();
  }

  @Test
  void badOptionCombinationsAreRejectedWithOneLine() {
    Dataset images = Fixtures.images(100, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = images.examples().subList(0, 2);
    BadInputException noLayer =
        assertThrows(
            BadInputException.class, () -> oneCheckpoint(m, images, b, Map.of("saliency", "on")));
    assertTrue(noLayer.getMessage().contains("layer=input"), noLayer.getMessage());
    BadInputException self =
        assertThrows(
            BadInputException.class,
            () ->
                Attributors.byName("tracin-saliency")
                    .attribute(new AttributionRequest(m, images, List.of(), MLP, 1, null, null)));
    assertTrue(self.getMessage().contains("--behavior"), self.getMessage());
    BadInputException value =
        assertThrows(
            BadInputException.class, () -> oneCheckpoint(m, images, b, Map.of("layer", "hidden")));
    assertTrue(value.getMessage().contains("layer=hidden"), value.getMessage());
    BadInputException occlusion =
        assertThrows(
            BadInputException.class,
            () -> oneCheckpoint(m, images, b, Map.of("layer", "input", "occlusion", "on")));
    assertTrue(occlusion.getMessage().contains("saliency=on"), occlusion.getMessage());
    BadInputException center =
        assertThrows(
            BadInputException.class, () -> oneCheckpoint(m, images, b, Map.of("center", "label")));
    assertTrue(center.getMessage().contains("layer=input"), center.getMessage());
    BadInputException consensus =
        assertThrows(
            BadInputException.class,
            () -> oneCheckpoint(m, images, b, Map.of("consensus", "fuse")));
    assertTrue(consensus.getMessage().contains("layer=input"), consensus.getMessage());
    BadInputException both =
        assertThrows(
            BadInputException.class,
            () ->
                oneCheckpoint(
                    m, images, b, Map.of("layer", "input", "saliency", "on", "consensus", "only")));
    assertTrue(both.getMessage().contains("consensus=fuse"), both.getMessage());
    BadInputException alpha =
        assertThrows(
            BadInputException.class,
            () -> oneCheckpoint(m, images, b, Map.of("match", "fuse", "match_alpha", "2")));
    assertTrue(alpha.getMessage().contains("match-alpha"), alpha.getMessage());
    Dataset mails = Fixtures.textEmails(60, 4);
    DifferentiableClassifier tm =
        Trainers.train(mails, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 1, null, null);
    BadInputException text =
        assertThrows(
            BadInputException.class,
            () ->
                oneCheckpoint(tm, mails, mails.examples().subList(0, 2), Map.of("match", "fuse")));
    assertTrue(text.getMessage().contains("image"), text.getMessage());
    assertEquals(1, text.getMessage().lines().count());
  }
}
