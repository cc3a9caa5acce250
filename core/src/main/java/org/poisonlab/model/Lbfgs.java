package org.poisonlab.model;

import java.util.function.Consumer;

/**
 * Limited-memory BFGS (Liu and Nocedal, "On the limited memory BFGS method for large scale
 * optimization", Math. Programming 45, 1989), as in Nocedal and Wright, <i>Numerical
 * Optimization</i>, 2nd ed., 2006: the search direction {@code d = −H g} comes from the two-loop
 * recursion (Algorithm 7.4) over the last {@code m} pairs {@code s = x_{k+1} − x_k}, {@code y =
 * g_{k+1} − g_k}, with initial scaling {@code H_0 = (sᵀy / yᵀy) I}; the step length satisfies the
 * strong Wolfe conditions {@code f(x + αd) ≤ f(x) + c1 α gᵀd} and {@code |g(x + αd)ᵀd| ≤ c2 |gᵀd|}
 * (c1 = 1e-4, c2 = 0.9), found by bracketing and zooming with safeguarded cubic interpolation
 * (Algorithms 3.5 and 3.6).
 *
 * <p>A failed line search or non-finite value ends the run at the best point found; that is a
 * result, reported through the progress messages, not an exception.
 */
final class Lbfgs {
  /** The function to minimise: returns f(x), writes ∇f(x) into grad (every entry). */
  interface Objective {
    double evaluate(double[] x, double[] grad);
  }

  private static final double C1 = 1e-4;
  private static final double C2 = 0.9;
  private static final int MEMORY = 10;
  private static final int MAX_EVALS_PER_SEARCH = 25;

  private final int maxIterations;
  private final double gradTolerance;
  private final Consumer<String> progress;
  private final java.util.function.ObjIntConsumer<double[]> hook;

  Lbfgs(int maxIterations, double gradTolerance, Consumer<String> progress) {
    this(maxIterations, gradTolerance, progress, null);
  }

  /**
   * @param hook when not null, sees {@code (x, iteration)} after every accepted iteration; must not
   *     modify or keep {@code x}
   */
  Lbfgs(
      int maxIterations,
      double gradTolerance,
      Consumer<String> progress,
      java.util.function.ObjIntConsumer<double[]> hook) {
    this.maxIterations = maxIterations;
    this.gradTolerance = gradTolerance;
    this.progress = progress;
    this.hook = hook;
  }

  /** Minimises from {@code x} (modified: holds the result). Returns the final objective. */
  double minimize(Objective f, double[] x) {
    int p = x.length;
    double[] g = new double[p];
    double fx = f.evaluate(x, g);
    double[][] s = new double[MEMORY][];
    double[][] y = new double[MEMORY][];
    double[] rho = new double[MEMORY];
    double[] alpha = new double[MEMORY];
    int stored = 0;
    int newest = -1;
    double[] d = new double[p];
    double[] xNew = new double[p];
    double[] gNew = new double[p];
    long start = System.nanoTime();
    for (int iter = 1; iter <= maxIterations; iter++) {
      double gNorm = maxAbs(g);
      if (!Double.isFinite(fx) || gNorm <= gradTolerance) {
        say(
            "L-BFGS stopped at iteration "
                + iter
                + ": objective "
                + fx
                + ", max |gradient| "
                + gNorm);
        return fx;
      }
      // two-loop recursion: d = -H g
      for (int i = 0; i < p; i++) {
        d[i] = -g[i];
      }
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(newest - k, MEMORY);
        alpha[j] = rho[j] * dot(s[j], d);
        axpy(-alpha[j], y[j], d);
      }
      if (stored > 0) {
        double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
        for (int i = 0; i < p; i++) {
          d[i] *= gamma;
        }
      }
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(newest - k, MEMORY);
        double beta = rho[j] * dot(y[j], d);
        axpy(alpha[j] - beta, s[j], d);
      }
      double gd = dot(g, d);
      if (!(gd < 0)) {
        // not a descent direction (numerical trouble): restart from steepest descent
        stored = 0;
        for (int i = 0; i < p; i++) {
          d[i] = -g[i];
        }
        gd = dot(g, d);
      }
      double step0 = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-gd)) : 1.0;
      double[] fNew = new double[1];
      double step = lineSearch(f, x, fx, g, d, gd, step0, xNew, gNew, fNew);
      if (step <= 0) {
        say(
            "L-BFGS stopped at iteration "
                + iter
                + ": line search found no step satisfying the Wolfe conditions");
        return fx;
      }
      // store the pair, reusing the oldest buffers
      newest = (newest + 1) % MEMORY;
      if (s[newest] == null) {
        s[newest] = new double[p];
        y[newest] = new double[p];
      }
      for (int i = 0; i < p; i++) {
        s[newest][i] = xNew[i] - x[i];
        y[newest][i] = gNew[i] - g[i];
      }
      double sy = dot(s[newest], y[newest]);
      if (sy > 0) {
        rho[newest] = 1.0 / sy;
        stored = Math.min(stored + 1, MEMORY);
      } else {
        newest = Math.floorMod(newest - 1, MEMORY);
      }
      double previous = fx;
      System.arraycopy(xNew, 0, x, 0, p);
      System.arraycopy(gNew, 0, g, 0, p);
      fx = fNew[0];
      if (hook != null) {
        hook.accept(x, iter);
      }
      if (iter % 10 == 0 || iter == maxIterations) {
        say(
            String.format(
                "L-BFGS iteration %d: objective %.6f, max |gradient| %.2e, %.2f s",
                iter, fx, maxAbs(g), (System.nanoTime() - start) / 1e9));
      }
      if (Math.abs(previous - fx) <= 1e-12 * Math.max(1, Math.abs(fx))) {
        say("L-BFGS converged at iteration " + iter + ": objective " + fx);
        return fx;
      }
    }
    return fx;
  }

  /** Strong Wolfe line search; returns the step (0 on failure) with x, g, f at it in the outs. */
  private double lineSearch(
      Objective f,
      double[] x,
      double f0,
      double[] g0,
      double[] d,
      double gd0,
      double step0,
      double[] xOut,
      double[] gOut,
      double[] fOut) {
    double prevStep = 0;
    double prevF = f0;
    double prevGd = gd0;
    double step = step0;
    for (int evals = 0; evals < MAX_EVALS_PER_SEARCH; evals++) {
      double fs = probe(f, x, d, step, xOut, gOut);
      double gds = dot(gOut, d);
      if (!Double.isFinite(fs) || fs > f0 + C1 * step * gd0 || (evals > 0 && fs >= prevF)) {
        return zoom(
            f,
            x,
            f0,
            d,
            gd0,
            prevStep,
            prevF,
            prevGd,
            step,
            fs,
            gds,
            xOut,
            gOut,
            fOut,
            MAX_EVALS_PER_SEARCH - evals);
      }
      if (Math.abs(gds) <= -C2 * gd0) {
        fOut[0] = fs;
        return step;
      }
      if (gds >= 0) {
        return zoom(
            f,
            x,
            f0,
            d,
            gd0,
            step,
            fs,
            gds,
            prevStep,
            prevF,
            prevGd,
            xOut,
            gOut,
            fOut,
            MAX_EVALS_PER_SEARCH - evals);
      }
      prevStep = step;
      prevF = fs;
      prevGd = gds;
      step *= 2;
    }
    return 0;
  }

  private double zoom(
      Objective f,
      double[] x,
      double f0,
      double[] d,
      double gd0,
      double lo,
      double fLo,
      double gdLo,
      double hi,
      double fHi,
      double gdHi,
      double[] xOut,
      double[] gOut,
      double[] fOut,
      int budget) {
    for (int evals = 0; evals < budget; evals++) {
      double step = interpolate(lo, fLo, gdLo, hi, fHi, gdHi);
      double fs = probe(f, x, d, step, xOut, gOut);
      double gds = dot(gOut, d);
      if (!Double.isFinite(fs) || fs > f0 + C1 * step * gd0 || fs >= fLo) {
        hi = step;
        fHi = fs;
        gdHi = gds;
      } else {
        if (Math.abs(gds) <= -C2 * gd0) {
          fOut[0] = fs;
          return step;
        }
        if (gds * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          gdHi = gdLo;
        }
        lo = step;
        fLo = fs;
        gdLo = gds;
      }
      if (Math.abs(hi - lo) <= 1e-12 * Math.max(1, Math.abs(lo))) {
        break;
      }
    }
    // fall back to the best Armijo point found, if it is not the start
    if (lo > 0 && fLo < f0) {
      fOut[0] = probe(f, x, d, lo, xOut, gOut);
      return lo;
    }
    return 0;
  }

  /** Minimiser of the cubic through both ends, kept inside the middle 80 % of the bracket. */
  private static double interpolate(
      double a, double fa, double ga, double b, double fb, double gb) {
    double lo = Math.min(a, b);
    double hi = Math.max(a, b);
    double t;
    if (Double.isFinite(fb)) {
      double d1 = ga + gb - 3 * (fa - fb) / (a - b);
      double disc = d1 * d1 - ga * gb;
      if (disc >= 0) {
        double d2 = Math.copySign(Math.sqrt(disc), b - a);
        t = b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
      } else {
        t = (a + b) / 2;
      }
    } else {
      t = (a + b) / 2;
    }
    double margin = 0.1 * (hi - lo);
    if (!Double.isFinite(t) || t < lo + margin || t > hi - margin) {
      t = (a + b) / 2;
    }
    return t;
  }

  private static double probe(
      Objective f, double[] x, double[] d, double step, double[] xOut, double[] gOut) {
    for (int i = 0; i < x.length; i++) {
      xOut[i] = Math.fma(step, d[i], x[i]);
    }
    return f.evaluate(xOut, gOut);
  }

  private void say(String message) {
    if (progress != null) {
      progress.accept(message);
    }
  }

  private static double dot(double[] a, double[] b) {
    return org.poisonlab.linalg.Vectors.dot(a, b);
  }

  private static void axpy(double alpha, double[] x, double[] y) {
    org.poisonlab.linalg.Vectors.axpy(alpha, x, y);
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
