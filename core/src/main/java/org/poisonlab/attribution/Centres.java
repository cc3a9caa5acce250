package org.poisonlab.attribution;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Where the input layer's inputs are centred for a gradient comparison. The first layer computes
 * {@code W x + b = W (x − μ) + (b + W μ)}: the same function under another parametrisation, whose
 * weight gradient is {@code δ (x − μ)ᵀ} instead of {@code δ xᵀ}. TracIn's dot products depend on
 * the parametrisation; centring on {@code μ} removes what every input near {@code μ} shares.
 *
 * <p>Two centres: the training set's mean input, or — for each behaviour example — the mean
 * training input of the behaviour example's label (what that class normally looks like), so an
 * input of the class counts by how it differs from its class, and a poison (an input of another
 * class carrying the trigger) by its trigger and by not looking like the class.
 */
final class Centres {
  private final double[][] means;
  private final int[] centreOfTarget;

  private Centres(double[][] means, int[] centreOfTarget) {
    this.means = means;
    this.centreOfTarget = centreOfTarget;
  }

  /**
   * Centres for the behaviour examples.
   *
   * @param train not modified
   * @param trainLabels not modified; class index per training example
   * @param behaviorLabels not modified; class index per behaviour example
   * @param byLabel one centre per behaviour label (its training examples' mean), else one centre
   *     (the whole training set's mean)
   */
  static Centres of(
      DifferentiableClassifier model,
      List<Example> train,
      int[] trainLabels,
      int[] behaviorLabels,
      boolean byLabel) {
    int classes = model.labels().size();
    int[] slot = new int[classes];
    java.util.Arrays.fill(slot, -1);
    int count = 0;
    int[] centreOf = new int[behaviorLabels.length];
    for (int t = 0; t < behaviorLabels.length; t++) {
      int c = byLabel ? behaviorLabels[t] : 0;
      if (slot[c] < 0) {
        slot[c] = count++;
      }
      centreOf[t] = slot[c];
    }
    int d = model.featurizer().dimension();
    double[][] sums = new double[count][d];
    long[] sizes = new long[count];
    int n = train.size();
    int block = Math.max(1, (1 << 21) / Math.max(1, d));
    for (int from = 0; from < n; from += block) {
      int to = Math.min(n, from + block);
      Matrix x = model.featurizer().transform(train.subList(from, to));
      if (x instanceof ByteMatrix b) {
        x = b.toDense();
      }
      for (int r = 0; r < to - from; r++) {
        int k = slot[byLabel ? trainLabels[from + r] : 0];
        if (k < 0) {
          continue;
        }
        sizes[k]++;
        add(x, r, d, sums[k]);
      }
    }
    for (int k = 0; k < count; k++) {
      for (int j = 0; j < d; j++) {
        sums[k][j] = sizes[k] == 0 ? 0 : sums[k][j] / sizes[k];
      }
    }
    return new Centres(sums, centreOf);
  }

  private static void add(Matrix x, int r, int d, double[] into) {
    if (x instanceof CsrMatrix c) {
      for (int q = c.rowPtr()[r]; q < c.rowPtr()[r + 1]; q++) {
        into[c.colIndex()[q]] += c.values()[q];
      }
      return;
    }
    double[] v = ((DenseMatrix) x).values();
    for (int j = 0; j < d; j++) {
      into[j] += v[r * d + j];
    }
  }

  /** How many distinct centres there are. */
  int count() {
    return means.length;
  }

  /** Centre c's mean input (shared, not to be modified). */
  double[] mean(int c) {
    return means[c];
  }

  /** The centre of behaviour example t. */
  int of(int t) {
    return centreOfTarget[t];
  }
}
