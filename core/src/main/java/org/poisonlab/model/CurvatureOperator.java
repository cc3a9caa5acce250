package org.poisonlab.model;

/**
 * A symmetric linear map on the parameter space of a {@link DifferentiableClassifier}: the Hessian
 * (or Gauss-Newton matrix) of its training objective on a fixed set of examples, with the features
 * made once so that iterative solvers can apply it many times. Thread-safe only if the
 * implementation says so; the built-in ones are not (they reuse buffers).
 */
public interface CurvatureOperator {
  /** The number of parameters (rows and columns). */
  int dimension();

  /**
   * The product of the matrix with {@code v}.
   *
   * @param v not modified; length {@link #dimension()}
   * @param out modified: every entry overwritten; null to allocate. Returned.
   * @throws IllegalArgumentException if a length is not {@link #dimension()}
   */
  double[] apply(double[] v, double[] out);
}
