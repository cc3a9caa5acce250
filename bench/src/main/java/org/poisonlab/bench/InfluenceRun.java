package org.poisonlab.bench;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.poisonlab.attribution.Attribution;
import org.poisonlab.attribution.AttributionRequest;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.Cholesky;
import org.poisonlab.linalg.SoftmaxHessians;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Exact influence of Fashion-MNIST training images on the first 100 test images, with the settings
 * of {@code influence_functorch_fmnist.py}: multinomial logistic regression, mean loss plus {@code
 * 1e-3/2 ||W||²} (biases unregularised), damping 1e-3. The model is fitted by L-BFGS and then
 * polished by two Newton steps (untimed); the influence stages are timed by the attributor.
 *
 * <p>Usage: {@code InfluenceRun INDEX_FILE|all OUT_PREFIX}: INDEX_FILE lists training positions,
 * one a line. Writes {@code OUT_PREFIX.scores} (float64 little-endian, n × 100, row-major) and
 * prints one JSON line of figures.
 */
public final class InfluenceRun {
  private InfluenceRun() {}

  public static void main(String[] args) throws IOException {
    Path home = PinnedDatasets.home();
    Dataset all = PinnedDatasets.load("fashion-mnist", "train", home, null);
    Dataset test = PinnedDatasets.load("fashion-mnist", "test", home, null);
    Dataset train = all;
    if (!args[0].equals("all")) {
      int[] pos =
          Files.readAllLines(Path.of(args[0])).stream().mapToInt(Integer::parseInt).toArray();
      train = all.subset(pos);
    }
    List<Example> behavior = new ArrayList<>(test.examples().subList(0, 100));
    TrainConfig c =
        TrainConfig.defaults("logreg", Dataset.Kind.IMAGE)
            .withOptimizer("lbfgs")
            .withL2(1e-3)
            .withMaxIterations(2000);
    long f0 = System.nanoTime();
    DifferentiableClassifier m = Trainers.train(train, c, 0, null, null);
    m = polish(m, train.examples(), 2);
    double fit = (System.nanoTime() - f0) / 1e9;
    double[] g = new double[m.parameterCount()];
    m.objective(train.examples(), m.labelIndices(train.examples()), g);
    double gmax = 0;
    for (double v : g) {
      gmax = Math.max(gmax, Math.abs(v));
    }
    // warm-up of every kernel on a small subset, as the peer does
    int[] few = new int[500];
    for (int i = 0; i < few.length; i++) {
      few[i] = i;
    }
    influence(m, train.subset(few), behavior.subList(0, 5), null);
    // the stage times come on the progress lines ("influence: hessian in 1.23 s", "… solve in 0.45
    // s")
    StringBuilder stages = new StringBuilder();
    java.util.regex.Pattern stage = java.util.regex.Pattern.compile("(\\w+) in ([0-9.]+) s");
    Attribution a =
        influence(
            m,
            train,
            behavior,
            line -> {
              java.util.regex.Matcher t = stage.matcher(line);
              while (t.find()) {
                stages.append(' ').append(t.group(1)).append("_s=").append(t.group(2));
              }
            });
    double[] s = a.scores();
    ByteBuffer buf = ByteBuffer.allocate(s.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : s) {
      buf.putDouble(v);
    }
    try (DataOutputStream out =
        new DataOutputStream(Files.newOutputStream(Path.of(args[1] + ".scores")))) {
      out.write(buf.array());
    }
    System.out.println(
        "{\"n_train\": "
            + train.size()
            + ", \"fit_s\": "
            + fit
            + ", \"grad_max_abs_at_opt\": "
            + gmax
            + ", \"diagnostics\": \""
            + a.diagnostics()
            + " times"
            + stages
            + "\"}");
  }

  private static Attribution influence(
      DifferentiableClassifier m,
      Dataset train,
      List<Example> b,
      java.util.function.Consumer<String> progress) {
    return Attributors.byName("influence")
        .attribute(
            new AttributionRequest(
                m, train, b, null, 0, Map.of("solver", "exact", "damping", "1e-3"), progress));
  }

  /** Newton steps θ ← θ − H⁻¹∇f with the explicit Hessian, to reach the optimum tightly. */
  private static DifferentiableClassifier polish(
      DifferentiableClassifier m, List<Example> ex, int steps) {
    int d = m.featurizer().dimension();
    int k = m.labels().size();
    int n = ex.size();
    int w = d + 1;
    ByteMatrix bx = (ByteMatrix) m.featurizer().transform(ex);
    double[] src = bx.toDense().values();
    double[] x = new double[n * w];
    for (int i = 0; i < n; i++) {
      System.arraycopy(src, i * d, x, i * w, d);
      x[i * w + d] = 1;
    }
    int[] y = m.labelIndices(ex);
    int p = k * w;
    for (int s = 0; s < steps; s++) {
      double[] h = SoftmaxHessians.build(x, n, w, m.predictProba(ex), k, 0);
      for (int q = 0; q < p; q++) {
        h[q * p + q] += (q % w == d ? 1e-10 : m.l2());
      }
      Cholesky f = Cholesky.factorInPlace(h, p, 0);
      double[] g = new double[p];
      m.objective(ex, y, g);
      double[] ga = new double[p];
      for (int q = 0; q < p; q++) {
        int c = q / w;
        int j = q % w;
        ga[q] = g[j < d ? c * d + j : k * d + c];
      }
      double[] step = f.solve(ga, 1, null);
      double[] theta = m.parameters();
      for (int q = 0; q < p; q++) {
        int c = q / w;
        int j = q % w;
        theta[j < d ? c * d + j : k * d + c] -= step[q];
      }
      m = m.withParameters(theta);
    }
    return m;
  }
}
