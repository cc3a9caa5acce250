package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Trigger inversion after Neural Cleanse (Wang, Yao, Shan, Li, Viswanath, Zheng &amp; Zhao, "Neural
 * Cleanse: Identifying and Mitigating Backdoor Attacks in Neural Networks", IEEE S&amp;P 2019).
 *
 * <p>For each label {@code t}, a mask {@code m = σ(θ_m)} and a pattern {@code p = σ(θ_p)} (both in
 * [0, 1], pixel-sized) are optimised so that {@code x' = (1 − m) ⊙ x + m ⊙ p} is classified as
 * {@code t} for the sample inputs {@code x} of other labels:
 *
 * <pre>  min over θ_m, θ_p of  mean_x CE(f(x'), t) + λ · ||m||₁</pre>
 *
 * with Adam (β1 = 0.5, β2 = 0.9, the settings of the authors' release) on mini-batches; the input
 * gradients come from {@link DifferentiableClassifier#inputGradients}, and the chain rule gives
 * {@code ∂/∂m_j = mean_x g_j (p_j − x_j) + λ} and {@code ∂/∂p_j = mean_x g_j m_j}, each times the
 * sigmoid's derivative. λ follows the paper's schedule: after {@code patience} epochs in a row
 * whose attack success (measured on the epoch's batches) reaches the threshold λ is multiplied by
 * {@code c}; after {@code patience} failing epochs it is divided by {@code c^1.5}. Of the masks at
 * the end of successful epochs the one with the smallest norm is kept; the run stops early when
 * that best norm has not improved by 1 % for {@code 3 · patience} epochs.
 *
 * <p>Anomaly index (the paper's outlier test): with values {@code v_t}, {@code MAD = 1.4826 ·
 * median |v_t − median(v)|} and {@code a_t = |v_t − median(v)| / MAD}; a label whose norm is below
 * the median and whose {@code a_t} is above the threshold is flagged. The paper takes {@code v_t =
 * l_t}, the norms, with threshold 2 ({@link NeuralCleanseConfig.AnomalyScale#LINEAR}); the default
 * takes {@code v_t = ln l_t} with threshold 3 ({@link NeuralCleanseConfig.AnomalyScale#LOG}).
 *
 * <p>Memory: the sample ({@code n × d} doubles) and per-batch buffers; time: {@code labels × epochs
 * × n} forward and input-backward passes.
 */
final class NeuralCleanse {
  private static final double BETA1 = 0.5;
  private static final double BETA2 = 0.9;
  private static final double EPS = 1e-8;
  static final double CONSISTENCY = 1.4826;

  private final DifferentiableClassifier model;
  private final NeuralCleanseConfig config;

  NeuralCleanse(DifferentiableClassifier model, NeuralCleanseConfig config) {
    this.model = model;
    this.config = config;
  }

  /**
   * Inverts a trigger for every label of the model.
   *
   * @param x not modified; row-major {@code n × d} inputs in [0, 1]
   * @param y not modified; the class index of each row (rows of the target itself are skipped)
   */
  TriggerInversion invert(double[] x, int[] y, int[] shape, long seed) {
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    List<String> labels = model.labels();
    SplittableRandom[] perLabel = new SplittableRandom[labels.size()];
    for (int t = 0; t < perLabel.length; t++) {
      perLabel[t] = random.split();
    }
    // the labels' inversions are independent, each with its own generator: side by side, two at a
    // time on two cores, the same triggers as one after the other
    List<TriggerInversion.Trigger> triggers =
        java.util.stream.IntStream.range(0, perLabel.length)
            .parallel()
            .mapToObj(t -> invertLabel(x, y, t, perLabel[t]))
            .toList();
    double[] norms = triggers.stream().mapToDouble(TriggerInversion.Trigger::norm).toArray();
    double[] a = anomalyIndices(norms, config.anomalyScale());
    double med = median(norms);
    Integer[] order = new Integer[norms.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (i, j) -> Double.compare(a[j], a[i]));
    List<String> flagged = new ArrayList<>();
    for (int i : order) {
      if (norms[i] < med && a[i] > config.anomalyThreshold()) {
        flagged.add(labels.get(i));
      }
    }
    return new TriggerInversion(
        shape, triggers, a, flagged, y.length, (System.nanoTime() - start) / 1e9);
  }

  /**
   * The anomaly indices of the norms on {@code scale}: of {@code ln l} for LOG (norms floored at
   * 1e-12).
   */
  static double[] anomalyIndices(double[] norms, NeuralCleanseConfig.AnomalyScale scale) {
    if (scale == NeuralCleanseConfig.AnomalyScale.LINEAR) {
      return anomalyIndices(norms);
    }
    double[] logs = new double[norms.length];
    for (int i = 0; i < logs.length; i++) {
      logs[i] = Math.log(Math.max(1e-12, norms[i]));
    }
    return anomalyIndices(logs);
  }

  /** {@code |l − median| / (1.4826 · MAD)}; a zero MAD is floored at 1e-9 · max(1, median). */
  static double[] anomalyIndices(double[] norms) {
    double med = median(norms);
    double[] dev = new double[norms.length];
    for (int i = 0; i < dev.length; i++) {
      dev[i] = Math.abs(norms[i] - med);
    }
    double mad = Math.max(CONSISTENCY * median(dev), 1e-9 * Math.max(1, Math.abs(med)));
    double[] out = new double[norms.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = dev[i] / mad;
    }
    return out;
  }

  static double median(double[] v) {
    if (v.length == 0) {
      throw new IllegalArgumentException("the median of no values is undefined");
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int h = s.length / 2;
    return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + StrictMath.exp(-z));
  }

  TriggerInversion.Trigger invertLabel(double[] x, int[] y, int target, SplittableRandom rng) {
    int d = model.inputFeaturizer().dimension();
    int k = model.labels().size();
    int[] rows =
        java.util.stream.IntStream.range(0, y.length).filter(i -> y[i] != target).toArray();
    int n = rows.length;
    String label = model.labels().get(target);
    if (n == 0) {
      return new TriggerInversion.Trigger(
          label, 0, 0, false, new double[d], new double[d], 0, config.initialCost());
    }
    // θ = logit of uniform(0.05, 0.95) starting values
    double[] theta = new double[2 * d];
    for (int j = 0; j < theta.length; j++) {
      double u = 0.05 + 0.9 * rng.nextDouble();
      theta[j] = Math.log(u / (1 - u));
    }
    double[] mom = new double[2 * d];
    double[] vel = new double[2 * d];
    double[] grad = new double[2 * d];
    double[] m = new double[d];
    double[] p = new double[d];
    int b = Math.min(config.batchSize(), n);
    double[] xb = new double[b * d];
    double[] gx = new double[b * d];
    double[] prob = new double[b * k];
    int[] yb = new int[b];
    Arrays.fill(yb, target);
    double cost = config.initialCost();
    int up = 0;
    int down = 0;
    double[] bestM = null;
    double[] bestP = null;
    double bestNorm = Double.POSITIVE_INFINITY;
    double sinceImproved = 0;
    double b1t = 1;
    double b2t = 1;
    int[] order = rows.clone();
    int epoch = 0;
    while (epoch < config.maxEpochs()) {
      epoch++;
      org.poisonlab.linalg.Permutations.shuffle(order, rng);
      int hits = 0;
      int seen = 0;
      for (int from = 0; from < n; from += b) {
        int rb = Math.min(b, n - from);
        for (int j = 0; j < d; j++) {
          m[j] = sigmoid(theta[j]);
          p[j] = sigmoid(theta[d + j]);
        }
        for (int r = 0; r < rb; r++) {
          int src = order[from + r] * d;
          int dst = r * d;
          for (int j = 0; j < d; j++) {
            xb[dst + j] = x[src + j] + m[j] * (p[j] - x[src + j]);
          }
        }
        double[] in = rb == b ? xb : Arrays.copyOf(xb, rb * d);
        double[] pr = rb == b ? prob : new double[rb * k];
        double[] g = rb == b ? gx : new double[rb * d];
        model.inputGradients(in, rb == b ? yb : Arrays.copyOf(yb, rb), pr, g);
        for (int r = 0; r < rb; r++) {
          hits += argmax(pr, r * k, k) == target ? 1 : 0;
        }
        seen += rb;
        Arrays.fill(grad, 0);
        for (int r = 0; r < rb; r++) {
          int src = order[from + r] * d;
          int off = r * d;
          for (int j = 0; j < d; j++) {
            double gj = g[off + j];
            grad[j] += gj * (p[j] - x[src + j]);
            grad[d + j] += gj * m[j];
          }
        }
        for (int j = 0; j < d; j++) {
          grad[j] = (grad[j] / rb + cost) * m[j] * (1 - m[j]);
          grad[d + j] = grad[d + j] / rb * p[j] * (1 - p[j]);
        }
        b1t *= BETA1;
        b2t *= BETA2;
        double eta = config.learningRate() * Math.sqrt(1 - b2t) / (1 - b1t);
        for (int j = 0; j < theta.length; j++) {
          mom[j] = BETA1 * mom[j] + (1 - BETA1) * grad[j];
          vel[j] = BETA2 * vel[j] + (1 - BETA2) * grad[j] * grad[j];
          theta[j] -= eta * mom[j] / (Math.sqrt(vel[j]) + EPS);
        }
      }
      double success = hits / (double) seen;
      double norm = 0;
      for (int j = 0; j < d; j++) {
        m[j] = sigmoid(theta[j]);
        norm += m[j];
      }
      boolean ok = success >= config.successThreshold();
      if (ok && norm < bestNorm) {
        sinceImproved = norm < 0.99 * bestNorm ? 0 : sinceImproved + 1;
        bestNorm = norm;
        bestM = m.clone();
        bestP = new double[d];
        for (int j = 0; j < d; j++) {
          bestP[j] = sigmoid(theta[d + j]);
        }
      } else {
        sinceImproved++;
      }
      if (ok) {
        up++;
        down = 0;
      } else {
        down++;
        up = 0;
      }
      if (up >= config.patience()) {
        up = 0;
        cost = cost == 0 ? config.initialCost() : cost * config.costMultiplier();
      } else if (down >= config.patience()) {
        down = 0;
        cost /= Math.pow(config.costMultiplier(), 1.5);
      }
      if (bestM != null && sinceImproved >= 3 * config.patience()) {
        break;
      }
    }
    boolean reached = bestM != null;
    if (!reached) {
      bestM = new double[d];
      bestP = new double[d];
      for (int j = 0; j < d; j++) {
        bestM[j] = sigmoid(theta[j]);
        bestP[j] = sigmoid(theta[d + j]);
      }
    }
    double norm = 0;
    for (double v : bestM) {
      norm += v;
    }
    double success = successRate(x, rows, bestM, bestP, target);
    return new TriggerInversion.Trigger(label, norm, success, reached, bestM, bestP, epoch, cost);
  }

  /** Share of {@code rows} classified as {@code target} once the trigger is applied. */
  double successRate(double[] x, int[] rows, double[] m, double[] p, int target) {
    int d = m.length;
    int k = model.labels().size();
    int chunk = 1024;
    int hits = 0;
    for (int from = 0; from < rows.length; from += chunk) {
      int rb = Math.min(chunk, rows.length - from);
      double[] xb = new double[rb * d];
      for (int r = 0; r < rb; r++) {
        int src = rows[from + r] * d;
        for (int j = 0; j < d; j++) {
          xb[r * d + j] = x[src + j] + m[j] * (p[j] - x[src + j]);
        }
      }
      int[] yb = new int[rb];
      Arrays.fill(yb, target);
      double[] pr = new double[rb * k];
      model.inputGradients(xb, yb, pr, null);
      for (int r = 0; r < rb; r++) {
        hits += argmax(pr, r * k, k) == target ? 1 : 0;
      }
    }
    return rows.length == 0 ? 0 : hits / (double) rows.length;
  }

  private static int argmax(double[] v, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (v[off + j] > v[off + best]) {
        best = j;
      }
    }
    return best;
  }
}
