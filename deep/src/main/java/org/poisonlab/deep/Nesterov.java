package org.poisonlab.deep;

import jdk.incubator.vector.DoubleVector;

/**
 * Stochastic gradient descent with Nesterov momentum (Sutskever et al., ICML 2013, in the form
 * PyTorch's {@code SGD(nesterov=True)} uses) and a step size that falls on a half cosine from
 * {@code lr} to 0 over the run (Loshchilov and Hutter, ICLR 2017, without restarts): {@code g ← g +
 * l2 w} on the tensors marked as weights, {@code b ← μ b + g}, {@code w ← w − lr_t (g + μ b)} with
 * μ 0.9 and {@code lr_t = lr (1 + cos(π t / T)) / 2} at step t of T (from 0).
 *
 * <p>As in {@link Adam}, each element is computed in double precision and stored back as float, on
 * the calling thread, the vector loop giving the scalar loop's bits.
 */
final class Nesterov {
  static final double MOMENTUM = 0.9;

  private static final int LANES = DoubleVector.SPECIES_PREFERRED.length();

  private Nesterov() {}

  /**
   * The step size of step {@code step} (from 0) of {@code steps}.
   *
   * @param lr the first step's size
   */
  static double rate(double lr, long step, long steps) {
    return lr * 0.5 * (1 + Math.cos(Math.PI * step / steps));
  }

  /** One step at step size {@code lr}. Modified: {@code w}, {@code b}. Not modified: the rest. */
  static void step(float[][] w, float[][] g, float[][] b, boolean[] weight, double lr, double l2) {
    for (int t = 0; t < w.length; t++) {
      double decay = weight[t] && l2 > 0 ? l2 : 0;
      rangeVector(w[t], g[t], b[t], decay, lr, 0, w[t].length);
    }
  }

  /** The update of elements [from, to), one at a time. */
  static void range(float[] w, float[] g, float[] b, double decay, double lr, int from, int to) {
    for (int i = from; i < to; i++) {
      double gi = g[i] + (decay > 0 ? decay * w[i] : 0);
      double bi = MOMENTUM * b[i] + gi;
      b[i] = (float) bi;
      w[i] = (float) (w[i] - lr * (gi + MOMENTUM * bi));
    }
  }

  /** The same update as {@link #range}, a vector of elements at a time; the same bits. */
  static void rangeVector(
      float[] w, float[] g, float[] b, double decay, double lr, int from, int to) {
    int bound = from + (to - from) / LANES * LANES;
    int i = from;
    for (; i < bound; i += LANES) {
      DoubleVector wi = Adam.widen(w, i);
      DoubleVector gi = Adam.widen(g, i);
      gi = decay > 0 ? gi.add(wi.mul(decay)) : gi.add(0.0);
      DoubleVector bi = Adam.widen(b, i).mul(MOMENTUM).add(gi);
      Adam.narrow(bi, b, i);
      Adam.narrow(wi.sub(gi.add(bi.mul(MOMENTUM)).mul(lr)), w, i);
    }
    range(w, g, b, decay, lr, i, to);
  }
}
