package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;

/** The attributors on small fixtures: invariants that hold whatever the data. */
class AttributorsTest {
  /** Mails plus one odd mail, labelled against its words; the behaviour is that same mail. */
  static final Example ODD = Example.ofText("zebra quokka winner prize cash free", "ham", "odd");

  static Dataset mailsWithOdd() {
    List<Example> xs = new ArrayList<>(Fixtures.textEmails(400, 5).examples());
    xs.add(137, ODD);
    return new Dataset("mails+odd", xs);
  }

  /** The text defaults with 2^12 hash buckets, to keep the fixtures fast. */
  static final TrainConfig TEXT =
      new TrainConfig("logreg", "lbfgs", new int[0], 10, 64, 0.01, 1e-6, 100, 1 << 12, 0);

  static final TrainConfig MLP =
      new TrainConfig("mlp", "adam", new int[] {32}, 3, 128, 2e-3, 1e-4, 100, 1 << 12, 0);

  static Attribution run(
      String method, DifferentiableClassifier m, Dataset d, List<Example> b, TrainConfig c) {
    return run(method, m, d, b, c, Map.of());
  }

  static Attribution run(
      String method,
      DifferentiableClassifier m,
      Dataset d,
      List<Example> b,
      TrainConfig c,
      Map<String, String> options) {
    return Attributors.byName(method)
        .attribute(new AttributionRequest(m, d, b, c, 3, options, null));
  }

  static int argmax(double[] s) {
    int best = 0;
    for (int i = 1; i < s.length; i++) {
      if (s[i] > s[best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void gradientDotSelfInfluenceIsTheSquaredGradientNorm() {
    Dataset d = mailsWithOdd();
    DifferentiableClassifier m = Trainers.train(d, TEXT, 1, null, null);
    Attribution a = run("gradient-dot", m, d, List.of(), TEXT);
    int[] y = m.labelIndices(d.examples());
    for (int i : new int[] {0, 137, 300}) {
      double[] g = m.gradient(d.get(i), y[i], null);
      double sq = 0;
      for (double v : g) {
        sq += v * v;
      }
      assertEquals(sq, a.score(i, 0), 1e-12 * Math.max(1, sq), "example " + i);
    }
  }

  @Test
  void aDuplicateOfTheBehaviourExampleRanksFirst() {
    Dataset d = mailsWithOdd();
    DifferentiableClassifier m = Trainers.train(d, TEXT, 1, null, null);
    for (String method : List.of("gradient-dot", "gradient-cosine", "tracin", "trak")) {
      Attribution a = run(method, m, d, List.of(ODD), TEXT);
      assertEquals(137, argmax(a.aggregate()), method);
    }
  }

  @Test
  void tracInOverOneUnitRateCheckpointEqualsGradientDot() {
    Dataset text = mailsWithOdd();
    DifferentiableClassifier lr = Trainers.train(text, TEXT, 1, null, null);
    Dataset images = Fixtures.images(300, 3, 4);
    DifferentiableClassifier mlp = Trainers.train(images, MLP, 1, null, null);
    List<Example> imageBehaviour = images.examples().subList(0, 5);
    for (Object[] c :
        new Object[][] {{lr, text, List.of(ODD, text.get(3))}, {mlp, images, imageBehaviour}}) {
      DifferentiableClassifier m = (DifferentiableClassifier) c[0];
      Dataset d = (Dataset) c[1];
      @SuppressWarnings("unchecked")
      List<Example> b = (List<Example>) c[2];
      Attributor one = Attributors.tracIn(List.of(new Checkpoint(1, 1.0, m)));
      for (List<Example> behaviour : List.of(b, List.<Example>of())) {
        double[] factored =
            one.attribute(new AttributionRequest(m, d, behaviour, null, 0, null, null)).scores();
        double[] dense = run("gradient-dot", m, d, behaviour, null).scores();
        for (int i = 0; i < dense.length; i++) {
          assertEquals(dense[i], factored[i], 1e-9 * (1 + Math.abs(dense[i])), m + " entry " + i);
        }
      }
    }
  }

  @Test
  void tracInRebuildsTheTrainingRunAndWeighsCheckpointsByTheirRate() {
    Dataset images = Fixtures.images(300, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = images.examples().subList(0, 3);
    Attribution a = run("tracin", m, images, b, MLP);
    assertEquals(true, a.diagnostics().get("final_checkpoint_matches_model"));
    List<Checkpoint> cps = Trainers.trainWithCheckpoints(images, MLP, 1, null, null);
    double[] expected = new double[a.scores().length];
    for (Checkpoint c : cps) {
      double[] s = run("gradient-dot", c.model(), images, b, null).scores();
      for (int i = 0; i < s.length; i++) {
        expected[i] += c.learningRate() * s[i];
      }
    }
    double[] got = a.scores();
    for (int i = 0; i < got.length; i++) {
      assertEquals(expected[i], got[i], 1e-9 * (1 + Math.abs(expected[i])));
    }
    // the same checkpoints handed over: the same scores, and the diagnostic says whether they end
    // at the model
    Attribution given =
        Attributors.tracIn(cps).attribute(new AttributionRequest(m, images, b, MLP, 1, null, null));
    assertArrayEquals(got, given.scores());
    assertEquals(true, given.diagnostics().get("final_checkpoint_matches_model"));
    Attribution early =
        Attributors.tracIn(cps.subList(0, 1))
            .attribute(new AttributionRequest(m, images, b, MLP, 1, null, null));
    assertEquals(false, early.diagnostics().get("final_checkpoint_matches_model"));
    Attribution last = run("tracin", m, images, b, MLP, Map.of("checkpoints", "1"));
    assertEquals(1, ((List<?>) last.diagnostics().get("checkpoints")).size());
  }

  @Test
  void trakDoesNotDependOnTheProjectionWhenItKeepsEveryDirection() {
    // p = 2·64 + 2 = 130 parameters, k = 512: P has full column rank, so φ_tᵀ(ΦᵀΦ)⁻¹φ_i is the
    // same for every projection (up to the small damping)
    Dataset d = Fixtures.bars(300, 8, 2, 6);
    TrainConfig c = TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withEpochs(3);
    DifferentiableClassifier m = Trainers.train(d, c, 1, null, null);
    List<Example> b = d.examples().subList(0, 4);
    Map<String, String> opts = Map.of("k", "512", "damping", "1e-9");
    double[] s1 =
        Attributors.byName("trak")
            .attribute(new AttributionRequest(m, d, b, c, 1, opts, null))
            .scores();
    double[] s2 =
        Attributors.byName("trak")
            .attribute(new AttributionRequest(m, d, b, c, 2, opts, null))
            .scores();
    double scale = 0;
    for (double v : s1) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < s1.length; i++) {
      assertEquals(s1[i], s2[i], 1e-3 * scale, "entry " + i);
    }
    assertTrue(scale > 0);
  }

  @Test
  void trakIsReproducibleForASeedAndItsEnsembleRuns() {
    Dataset d = mailsWithOdd();
    DifferentiableClassifier m = Trainers.train(d, TEXT, 1, null, null);
    Map<String, String> opts = Map.of("k", "64", "models", "2");
    Attribution a = run("trak", m, d, List.of(ODD), TEXT, opts);
    Attribution b = run("trak", m, d, List.of(ODD), TEXT, opts);
    assertArrayEquals(a.scores(), b.scores());
    assertEquals(2, ((List<?>) a.diagnostics().get("models")).size());
  }

  @Test
  void representerScoresSumToTheRefittedLogit() {
    // Σ_i α_i[c] f_iᵀ f_t = W_c · f_t at a stationary point of the L2-regularised last layer
    Dataset images = Fixtures.images(300, 3, 4);
    DifferentiableClassifier m = Trainers.train(images, MLP, 1, null, null);
    List<Example> b = images.examples().subList(0, 4);
    Attribution a =
        run("representer", m, images, b, MLP, Map.of("iterations", "1000", "lambda", "1e-2"));
    int n = images.size();
    int h = m.penultimateDimension();
    double[] f = m.penultimate(images.examples());
    double[] theta = m.parameters();
    int classes = 3;
    double[] init =
        java.util.Arrays.copyOfRange(theta, theta.length - classes - classes * h, theta.length);
    double[] w =
        Trainers.fitSoftmax(f, n, h, m.labelIndices(images.examples()), classes, 1e-2, init, 1000);
    double[] ft = m.penultimate(b);
    int[] by = m.labelIndices(b);
    for (int t = 0; t < b.size(); t++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += a.score(i, t);
      }
      double logit = 0;
      for (int j = 0; j < h; j++) {
        logit += w[by[t] * h + j] * ft[t * h + j];
      }
      assertEquals(logit, sum, 1e-3 * (1 + Math.abs(logit)), "behaviour " + t);
    }
  }

  @Test
  void representerOnLogisticRegressionUsesTheModelWhenItIsStationary() {
    Dataset d = mailsWithOdd();
    DifferentiableClassifier m = Trainers.train(d, TEXT, 1, null, null);
    Attribution a = run("representer", m, d, List.of(ODD), TEXT);
    assertEquals(false, a.diagnostics().get("refitted"));
    assertEquals(d.size(), a.trainSize());
    assertEquals(137, argmax(a.aggregate()));
  }

  @Test
  void unknownOptionsAndMethodsAreRejected() {
    Dataset d = Fixtures.bars(40, 8, 2, 6);
    TrainConfig c = TrainConfig.defaults("logreg", Dataset.Kind.IMAGE);
    DifferentiableClassifier m = Trainers.train(d, c, 1, null, null);
    for (String method : List.of("tracin", "trak", "representer")) {
      BadInputException e =
          assertThrows(
              BadInputException.class,
              () -> run(method, m, d, List.of(), c, Map.of("colour", "blue")));
      assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }
    assertThrows(
        BadInputException.class, () -> run("trak", m, d, List.of(), c, Map.of("k", "zero")));
    assertThrows(BadInputException.class, () -> Attributors.byName("astrology"));
    assertTrue(Attributors.names().containsAll(List.of("tracin", "trak", "representer")));
  }
}
