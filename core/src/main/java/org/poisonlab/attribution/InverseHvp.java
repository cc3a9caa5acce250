package org.poisonlab.attribution;

import org.poisonlab.model.CurvatureOperator;

/**
 * Iterative solutions of {@code (H + λI) x = g} from Hessian-vector products alone, for models
 * whose Hessian is too large to form. Non-convergence is part of the result, never thrown.
 */
final class InverseHvp {
  private InverseHvp() {}

  /**
   * @param x the approximate solution
   * @param iterations products with H used
   * @param relativeResidual {@code ||g − (H + λI) x|| / ||g||} at the end (from the recurrence for
   *     CG; computed afresh for LiSSA)
   * @param converged whether the tolerance was reached (CG) or the iterates stayed finite (LiSSA)
   */
  record Solve(double[] x, int iterations, double relativeResidual, boolean converged) {}

  /**
   * Conjugate gradients (Hestenes and Stiefel, J. Res. NBS 49(6), 1952): {@code r₀ = g}, {@code p₀
   * = r₀}; {@code α = rᵀr / pᵀAp}, {@code x += αp}, {@code r −= αAp}, {@code β = r'ᵀr' / rᵀr},
   * {@code p = r' + βp}, with {@code A = H + λI}; stops when {@code ||r|| ≤ tol·||g||}. A
   * non-positive {@code pᵀAp} (A not positive definite) stops the run unconverged.
   */
  static Solve conjugateGradient(
      CurvatureOperator h, double damping, double[] g, double tol, int maxIterations) {
    int p = g.length;
    double[] x = new double[p];
    double[] r = g.clone();
    double[] dir = g.clone();
    double[] ad = new double[p];
    double gg = dot(g, g);
    if (gg == 0) {
      return new Solve(x, 0, 0, true);
    }
    double rr = gg;
    int it = 0;
    while (it < maxIterations && rr > tol * tol * gg) {
      h.apply(dir, ad);
      for (int q = 0; q < p; q++) {
        ad[q] += damping * dir[q];
      }
      double pap = dot(dir, ad);
      it++;
      if (!(pap > 0)) {
        return new Solve(x, it, Math.sqrt(rr / gg), false);
      }
      double alpha = rr / pap;
      for (int q = 0; q < p; q++) {
        x[q] += alpha * dir[q];
        r[q] -= alpha * ad[q];
      }
      double next = dot(r, r);
      double beta = next / rr;
      rr = next;
      for (int q = 0; q < p; q++) {
        dir[q] = r[q] + beta * dir[q];
      }
    }
    return new Solve(x, it, Math.sqrt(rr / gg), rr <= tol * tol * gg);
  }

  /**
   * LiSSA (Agarwal, Bullins and Hazan, "Second-order stochastic optimization for machine learning
   * in linear time", JMLR 18, 2017), as used for influence by Koh and Liang (2017): {@code v₀ = g},
   * {@code v_j = g + (I − (H + λI)/s) v_{j−1}} for {@code j = 1..depth}, then {@code x = v_depth /
   * s}, the truncated Neumann series of {@code s (H+λI)⁻¹ g / s}; it converges when {@code s}
   * exceeds the largest eigenvalue of {@code H + λI}. Here the products use the whole training set,
   * so every repeat gives the same iterate: {@code repeats} averages them to keep the method's
   * shape for operators that sample.
   */
  static Solve lissa(
      CurvatureOperator h, double damping, double[] g, int depth, double scale, int repeats) {
    int p = g.length;
    double[] sum = new double[p];
    double[] v = new double[p];
    double[] hv = new double[p];
    boolean finite = true;
    for (int rep = 0; rep < repeats; rep++) {
      System.arraycopy(g, 0, v, 0, p);
      for (int j = 0; j < depth; j++) {
        h.apply(v, hv);
        for (int q = 0; q < p; q++) {
          v[q] = g[q] + v[q] - (hv[q] + damping * v[q]) / scale;
        }
      }
      for (int q = 0; q < p; q++) {
        sum[q] += v[q] / scale / repeats;
        finite &= Double.isFinite(v[q]);
      }
    }
    h.apply(sum, hv);
    double res = 0;
    for (int q = 0; q < p; q++) {
      double e = g[q] - hv[q] - damping * sum[q];
      res += e * e;
    }
    double gn = Math.sqrt(dot(g, g));
    return new Solve(sum, depth * repeats + 1, gn == 0 ? 0 : Math.sqrt(res) / gn, finite);
  }

  /**
   * The largest eigenvalue of {@code H + λI} estimated by {@code steps} power iterations from a
   * fixed start; used to pick LiSSA's scale.
   */
  static double largestEigenvalue(CurvatureOperator h, double damping, int steps) {
    int p = h.dimension();
    double[] v = new double[p];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(17);
    for (int q = 0; q < p; q++) {
      v[q] = rng.nextDouble() - 0.5;
    }
    double[] hv = new double[p];
    double lambda = 0;
    for (int s = 0; s < steps; s++) {
      double norm = Math.sqrt(dot(v, v));
      for (int q = 0; q < p; q++) {
        v[q] /= norm;
      }
      h.apply(v, hv);
      for (int q = 0; q < p; q++) {
        hv[q] += damping * v[q];
      }
      lambda = dot(v, hv);
      double[] t = v;
      v = hv;
      hv = t;
    }
    return lambda;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
