package org.poisonlab.model;

import java.util.List;
import org.poisonlab.data.Example;

/**
 * A classifier whose loss can be differentiated with respect to its parameters: the view that
 * attribution (influence functions, TracIn, TRAK, representer points) and defenses work on.
 *
 * <p><b>Parameter layout.</b> The flat vector holds the layers in order from input to output; each
 * layer {@code l} as its weight matrix {@code W_l} (row-major, {@code layerSizes()[l+1] ×
 * layerSizes()[l]}: row {@code j} holds the weights into output {@code j}), then its bias vector
 * {@code b_l}. Logistic regression has one layer ({@code W} is classes × features), an MLP two or
 * three. {@link #isWeight(int)} tells weights (penalised by L2) from biases.
 *
 * <p><b>Loss.</b> The loss of example {@code x} with class index {@code y} is the cross-entropy
 * {@code −log softmax(f(x))_y}. The training objective is the mean loss plus {@code l2()/2 ·
 * ||W||²} over the weights. Class indices are positions in {@link #labels()}.
 *
 * <p>Implementations are immutable and thread-safe; no method modifies its list arguments.
 */
public interface DifferentiableClassifier extends Classifier {
  /**
   * The featurizer that turns examples into the rows the parameters act on: the inputs of a
   * network, or, for a deep model seen through its last layer, the penultimate representation.
   */
  Featurizer featurizer();

  /**
   * The featurizer of the rows {@link #inputGradients} differentiates with respect to (pixels for
   * an image model): {@link #featurizer()} unless the parameters act on a learned representation.
   */
  default Featurizer inputFeaturizer() {
    return featurizer();
  }

  int parameterCount();

  /** A copy of the flat parameter vector (layout in the class comment). */
  double[] parameters();

  /** Whether entry {@code index} of the parameter vector is a weight (L2-penalised), not a bias. */
  boolean isWeight(int index);

  /** The L2 strength of the training objective. */
  double l2();

  /**
   * The same model (kind, featurizer, labels, provenance) with other parameters.
   *
   * @param parameters copied; not modified
   * @throws IllegalArgumentException if the length is not {@link #parameterCount()}
   */
  DifferentiableClassifier withParameters(double[] parameters);

  /**
   * The class index of each example's label.
   *
   * @throws org.poisonlab.io.BadInputException if a label is not one of {@link #labels()}
   */
  int[] labelIndices(List<Example> examples);

  /**
   * The loss of each example under the given class index (no L2 term).
   *
   * @param labels not modified; one class index per example
   * @throws IllegalArgumentException on a length mismatch, a class index out of range, or an
   *     example of the wrong kind
   */
  double[] losses(List<Example> examples, int[] labels);

  /**
   * The gradient of one example's loss (no L2 term) with respect to every parameter.
   *
   * @param out modified: every entry overwritten; null to allocate. Returned.
   * @throws IllegalArgumentException if {@code out} has the wrong length, the label is out of
   *     range, or the example is of the wrong kind
   */
  double[] gradient(Example example, int label, double[] out);

  /**
   * Calls {@code sink} with {@code (gradient, i)} for each example {@code i} in order: the gradient
   * of its loss (no L2 term), as {@link #gradient} gives it. Faster than calling {@link #gradient}
   * in a loop: features are made in chunks and buffers are reused.
   *
   * @param labels not modified; one class index per example
   * @param sink receives an array that is overwritten for the next example: copy what must be kept,
   *     and do not modify it
   * @throws IllegalArgumentException on a length mismatch, a class index out of range, or an
   *     example of the wrong kind
   */
  void forEachGradient(
      List<Example> examples, int[] labels, java.util.function.ObjIntConsumer<double[]> sink);

  /**
   * The training objective on the given examples: mean loss plus {@code l2()/2 · ||W||²}.
   *
   * @param labels not modified
   * @param gradOut modified when not null: every entry overwritten with the objective's gradient
   * @throws IllegalArgumentException on a length mismatch or an empty list
   */
  double objective(List<Example> examples, int[] labels, double[] gradOut);

  /**
   * The representation just before the output layer, row-major {@code examples.size() ×
   * penultimateDimension()}: for an MLP the last hidden layer's activations (after ReLU); for
   * logistic regression, whose inputs are too wide to densify for text, the output logits.
   */
  double[] penultimate(List<Example> examples);

  /** Width of a {@link #penultimate} row: the last hidden width, or the number of classes. */
  int penultimateDimension();

  /**
   * The gradient of each row's loss with respect to the model's inputs, for a batch of dense input
   * rows in the model's feature space (for images: pixel value / 255, row-major): what trigger
   * inversion and other input-space methods optimise. Row {@code i} of the result is {@code
   * ∂ℓ(f(x_i), y_i) / ∂x_i}, the cross-entropy of {@link #losses} without the L2 term. Rows are
   * processed in chunks with the matrix products spread over all cores; the result does not depend
   * on the number of threads.
   *
   * @param inputs not modified; row-major {@code n × layerSizes()[0]}
   * @param labels not modified; one class index per row
   * @param probabilities modified when not null: row-major {@code n × labels().size()} class
   *     probabilities of the inputs (every entry overwritten)
   * @param out modified: every entry overwritten; null to allocate. Returned.
   * @throws IllegalArgumentException on a length mismatch or a class index out of range
   * @throws UnsupportedOperationException if this model cannot differentiate its inputs (the
   *     default)
   */
  default double[] inputGradients(
      double[] inputs, int[] labels, double[] probabilities, double[] out) {
    throw new UnsupportedOperationException(kind() + " models do not give input gradients");
  }

  /**
   * The gradient of each row's loss with respect to the rows {@link #featurizer()} makes, as {@link
   * #inputGradients} gives it for input rows: the same method when the two featurizers agree (this
   * default); a deep model, whose parameters act on a learned representation, gives the gradient
   * with respect to that representation.
   */
  default double[] featureGradients(
      double[] features, int[] labels, double[] probabilities, double[] out) {
    return inputGradients(features, labels, probabilities, out);
  }

  /**
   * The product of the objective's Hessian (on the given examples) with {@code v}, by central
   * differences of the analytic gradient: {@code (∇f(θ + εv) − ∇f(θ − εv)) / 2ε} with {@code ε =
   * 1e-4 / max(1, ||v||)}; exact up to O(ε²) for smooth parts (logistic regression), and a
   * directional derivative across ReLU kinks.
   *
   * @param v not modified
   * @param out modified: every entry overwritten; null to allocate. Returned.
   */
  default double[] hessianVector(List<Example> examples, int[] labels, double[] v, double[] out) {
    int p = parameterCount();
    if (v.length != p) {
      throw new IllegalArgumentException(
          "vector length " + v.length + " does not match " + p + " parameters");
    }
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    double eps = 1e-4 / Math.max(1, Math.sqrt(norm));
    double[] theta = parameters();
    double[] shifted = new double[p];
    for (int i = 0; i < p; i++) {
      shifted[i] = theta[i] + eps * v[i];
    }
    double[] gPlus = new double[p];
    withParameters(shifted).objective(examples, labels, gPlus);
    for (int i = 0; i < p; i++) {
      shifted[i] = theta[i] - eps * v[i];
    }
    double[] gMinus = new double[p];
    withParameters(shifted).objective(examples, labels, gMinus);
    if (out == null) {
      out = new double[p];
    }
    for (int i = 0; i < p; i++) {
      out[i] = (gPlus[i] - gMinus[i]) / (2 * eps);
    }
    return out;
  }

  /**
   * The product of the Gauss-Newton matrix of the objective, {@code (1/n) Σ J_iᵀ (diag(p_i) − p_i
   * p_iᵀ) J_i + l2·I_W} ({@code J_i} the Jacobian of example i's logits), with {@code v}: positive
   * semi-definite even away from a minimum. For a linear model it equals the Hessian, which is what
   * this default returns.
   *
   * @param v not modified
   * @param out modified: every entry overwritten; null to allocate. Returned.
   */
  default double[] gaussNewtonVector(
      List<Example> examples, int[] labels, double[] v, double[] out) {
    return hessianVector(examples, labels, v, out);
  }

  /**
   * The Hessian ({@code gaussNewton} false) or Gauss-Newton matrix of the objective on these
   * examples, as an operator that makes the features once and can then be applied many times. This
   * default calls {@link #hessianVector} or {@link #gaussNewtonVector} on each application.
   *
   * @param examples not modified; kept by the operator
   * @param labels not modified; kept by the operator
   */
  default CurvatureOperator curvature(List<Example> examples, int[] labels, boolean gaussNewton) {
    int p = parameterCount();
    return new CurvatureOperator() {
      @Override
      public int dimension() {
        return p;
      }

      @Override
      public double[] apply(double[] v, double[] out) {
        return gaussNewton
            ? gaussNewtonVector(examples, labels, v, out)
            : hessianVector(examples, labels, v, out);
      }
    };
  }
}
