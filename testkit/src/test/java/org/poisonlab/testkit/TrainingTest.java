package org.poisonlab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

class TrainingTest {
  private static double accuracy(Classifier m, Dataset test) {
    int[] p = m.predict(test.examples());
    int ok = 0;
    for (int i = 0; i < p.length; i++) {
      if (m.labels().get(p[i]).equals(test.get(i).label())) {
        ok++;
      }
    }
    return ok / (double) p.length;
  }

  private static TrainConfig mlp(int threads) {
    return new TrainConfig("mlp", "adam", new int[] {32}, 3, 64, 3e-3, 1e-4, 100, 1 << 10, threads);
  }

  @Test
  void logisticRegressionSeparatesSeparableImages() {
    Dataset train = Fixtures.bars(300, 10, 4, 1);
    Dataset test = Fixtures.bars(200, 10, 4, 2);
    for (String opt : List.of("lbfgs", "sgd", "adam")) {
      TrainConfig c =
          TrainConfig.defaults("logreg", Dataset.Kind.IMAGE)
              .withOptimizer(opt)
              .withEpochs(5)
              .withLearningRate(opt.equals("adam") ? 0.01 : 0.05);
      double acc = accuracy(Trainers.train(train, c, 7, null, null), test);
      assertTrue(acc >= 0.95, opt + ": accuracy " + acc);
    }
  }

  @Test
  void mlpSeparatesSeparableImages() {
    Dataset train = Fixtures.bars(400, 10, 4, 3);
    Dataset test = Fixtures.bars(200, 10, 4, 4);
    double acc = accuracy(Trainers.train(train, mlp(0), 7, null, null), test);
    assertTrue(acc >= 0.95, "accuracy " + acc);
  }

  @Test
  void logisticRegressionSeparatesSyntheticMails() {
    Dataset train = Fixtures.mails(200, 5);
    Dataset test = Fixtures.mails(100, 6);
    double acc =
        accuracy(
            Trainers.train(train, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0, null, null),
            test);
    assertTrue(acc >= 0.95, "accuracy " + acc);
  }

  @Test
  void sameSeedGivesBitIdenticalParametersWhateverTheThreads() {
    Dataset train = Fixtures.bars(500, 12, 4, 8);
    double[] a = Trainers.train(train, mlp(2), 42, null, null).parameters();
    double[] b = Trainers.train(train, mlp(2), 42, null, null).parameters();
    double[] c = Trainers.train(train, mlp(1), 42, null, null).parameters();
    assertArrayEquals(a, b, 0.0);
    assertArrayEquals(a, c, 0.0);
    Dataset mails = Fixtures.mails(300, 9);
    TrainConfig text = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    assertArrayEquals(
        Trainers.train(mails, text, 1, null, null).parameters(),
        Trainers.train(mails, text, 1, null, null).parameters(),
        0.0);
  }

  @Test
  void differentSeedsGiveDifferentMlps() {
    Dataset train = Fixtures.bars(200, 10, 4, 8);
    assertFalse(
        Arrays.equals(
            Trainers.train(train, mlp(1), 1, null, null).parameters(),
            Trainers.train(train, mlp(1), 2, null, null).parameters()));
  }

  @Test
  void emptyDatasetIsRejected() {
    Dataset empty = new Dataset("empty.jsonl", List.of());
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Trainers.train(
                    empty, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0, null, null));
    assertTrue(e.getMessage().contains("empty.jsonl"), e.getMessage());
  }

  @Test
  void singleClassIsRejected() {
    List<Example> onlySpam = new ArrayList<>();
    for (Example e : Fixtures.mails(10, 1)) {
      onlySpam.add(e.withLabel("spam"));
    }
    Dataset d = new Dataset("spam-only", onlySpam);
    assertThrows(
        BadInputException.class,
        () -> Trainers.train(d, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0, null, null));
  }

  @Test
  void badConfigurationIsRejected() {
    Dataset d = Fixtures.mails(10, 1);
    TrainConfig base = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    assertThrows(
        BadInputException.class,
        () -> Trainers.train(d, base.withOptimizer("newton"), 0, null, null));
    assertThrows(BadInputException.class, () -> Trainers.train(d, base.withL2(-1), 0, null, null));
    assertThrows(BadInputException.class, () -> TrainConfig.defaults("svm", Dataset.Kind.TEXT));
    assertThrows(
        BadInputException.class,
        () ->
            Trainers.train(
                d,
                TrainConfig.defaults("mlp", Dataset.Kind.TEXT).withOptimizer("lbfgs"),
                0,
                null,
                null));
  }

  @Test
  void fineTuningKeepsLabelsAndFeaturesAndRecordsTheParent() {
    Dataset train = Fixtures.bars(200, 10, 4, 1);
    TrainConfig c = mlp(0);
    DifferentiableClassifier parent = Trainers.train(train, c, 3, null, null);
    List<Example> twoClasses =
        train.examples().stream().filter(e -> !e.label().equals("3")).toList();
    DifferentiableClassifier child =
        Trainers.train(new Dataset("tune", twoClasses), c.withEpochs(1), 4, parent, null);
    assertEquals(parent.labels(), child.labels());
    assertEquals(parent.featurizer().kind(), child.featurizer().kind());
    assertEquals(List.of(parent.provenance()), child.provenance().init());
    assertFalse(Arrays.equals(parent.parameters(), child.parameters()));
  }

  @Test
  void fineTuningOnAnUnknownLabelIsRejected() {
    Dataset train = Fixtures.bars(100, 10, 4, 1);
    DifferentiableClassifier parent = Trainers.train(train, mlp(0), 3, null, null);
    List<Example> relabelled = train.examples().stream().map(e -> e.withLabel("9")).toList();
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Trainers.train(new Dataset("tune", relabelled), mlp(0), 4, parent, null));
    assertTrue(e.getMessage().contains("'9'"), e.getMessage());
    Dataset mails = Fixtures.mails(20, 1);
    assertThrows(BadInputException.class, () -> Trainers.train(mails, mlp(0), 4, parent, null));
  }

  @Test
  void provenanceRecordsDataSeedConfigAndEnvironment() {
    Dataset train = Fixtures.mails(40, 2);
    TrainConfig c = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    Classifier m = Trainers.train(train, c, 99, null, null);
    assertEquals(train.contentHash(), m.provenance().dataHash());
    assertEquals("mails", m.provenance().dataName());
    assertEquals(40, m.provenance().examples());
    assertEquals(99, m.provenance().seed());
    assertEquals(c, m.provenance().config());
    assertEquals(System.getProperty("java.version"), m.provenance().environment().get("java"));
    assertTrue(m.provenance().environment().containsKey("poisonlab"));
    assertTrue(m.provenance().init().isEmpty());
  }

  @Test
  void progressMessagesArriveWhenAsked() {
    List<String> messages = new ArrayList<>();
    Trainers.train(Fixtures.bars(60, 6, 3, 1), mlp(1).withEpochs(2), 0, null, messages::add);
    assertTrue(messages.stream().anyMatch(s -> s.startsWith("epoch 2/2")), messages.toString());
  }

  @Test
  void aModelRejectsExamplesOfTheWrongKind() {
    Classifier m = Trainers.train(Fixtures.bars(60, 6, 3, 1), mlp(1), 0, null, null);
    assertThrows(IllegalArgumentException.class, () -> m.predict(Fixtures.mails(2, 1).examples()));
    assertThrows(
        IllegalArgumentException.class, () -> m.predict(Fixtures.bars(2, 8, 3, 1).examples()));
  }

  @Test
  void probabilitiesSumToOneAndAgreeWithPredictions() {
    Dataset d = Fixtures.bars(50, 6, 3, 1);
    Classifier m = Trainers.train(d, mlp(1), 0, null, null);
    double[] p = m.predictProba(d.examples());
    int[] pred = m.predict(d.examples());
    for (int i = 0; i < d.size(); i++) {
      double s = p[3 * i] + p[3 * i + 1] + p[3 * i + 2];
      assertEquals(1.0, s, 1e-12);
      for (int c = 0; c < 3; c++) {
        assertTrue(p[3 * i + pred[i]] >= p[3 * i + c]);
      }
    }
  }

  @Test
  void penultimateIsHiddenForMlpAndLogitsForLogisticRegression() {
    Dataset d = Fixtures.bars(30, 6, 3, 1);
    DifferentiableClassifier m = Trainers.train(d, mlp(1), 0, null, null);
    assertEquals(32, m.penultimateDimension());
    double[] h = m.penultimate(d.examples());
    assertEquals(30 * 32, h.length);
    assertTrue(Arrays.stream(h).allMatch(v -> v >= 0));
    DifferentiableClassifier lr =
        Trainers.train(d, TrainConfig.defaults("logreg", Dataset.Kind.IMAGE), 0, null, null);
    double[] z = lr.penultimate(d.examples());
    double[] p = lr.predictProba(d.examples());
    // softmax of the logits gives the probabilities
    double s = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
    assertEquals(p[0], Math.exp(z[0]) / s, 1e-12);
  }

  @Test
  void hessianVectorProductIsSymmetric() {
    Dataset d = Fixtures.mails(20, 3);
    DifferentiableClassifier m =
        Trainers.train(
            d,
            TrainConfig.defaults("logreg", Dataset.Kind.TEXT).withMaxIterations(5),
            0,
            null,
            null);
    m = m.withParameters(m.parameters());
    int p = m.parameterCount();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    double[] u = new double[p];
    double[] v = new double[p];
    for (int i = 0; i < p; i++) {
      u[i] = rng.nextGaussian();
      v[i] = rng.nextGaussian();
    }
    int[] y = m.labelIndices(d.examples());
    double[] hu = m.hessianVector(d.examples(), y, u, null);
    double[] hv = m.hessianVector(d.examples(), y, v, null);
    double vhu = 0;
    double uhv = 0;
    double uhu = 0;
    for (int i = 0; i < p; i++) {
      vhu += v[i] * hu[i];
      uhv += u[i] * hv[i];
      uhu += u[i] * hu[i];
    }
    assertEquals(vhu, uhv, 1e-6 * Math.abs(uhu));
    assertTrue(uhu > 0, "positive curvature with L2: " + uhu);
  }
}
