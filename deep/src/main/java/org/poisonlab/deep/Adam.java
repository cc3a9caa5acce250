package org.poisonlab.deep;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam (Kingma and Ba, ICLR 2015) on parameters held as Java float arrays: {@code m ← β1 m + (1 −
 * β1) g}, {@code v ← β2 v + (1 − β2) g²}, {@code w ← w − lr m̂ / (√v̂ + ε)} with the bias-corrected
 * {@code m̂ = m / (1 − β1^t)}, {@code v̂ = v / (1 − β2^t)}; an L2 penalty {@code l2 w} is added to
 * the gradient of the tensors marked as weights (β1 0.9, β2 0.999, ε 1e-8).
 *
 * <p>Each element is computed in double precision and stored back as float, on the Vector API
 * (eight doubles a vector on AVX-512): each element sees the very same operations in the same order
 * as in the scalar loop ({@link #range}), so the bits do not depend on the lanes. The update runs
 * on the calling thread alone. It is bound by memory traffic (a second thread saved 6 % of it on a
 * 1.9 M-parameter text model), and the floating-point control state of a thread that has called
 * into PyTorch can differ from that of other threads (PyTorch's kernels may leave denormals
 * flushed), so splitting the elements over threads made reruns differ in the last bits.
 */
final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FLOATS =
      FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
  private static final int LANES = DOUBLES.length();

  private Adam() {}

  /**
   * One step. Modified: {@code w}, {@code m}, {@code v}. Not modified: {@code g}, {@code weight}.
   *
   * @param step the step number, from 1
   */
  static void step(
      float[][] w,
      float[][] g,
      float[][] m,
      float[][] v,
      boolean[] weight,
      double lr,
      double l2,
      int step) {
    double c1 = 1 - Math.pow(BETA1, step);
    double c2 = 1 - Math.pow(BETA2, step);
    for (int t = 0; t < w.length; t++) {
      double decay = weight[t] && l2 > 0 ? l2 : 0;
      rangeVector(w[t], g[t], m[t], v[t], decay, lr, c1, c2, 0, w[t].length);
    }
  }

  /** The update of elements [from, to), one at a time. */
  static void range(
      float[] w,
      float[] g,
      float[] m,
      float[] v,
      double decay,
      double lr,
      double c1,
      double c2,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      double gi = g[i] + (decay > 0 ? decay * w[i] : 0);
      double mi = BETA1 * m[i] + (1 - BETA1) * gi;
      double vi = BETA2 * v[i] + (1 - BETA2) * gi * gi;
      m[i] = (float) mi;
      v[i] = (float) vi;
      w[i] = (float) (w[i] - lr * (mi / c1) / (Math.sqrt(vi / c2) + EPSILON));
    }
  }

  /** The same update as {@link #range}, a vector of elements at a time; the same bits. */
  static void rangeVector(
      float[] w,
      float[] g,
      float[] m,
      float[] v,
      double decay,
      double lr,
      double c1,
      double c2,
      int from,
      int to) {
    int bound = from + (to - from) / LANES * LANES;
    int i = from;
    for (; i < bound; i += LANES) {
      DoubleVector wi = widen(w, i);
      DoubleVector gi = widen(g, i);
      gi = decay > 0 ? gi.add(wi.mul(decay)) : gi.add(0.0);
      DoubleVector mi = widen(m, i).mul(BETA1).add(gi.mul(1 - BETA1));
      DoubleVector vi = widen(v, i).mul(BETA2).add(gi.mul(1 - BETA2).mul(gi));
      narrow(mi, m, i);
      narrow(vi, v, i);
      DoubleVector denominator = vi.div(c2).lanewise(VectorOperators.SQRT).add(EPSILON);
      narrow(wi.sub(mi.div(c1).mul(lr).div(denominator)), w, i);
    }
    range(w, g, m, v, decay, lr, c1, c2, i, to);
  }

  /** A vector of floats from {@code a[i]} on, widened to doubles. */
  static DoubleVector widen(float[] a, int i) {
    return (DoubleVector)
        FloatVector.fromArray(FLOATS, a, i).convertShape(VectorOperators.F2D, DOUBLES, 0);
  }

  /** The lanes of {@code d} narrowed to floats into {@code a[i]} on. */
  static void narrow(DoubleVector d, float[] a, int i) {
    ((FloatVector) d.convertShape(VectorOperators.D2F, FLOATS, 0)).intoArray(a, i);
  }
}
