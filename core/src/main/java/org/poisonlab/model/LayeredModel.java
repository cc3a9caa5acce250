package org.poisonlab.model;

/**
 * The optional capability of a model made of dense layers, each {@code z_l = W_l a_{l−1} + b_l}
 * with ReLU between layers and softmax at the end (logistic regression, the MLP): the layer widths
 * and the per-layer pieces of per-example gradients. Methods that need them (factored gradients,
 * TRAK's last-layer features, representer points, margin projections) ask for this interface
 * through {@link Models#layered}; other models, such as a convolutional network, need not offer it.
 *
 * <p>The flat parameter vector of {@link DifferentiableClassifier#parameters()} is laid out layer
 * by layer from input to output: each layer's weight matrix (row-major, {@code layerSizes()[l+1] ×
 * layerSizes()[l]}), then its bias vector.
 */
public interface LayeredModel extends DifferentiableClassifier {
  /** Widths from input to output: features, hidden widths (none for logreg), classes. */
  int[] layerSizes();

  /**
   * Per input row, the gradient of its loss (no L2 term) with respect to each layer's
   * pre-activations, {@code δ_l = ∂ℓ/∂z_l}, and the activations of each hidden layer (after ReLU),
   * from one batched forward and backward pass: everything a layered model's per-example gradient
   * is made of (weight gradient {@code δ_l a_{l−1}ᵀ}, bias gradient {@code δ_l}, {@code a_{−1}} the
   * input), without forming it. Equal to the bias parts of {@link #forEachGradient}'s gradients.
   * The whole matrix is one batch: memory grows with its rows times the layer widths.
   *
   * @param features not modified; rows in this model's feature space, as {@code
   *     featurizer().transform} makes them
   * @param labels not modified; one class index per row
   * @return {@code depth + depth − 1} arrays: {@code δ_0 … δ_{depth−1}}, then the hidden
   *     activations {@code a_0 … a_{depth−2}}; each row-major {@code rows × width}
   * @throws IllegalArgumentException on a row-count or width mismatch or a class index out of range
   */
  double[][] layerDeltas(org.poisonlab.linalg.Matrix features, int[] labels);

  /**
   * Class probabilities of rows already featurized by {@link #featurizer()}: row-major {@code rows
   * × labels().size()}, equal to {@code predictProba} of the examples the rows were made from.
   */
  double[] predictProba(org.poisonlab.linalg.Matrix features);
}
