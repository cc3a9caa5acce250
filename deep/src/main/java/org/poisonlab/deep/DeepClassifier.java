package org.poisonlab.deep;

import java.util.List;
import java.util.function.ObjIntConsumer;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.model.CurvatureOperator;
import org.poisonlab.model.FeatureKind;
import org.poisonlab.model.Featurizer;
import org.poisonlab.model.Featurizers;
import org.poisonlab.model.LayeredModel;
import org.poisonlab.model.ModelProvenance;
import org.poisonlab.model.Models;

/**
 * A trained deep classifier: a {@link Body} (run by PyTorch) under a softmax layer (in Java, double
 * precision). Methods that differentiate the loss with respect to parameters see the softmax layer
 * only: its {@linkplain #featurizer() featurizer} is the body, its parameters are the last layer's
 * weights and biases, so gradient-based attribution (TracIn, TRAK, influence, representer points)
 * runs on the last layer, exactly. {@link #penultimate} is the body's representation; {@link
 * #inputGradients} (image models) differentiates the whole network with respect to the pixels.
 * Immutable and thread-safe.
 */
final class DeepClassifier implements LayeredModel {
  private final Body body;
  private final LayeredModel head;

  DeepClassifier(
      Body body, List<String> labels, double[] headParams, double l2, ModelProvenance provenance) {
    this(
        body,
        Models.softmaxLayer(
            body.architecture().family(),
            labels,
            new Representation(body),
            headParams,
            l2,
            provenance));
  }

  private DeepClassifier(Body body, LayeredModel head) {
    this.body = body;
    this.head = head;
  }

  Body body() {
    return body;
  }

  /** The body as a featurizer: an example's row is its penultimate representation. */
  record Representation(Body body) implements Featurizer {
    @Override
    public FeatureKind kind() {
      return new FeatureKind.Learned(body.architecture().family(), body.architecture().width());
    }

    @Override
    public Matrix transform(List<Example> examples) {
      return new DenseMatrix(examples.size(), dimension(), body.represent(examples));
    }
  }

  @Override
  public String kind() {
    return body.architecture().family();
  }

  @Override
  public List<String> labels() {
    return head.labels();
  }

  @Override
  public int[] predict(List<Example> examples) {
    return head.predict(examples);
  }

  @Override
  public double[] predictProba(List<Example> examples) {
    return head.predictProba(examples);
  }

  @Override
  public ModelProvenance provenance() {
    return head.provenance();
  }

  @Override
  public Featurizer featurizer() {
    return head.featurizer();
  }

  @Override
  public Featurizer inputFeaturizer() {
    int[] image = body.architecture().imageShape();
    if (image != null) {
      List<Integer> shape = new java.util.ArrayList<>();
      for (int d : image) {
        shape.add(d);
      }
      return Featurizers.of(new FeatureKind.Pixels(shape));
    }
    return head.featurizer();
  }

  @Override
  public int parameterCount() {
    return head.parameterCount();
  }

  @Override
  public double[] parameters() {
    return head.parameters();
  }

  @Override
  public boolean isWeight(int index) {
    return head.isWeight(index);
  }

  @Override
  public double l2() {
    return head.l2();
  }

  @Override
  public DeepClassifier withParameters(double[] parameters) {
    return new DeepClassifier(body, (LayeredModel) head.withParameters(parameters));
  }

  @Override
  public int[] labelIndices(List<Example> examples) {
    return head.labelIndices(examples);
  }

  @Override
  public double[] losses(List<Example> examples, int[] labels) {
    return head.losses(examples, labels);
  }

  @Override
  public double[] gradient(Example example, int label, double[] out) {
    return head.gradient(example, label, out);
  }

  @Override
  public void forEachGradient(List<Example> examples, int[] labels, ObjIntConsumer<double[]> sink) {
    head.forEachGradient(examples, labels, sink);
  }

  @Override
  public double objective(List<Example> examples, int[] labels, double[] gradOut) {
    return head.objective(examples, labels, gradOut);
  }

  @Override
  public double[] hessianVector(List<Example> examples, int[] labels, double[] v, double[] out) {
    return head.hessianVector(examples, labels, v, out);
  }

  @Override
  public double[] gaussNewtonVector(
      List<Example> examples, int[] labels, double[] v, double[] out) {
    return head.gaussNewtonVector(examples, labels, v, out);
  }

  @Override
  public CurvatureOperator curvature(List<Example> examples, int[] labels, boolean gaussNewton) {
    return head.curvature(examples, labels, gaussNewton);
  }

  @Override
  public double[] penultimate(List<Example> examples) {
    return body.represent(examples);
  }

  @Override
  public int penultimateDimension() {
    return body.architecture().width();
  }

  @Override
  public int[] layerSizes() {
    return head.layerSizes();
  }

  @Override
  public double[][] layerDeltas(Matrix features, int[] labels) {
    return head.layerDeltas(features, labels);
  }

  @Override
  public double[] predictProba(Matrix features) {
    return head.predictProba(features);
  }

  /**
   * The gradient of each row's loss with respect to its representation, {@code Wᵀ(p − e_y)}, in
   * double precision.
   */
  @Override
  public double[] featureGradients(
      double[] features, int[] labels, double[] probabilities, double[] out) {
    int n = labels.length;
    int w = penultimateDimension();
    int k = labels().size();
    if (features.length != n * w) {
      throw new IllegalArgumentException(features.length + " features for " + n + " rows of " + w);
    }
    double[] p = head.predictProba(new DenseMatrix(n, w, features));
    double[] theta = head.parameters();
    double[] g = out == null ? new double[n * w] : out;
    java.util.Arrays.fill(g, 0, n * w, 0);
    for (int i = 0; i < n; i++) {
      int y = labels[i];
      if (y < 0 || y >= k) {
        throw new IllegalArgumentException("class index " + y + " is not in [0, " + k + ")");
      }
      for (int c = 0; c < k; c++) {
        double r = p[i * k + c] - (c == y ? 1 : 0);
        for (int j = 0; j < w; j++) {
          g[i * w + j] += r * theta[c * w + j];
        }
      }
    }
    if (probabilities != null) {
      System.arraycopy(p, 0, probabilities, 0, n * k);
    }
    return g;
  }

  /**
   * Input gradients: for an image model with respect to the pixels ({@link #featureGradients}
   * carried through the body by PyTorch, float32); for a text model, whose inputs are tokens, with
   * respect to the representation ({@link #inputFeaturizer()} is then the representation).
   */
  @Override
  public double[] inputGradients(
      double[] inputs, int[] labels, double[] probabilities, double[] out) {
    if (body.architecture().imageShape() == null) {
      return featureGradients(inputs, labels, probabilities, out);
    }
    int n = labels.length;
    int d = inputFeaturizer().dimension();
    if (inputs.length != n * d) {
      throw new IllegalArgumentException(inputs.length + " inputs for " + n + " rows of " + d);
    }
    double[] up = featureGradients(body.representRows(inputs, n), labels, probabilities, null);
    double[] g = body.pixelGradients(inputs, n, up);
    if (out == null) {
      return g;
    }
    System.arraycopy(g, 0, out, 0, g.length);
    return out;
  }

  @Override
  public String toString() {
    return kind() + " " + body.architecture() + " " + labels();
  }
}
