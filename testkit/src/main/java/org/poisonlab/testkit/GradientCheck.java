package org.poisonlab.testkit;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Compares analytic gradients with central finite differences, {@code (f(θ + h e_i) − f(θ − h e_i))
 * / 2h}, whose error is O(h²) for smooth functions.
 *
 * <p>The relative error of one coordinate is {@code |a − n| / max(|a|, |n|, floor)}, with {@code a}
 * the analytic and {@code n} the numeric value; the floor keeps coordinates whose derivative is
 * (nearly) zero from turning rounding noise into a large ratio.
 */
public final class GradientCheck {
  /** Default step: balances truncation (h²) and rounding (ε/h) error for doubles. */
  public static final double STEP = 1e-6;

  /** Default floor of the relative error's denominator. */
  public static final double FLOOR = 1e-4;

  private GradientCheck() {}

  /**
   * The largest relative error over the given coordinates between {@code gradient} and central
   * differences of {@code f} around {@code x}.
   *
   * @param f the function; called with arrays it must not keep
   * @param x not modified (perturbed copies are passed to {@code f})
   * @param gradient not modified; the analytic gradient of {@code f} at {@code x}
   * @param coordinates the indices to check, or null for all
   */
  public static double maxRelativeError(
      ToDoubleFunction<double[]> f,
      double[] x,
      double[] gradient,
      int[] coordinates,
      double step,
      double floor) {
    double[] probe = x.clone();
    double worst = 0;
    int n = coordinates == null ? x.length : coordinates.length;
    for (int k = 0; k < n; k++) {
      int i = coordinates == null ? k : coordinates[k];
      probe[i] = x[i] + step;
      double up = f.applyAsDouble(probe);
      probe[i] = x[i] - step;
      double down = f.applyAsDouble(probe);
      probe[i] = x[i];
      double numeric = (up - down) / (2 * step);
      double a = gradient[i];
      double err =
          Math.abs(a - numeric) / Math.max(floor, Math.max(Math.abs(a), Math.abs(numeric)));
      if (!(err <= worst)) {
        worst = err; // NaN propagates as the worst error
      }
    }
    return worst;
  }

  /**
   * The largest relative error between {@link DifferentiableClassifier#objective}'s gradient (mean
   * loss plus the L2 term) and central differences, over the given coordinates (null: all).
   *
   * @param examples not modified
   * @param labels not modified; class indices
   */
  public static double objective(
      DifferentiableClassifier model, List<Example> examples, int[] labels, int[] coordinates) {
    double[] theta = model.parameters();
    double[] g = new double[theta.length];
    model.objective(examples, labels, g);
    return maxRelativeError(
        p -> model.withParameters(p).objective(examples, labels, null),
        theta,
        g,
        coordinates,
        STEP,
        FLOOR);
  }

  /**
   * The largest relative error between {@link DifferentiableClassifier#gradient} of one example and
   * central differences of its {@link DifferentiableClassifier#losses loss}.
   */
  public static double perExample(
      DifferentiableClassifier model, Example example, int label, int[] coordinates) {
    double[] theta = model.parameters();
    double[] g = model.gradient(example, label, null);
    List<Example> one = List.of(example);
    int[] y = {label};
    return maxRelativeError(
        p -> model.withParameters(p).losses(one, y)[0], theta, g, coordinates, STEP, FLOOR);
  }

  /**
   * The relative error {@code ||a − d|| / max(||a||, ||d||)} between the model's {@link
   * DifferentiableClassifier#hessianVector} {@code a} and central differences of its analytic
   * objective gradient, {@code d = (∇f(θ + h v) − ∇f(θ − h v)) / 2h} with {@code h = step / ||v||}.
   *
   * @param v not modified
   */
  public static double hessianVector(
      DifferentiableClassifier model,
      List<Example> examples,
      int[] labels,
      double[] v,
      double step) {
    double[] a = model.hessianVector(examples, labels, v, null);
    return relativeDistance(a, centralHessianVector(model, examples, labels, v, step));
  }

  /** {@code (∇f(θ + h v) − ∇f(θ − h v)) / 2h} with {@code h = step / ||v||}; v not modified. */
  public static double[] centralHessianVector(
      DifferentiableClassifier model,
      List<Example> examples,
      int[] labels,
      double[] v,
      double step) {
    double[] theta = model.parameters();
    int p = theta.length;
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    double h = step / Math.sqrt(norm);
    double[] shifted = new double[p];
    double[] up = new double[p];
    double[] down = new double[p];
    for (int i = 0; i < p; i++) {
      shifted[i] = theta[i] + h * v[i];
    }
    model.withParameters(shifted).objective(examples, labels, up);
    for (int i = 0; i < p; i++) {
      shifted[i] = theta[i] - h * v[i];
    }
    model.withParameters(shifted).objective(examples, labels, down);
    double[] d = new double[p];
    for (int i = 0; i < p; i++) {
      d[i] = (up[i] - down[i]) / (2 * h);
    }
    return d;
  }

  /** {@code ||a − b|| / max(||a||, ||b||)}, 0 when both are zero; neither array is modified. */
  public static double relativeDistance(double[] a, double[] b) {
    double diff = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - b[i]) * (a[i] - b[i]);
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    double den = Math.sqrt(Math.max(na, nb));
    return den == 0 ? 0 : Math.sqrt(diff) / den;
  }
}
