package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.RandomProjection;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;

/** The batched TRAK features against the per-example projection of the full gradient. */
class MarginProjectorTest {
  private static void assertMatchesPerExample(int[] hidden, RandomProjection.Kind kind, int k) {
    Dataset d = Fixtures.images(90, 3, 11);
    TrainConfig c = new TrainConfig("mlp", "adam", hidden, 2, 32, 2e-3, 1e-4, 100, 1 << 12, 0);
    DifferentiableClassifier m = Trainers.train(d, c, 4, null, null);
    List<Example> xs = d.examples();
    int[] y = m.labelIndices(xs);
    int p = m.parameterCount();
    RandomProjection proj = RandomProjection.of(kind, p, k, 21, 0);
    MarginProjector mp = new MarginProjector(m, proj);
    int from = 7;
    int rows = 50;
    double[] phi = new double[rows * k];
    double[] omp = new double[rows];
    mp.project(xs, y, from, rows, phi, omp);
    int classes =
        org.poisonlab.model.Models.layered(m, "test")
            .layerSizes()[org.poisonlab.model.Models.layered(m, "test").layerSizes().length - 1];
    double[] want = new double[k];
    for (int e = 0; e < rows; e++) {
      double[] g = m.gradient(xs.get(from + e), y[from + e], null);
      double q = TrakAttributor.marginFeature(proj, g, p - classes, y[from + e], classes, want, 0);
      assertEquals(q, omp[e], 1e-12, "1 − p of row " + e);
      double scale = 0;
      for (double v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 0, "row " + e + " has a nonzero feature");
      for (int r = 0; r < k; r++) {
        assertEquals(want[r], phi[e * k + r], 1e-10 * scale, "row " + e + " entry " + r);
      }
    }
  }

  @Test
  void batchedFeaturesEqualTheProjectedMarginGradientForOneHiddenLayer() {
    assertMatchesPerExample(new int[] {16}, RandomProjection.Kind.RADEMACHER, 96);
  }

  @Test
  void batchedFeaturesEqualTheProjectedMarginGradientForTwoHiddenLayers() {
    assertMatchesPerExample(new int[] {12, 8}, RandomProjection.Kind.GAUSSIAN, 40);
  }

  @Test
  void onlyDenseInputsTakeTheBatchedPath() {
    TrainConfig text = AttributorsTest.TEXT;
    Dataset mails = Fixtures.textEmails(50, 1);
    DifferentiableClassifier m = Trainers.train(mails, text, 1, null, null);
    assertFalse(MarginProjector.supports(m, mails.examples()));
    Dataset images = Fixtures.images(40, 2, 1);
    TrainConfig c = TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withEpochs(1);
    assertTrue(
        MarginProjector.supports(Trainers.train(images, c, 1, null, null), images.examples()));
  }

  @Test
  void trakOnAnMlpRanksADuplicateOfTheBehaviourFirst() {
    Dataset d = Fixtures.images(300, 3, 8);
    TrainConfig c =
        new TrainConfig("mlp", "adam", new int[] {16}, 3, 32, 2e-3, 1e-4, 100, 1 << 12, 0);
    DifferentiableClassifier m = Trainers.train(d, c, 2, null, null);
    Example odd = d.get(40);
    Example flipped =
        Example.ofImage(odd.pixels(), odd.shape(), odd.label().equals("0") ? "1" : "0", "x");
    List<Example> xs = new java.util.ArrayList<>(d.examples());
    xs.set(40, flipped);
    Dataset withFlip = new Dataset("with-flip", xs);
    DifferentiableClassifier m2 = Trainers.train(withFlip, c, 2, m, null);
    Attribution a =
        Attributors.byName("trak")
            .attribute(
                new AttributionRequest(
                    m2, withFlip, List.of(flipped), c, 3, Map.of("k", "256"), null));
    assertEquals(40, AttributorsTest.argmax(a.column(0)));
    assertEquals(
        Boolean.TRUE,
        ((Map<?, ?>) ((List<?>) a.diagnostics().get("models")).get(0)).get("batched"));
  }
}
