package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.FeatureKind;
import org.poisonlab.model.LayeredModel;
import org.poisonlab.model.Models;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;
import org.poisonlab.testkit.GradientCheck;

class DeepModelsTest {
  private static DifferentiableClassifier train(Dataset data, String model, int epochs, long seed) {
    TrainConfig c = TrainConfig.defaults(model, data.kind()).withEpochs(epochs);
    return Trainers.train(data, c, seed, null, null);
  }

  private static double accuracy(DifferentiableClassifier m, Dataset data) {
    int[] p = m.predict(data.examples());
    int[] y = m.labelIndices(data.examples());
    int hit = 0;
    for (int i = 0; i < p.length; i++) {
      hit += p[i] == y[i] ? 1 : 0;
    }
    return hit / (double) p.length;
  }

  @Test
  void theDeepFamiliesAreFoundByName() {
    assertTrue(
        Models.names().containsAll(List.of("cnn", "textcnn", "transformer")),
        Models.names().toString());
    BadInputException e =
        assertThrows(BadInputException.class, () -> TrainConfig.defaults("cnn", Dataset.Kind.TEXT));
    assertTrue(e.getMessage().contains("reads image"), e.getMessage());
    assertThrows(
        BadInputException.class, () -> TrainConfig.defaults("textcnn", Dataset.Kind.IMAGE));
  }

  @Test
  void cnnLearnsRepeatsItselfAndSurvivesSaveAndLoad(@TempDir Path dir) {
    Dataset data = Fixtures.images(600, 3, 5);
    DifferentiableClassifier a = train(data, "cnn", 2, 9);
    DifferentiableClassifier b = train(data, "cnn", 2, 9);
    assertEquals("cnn", a.kind());
    assertTrue(accuracy(a, data) > 0.95, "fits the bars: " + accuracy(a, data));
    assertArrayEquals(a.parameters(), b.parameters(), "same seed, same last layer");
    assertArrayEquals(((DeepClassifier) a).body().view()[0], ((DeepClassifier) b).body().view()[0]);
    assertFalse(
        java.util.Arrays.equals(a.parameters(), train(data, "cnn", 2, 10).parameters()),
        "another seed, another model");
    Path f = dir.resolve("m.model");
    Models.save(a, f);
    DifferentiableClassifier loaded = Models.load(f);
    assertEquals("cnn", loaded.kind());
    assertArrayEquals(a.predictProba(data.examples()), loaded.predictProba(data.examples()));
    assertEquals(a.provenance(), loaded.provenance());
    assertInstanceOf(FeatureKind.Pixels.class, a.inputFeaturizer().kind());
    assertInstanceOf(FeatureKind.Learned.class, a.featurizer().kind());
    assertEquals(128, a.penultimateDimension());
    // a plain-SGD fine-tune from it (the demo's safety fine-tune) moves the model and keeps the fit
    TrainConfig sgd =
        TrainConfig.defaults("cnn", data.kind())
            .withOptimizer("sgd")
            .withEpochs(1)
            .withLearningRate(0.05);
    // on the bars with a tenth of the labels flipped: on its own training set the fitted model is
    // so sure that one epoch's steps there are below float32's resolution of its parameters
    Dataset flipped =
        Attacks.labelFlip(new Budget.Count(60), FlipMode.uniform()).apply(data, 3).poisoned();
    DifferentiableClassifier tuned = Trainers.train(flipped, sgd, 3, a, null);
    assertFalse(java.util.Arrays.equals(a.parameters(), tuned.parameters()));
    assertTrue(
        accuracy(tuned, data) > 0.95, "the fine-tune keeps the fit: " + accuracy(tuned, data));
  }

  @Test
  void cnnStandardisesEachChannelByTheTrainingSplitsStatistics() throws Exception {
    // three-channel 4×4 images: channel 0 always 0, channel 1 alternates 0 and 255, channel 2 = 51
    List<Example> xs = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] px = new byte[48];
      for (int p = 0; p < 16; p++) {
        px[p * 3 + 1] = (byte) (((i + p) % 2) * 255);
        px[p * 3 + 2] = (byte) 51;
      }
      xs.add(Example.ofImage(px, new int[] {4, 4, 3}, "c" + (i % 2), "s" + i));
    }
    ConvNet net = ConvNet.of(xs, 2, 2, 4);
    assertArrayEquals(new float[] {0f, 0.5f, 0.2f}, net.mean(), 1e-7f);
    // a channel without spread is not divided by zero
    assertArrayEquals(new float[] {1f, 0.5f, 1f}, net.deviation(), 1e-7f);
    var header =
        com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
    net.describe(header);
    assertEquals(net, DeepFiles.architecture(header));
    // a header without the statistics reads as a network that does not standardise
    header.remove("mean");
    header.remove("deviation");
    ConvNet plain = (ConvNet) DeepFiles.architecture(header);
    assertArrayEquals(new float[] {0f, 0f, 0f}, plain.mean());
    assertArrayEquals(new float[] {1f, 1f, 1f}, plain.deviation());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConvNet.of(
                    List.of(xs.get(0), Example.ofImage(new byte[16], new int[] {4, 4}, "c0", "x")),
                    2,
                    2,
                    4));
    assertTrue(e.getMessage().contains("of shape [4, 4] does not match"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"textcnn", "transformer"})
  void textModelsLearnRepeatThemselvesAndSurviveSaveAndLoad(String family, @TempDir Path dir) {
    Dataset data = Fixtures.textEmails(400, 3);
    TrainConfig c = TrainConfig.defaults(family, data.kind()).withEpochs(8).withLearningRate(3e-3);
    DifferentiableClassifier a = Trainers.train(data, c, 4, null, null);
    DifferentiableClassifier b = Trainers.train(data, c, 4, null, null);
    assertTrue(accuracy(a, data) > 0.9, "fits the fixture: " + accuracy(a, data));
    if (family.equals("textcnn")) {
      assertArrayEquals(a.parameters(), b.parameters());
      assertArrayEquals(
          ((DeepClassifier) a).body().view()[0], ((DeepClassifier) b).body().view()[0]);
    } else {
      // the transformer's reruns were bit-identical in all but one of the pairs measured (see
      // docs/methods/deep-models.md); the stated tolerance: the same answers on 98 % of the data
      int[] pa = a.predict(data.examples());
      int[] pb = b.predict(data.examples());
      int same = 0;
      for (int i = 0; i < pa.length; i++) {
        same += pa[i] == pb[i] ? 1 : 0;
      }
      assertTrue(same >= 0.98 * pa.length, "reruns agree on " + same + " of " + pa.length);
    }
    Path f = dir.resolve("t.model");
    Models.save(a, f);
    DifferentiableClassifier loaded = Models.load(f);
    assertEquals(family, loaded.kind());
    assertArrayEquals(a.predictProba(data.examples()), loaded.predictProba(data.examples()));
    // a text's representation does not depend on the texts batched with it: here a long text (the
    // transformer reads it in several windows) batched with short ones (one window each)
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      joined.append(data.get(i).text()).append(' ');
    }
    List<Example> batch = new java.util.ArrayList<>(data.examples().subList(20, 30));
    batch.add(Example.ofText(joined.toString(), "ham", "long.example.org"));
    int w = a.penultimateDimension();
    double[] all = a.penultimate(batch);
    for (int i : new int[] {0, 10}) {
      double[] alone = a.penultimate(batch.subList(i, i + 1));
      for (int j = 0; j < w; j++) {
        assertEquals(all[i * w + j], alone[j], 1e-5, family + " text " + i);
      }
    }
    // a text model's input gradients are taken at its representation
    assertEquals(a.featurizer().kind(), a.inputFeaturizer().kind());
  }

  @Test
  void lastLayerGradientsMatchFiniteDifferences() {
    Dataset data = Fixtures.images(200, 3, 8);
    DifferentiableClassifier m =
        Trainers.train(
            data,
            TrainConfig.defaults("cnn", data.kind()).withEpochs(1).withL2(1e-3),
            2,
            null,
            null);
    List<Example> xs = data.examples().subList(0, 20);
    int[] y = m.labelIndices(xs);
    assertTrue(GradientCheck.objective(m, xs, y, null) < 1e-5);
    assertTrue(GradientCheck.perExample(m, xs.get(3), y[3], null) < 1e-5);
    LayeredModel l = Models.layered(m, "test");
    assertArrayEquals(new int[] {128, 3}, l.layerSizes());
  }

  @Test
  void inputGradientsMatchFiniteDifferencesInFloat() {
    Dataset data = Fixtures.images(200, 3, 8);
    DifferentiableClassifier m = train(data, "cnn", 1, 3);
    int d = 28 * 28;
    double[] x = new double[d];
    Example e = data.get(11);
    for (int j = 0; j < d; j++) {
      x[j] = e.pixel(j) / 255.0;
    }
    int[] y = {(m.labelIndices(List.of(e))[0] + 1) % 3};
    double[] p = new double[3];
    m.inputGradients(x, y, p, null);
    assertArrayEquals(m.predictProba(List.of(e)), p, 1e-5);
    // a point where the network is differentiable: in the image's constant border the pooled
    // windows tie exactly, and a maximum over ties has no gradient, so each pixel is moved off it
    SplittableRandom jitter = new SplittableRandom(17);
    for (int j = 0; j < d; j++) {
      x[j] += (jitter.nextDouble() - 0.5) * 0.02;
    }
    double[] g = m.inputGradients(x, y, p, null);
    // along the gradient: the loss's slope there is |g| (central differences, float32)
    double norm = 0;
    for (double v : g) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double[] up = x.clone();
    double[] down = x.clone();
    double h = 1e-3;
    for (int j = 0; j < d; j++) {
      up[j] += h * g[j] / norm;
      down[j] -= h * g[j] / norm;
    }
    double slope = (loss(m, up, y[0]) - loss(m, down, y[0])) / (2 * h);
    assertEquals(norm, slope, 0.02 * norm, "directional derivative along the gradient");
    // the coordinates with the largest gradients, one at a time
    Integer[] idx = new Integer[d];
    for (int j = 0; j < d; j++) {
      idx[j] = j;
    }
    java.util.Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(g[b]), Math.abs(g[a])));
    double worst = 0;
    for (int t = 0; t < 12; t++) {
      int j = idx[t];
      double[] u = x.clone();
      double[] w = x.clone();
      u[j] += 1e-3;
      w[j] -= 1e-3;
      double numeric = (loss(m, u, y[0]) - loss(m, w, y[0])) / 2e-3;
      worst = Math.max(worst, Math.abs(numeric - g[j]) / Math.max(1e-3, Math.abs(g[j])));
    }
    assertTrue(worst < 0.05, "input gradient vs central differences: " + worst);
  }

  private static double loss(DifferentiableClassifier m, double[] x, int y) {
    double[] p = new double[3];
    m.inputGradients(x, new int[] {y}, p, null);
    return -Math.log(p[y]);
  }

  @Test
  void badInputIsOneLine(@TempDir Path dir) throws Exception {
    Dataset text = Fixtures.textEmails(50, 1);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Trainers.train(
                    text, TrainConfig.defaults("cnn", Dataset.Kind.IMAGE), 0, null, null));
    assertTrue(e.getMessage().contains("reads image"), e.getMessage());
    DifferentiableClassifier m = train(Fixtures.images(60, 2, 1), "cnn", 1, 0);
    Path f = dir.resolve("m.model");
    Models.save(m, f);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    BadInputException bad = assertThrows(BadInputException.class, () -> Models.load(f));
    assertTrue(bad.getMessage().contains("m.model"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.predict(text.examples()));
  }
}
