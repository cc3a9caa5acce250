package org.poisonlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;

/**
 * A trained softmax classifier: multinomial logistic regression ({@code logreg}, no hidden layer)
 * or an MLP with one or two ReLU hidden layers ({@code mlp}); the arithmetic is in {@link Layers}.
 */
final class Network implements LayeredModel {
  /** Rows per forward pass when scoring many examples, to bound memory. */
  static final int CHUNK = 4096;

  private final String kind;
  private final List<String> labels;
  private final Map<String, Integer> labelIndex;
  private final Featurizer featurizer;
  private final Layers layers;
  private final double[] params;
  private final double l2;
  private final ModelProvenance provenance;

  Network(
      String kind,
      List<String> labels,
      Featurizer featurizer,
      int[] sizes,
      double[] params,
      double l2,
      ModelProvenance provenance) {
    this.kind = kind;
    this.labels = List.copyOf(labels);
    this.featurizer = featurizer;
    this.layers = new Layers(sizes, 0);
    if (params.length != layers.parameterCount) {
      throw new IllegalArgumentException(
          "parameter vector length "
              + params.length
              + " does not match "
              + layers.parameterCount
              + " parameters of a network of sizes "
              + Arrays.toString(sizes));
    }
    if (sizes[0] != featurizer.dimension() || sizes[sizes.length - 1] != labels.size()) {
      throw new IllegalArgumentException(
          "network sizes "
              + Arrays.toString(sizes)
              + " do not match "
              + featurizer.dimension()
              + " features and "
              + labels.size()
              + " labels");
    }
    this.params = params.clone();
    this.l2 = l2;
    this.provenance = provenance;
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < this.labels.size(); i++) {
      idx.put(this.labels.get(i), i);
    }
    this.labelIndex = idx;
  }

  Layers layers() {
    return layers;
  }

  /** The parameters, not copied: for code in this package that does not modify them. */
  double[] parametersView() {
    return params;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  @Override
  public Featurizer featurizer() {
    return featurizer;
  }

  @Override
  public ModelProvenance provenance() {
    return provenance;
  }

  @Override
  public int[] layerSizes() {
    return layers.sizes.clone();
  }

  @Override
  public int parameterCount() {
    return layers.parameterCount;
  }

  @Override
  public double[] parameters() {
    return params.clone();
  }

  @Override
  public boolean isWeight(int index) {
    return layers.isWeight(index);
  }

  @Override
  public double l2() {
    return l2;
  }

  @Override
  public Network withParameters(double[] parameters) {
    return new Network(kind, labels, featurizer, layers.sizes, parameters, l2, provenance);
  }

  @Override
  public int[] labelIndices(List<Example> examples) {
    int[] out = new int[examples.size()];
    for (int i = 0; i < out.length; i++) {
      Example e = examples.get(i);
      Integer c = labelIndex.get(e.label());
      if (c == null) {
        throw new BadInputException(
            "example "
                + e.id()
                + " has label '"
                + e.label()
                + "', not one of the model's labels "
                + labels);
      }
      out[i] = c;
    }
    return out;
  }

  @Override
  public int[] predict(List<Example> examples) {
    int k = labels.size();
    double[] p = predictProba(examples);
    int[] out = new int[examples.size()];
    for (int i = 0; i < out.length; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (p[i * k + j] > p[i * k + best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  @Override
  public double[] predictProba(List<Example> examples) {
    int k = labels.size();
    double[] out = new double[examples.size() * k];
    forEachChunk(
        examples,
        null,
        (ps, from, rows) -> System.arraycopy(ps.out[layers.depth - 1], 0, out, from * k, rows * k));
    return out;
  }

  @Override
  public double[] predictProba(Matrix features) {
    int k = labels.size();
    int n = features.rows();
    double[] out = new double[n * k];
    if (n == 0) {
      return out;
    }
    Layers.Pass ps = layers.fixedPass(Math.min(CHUNK, n));
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      Layers.Batch x = batch(features.gather(index, from, to));
      layers.forward(params, x, ps, null, from);
      System.arraycopy(ps.out[layers.depth - 1], 0, out, from * k, (to - from) * k);
    }
    return out;
  }

  @Override
  public double[] losses(List<Example> examples, int[] labels) {
    checkLabels(examples, labels);
    double[] out = new double[examples.size()];
    forEachChunk(
        examples, labels, (ps, from, rows) -> System.arraycopy(ps.loss, 0, out, from, rows));
    return out;
  }

  @Override
  public double[] gradient(Example example, int label, double[] out) {
    int p = layers.parameterCount;
    if (out == null) {
      out = new double[p];
    } else if (out.length != p) {
      throw new IllegalArgumentException(
          "gradient buffer length " + out.length + " does not match " + p + " parameters");
    }
    checkLabel(label);
    Layers.Batch x = batch(featurizer.transform(List.of(example)));
    Layers.Pass ps = layers.fixedPass(1);
    int[] y = {label};
    layers.forward(params, x, ps, y, 0);
    layers.backward(params, x, ps, y, 0, 1.0, out);
    return out;
  }

  @Override
  public void forEachGradient(List<Example> examples, int[] labels, ObjIntConsumer<double[]> sink) {
    checkLabels(examples, labels);
    int p = layers.parameterCount;
    double[] g = new double[p];
    Layers.Pass ps = layers.fixedPass(1);
    int[] y = new int[1];
    int chunk = 256;
    int[] one = new int[1];
    for (int from = 0; from < examples.size(); from += chunk) {
      int to = Math.min(examples.size(), from + chunk);
      Matrix m = featurizer.transform(examples.subList(from, to));
      DenseMatrix dense =
          m instanceof ByteMatrix b ? b.toDense() : m instanceof DenseMatrix d ? d : null;
      for (int i = from; i < to; i++) {
        Layers.Batch x;
        if (dense != null) {
          x = new Layers.Batch(dense.values(), (i - from) * dense.cols(), null, 1);
        } else {
          one[0] = i - from;
          x = new Layers.Batch(null, 0, ((CsrMatrix) m).gather(one, 0, 1), 1);
        }
        y[0] = labels[i];
        layers.forward(params, x, ps, y, 0);
        layers.backward(params, x, ps, y, 0, 1.0, g);
        sink.accept(g, i);
      }
    }
  }

  @Override
  public double[][] layerDeltas(Matrix features, int[] labels) {
    int n = features.rows();
    if (labels.length != n) {
      throw new IllegalArgumentException(labels.length + " labels for " + n + " input rows");
    }
    if (features.cols() != layers.inputs()) {
      throw new IllegalArgumentException(
          features.cols() + " feature columns; the model takes " + layers.inputs());
    }
    for (int c : labels) {
      checkLabel(c);
    }
    int depth = layers.depth;
    double[][] out = new double[2 * depth - 1][];
    for (int l = 0; l < depth; l++) {
      out[l] = new double[n * layers.sizes[l + 1]];
    }
    for (int l = 0; l + 1 < depth; l++) {
      out[depth + l] = new double[n * layers.sizes[l + 1]];
    }
    if (n == 0) {
      return out;
    }
    Layers.Pass ps = layers.fixedPass(n);
    layers.forward(params, batch(features), ps, labels, 0);
    layers.deltas(params, ps, n, labels, 0);
    for (int l = 0; l < depth; l++) {
      System.arraycopy(ps.delta[l], 0, out[l], 0, out[l].length);
    }
    for (int l = 0; l + 1 < depth; l++) {
      System.arraycopy(ps.out[l], 0, out[depth + l], 0, out[depth + l].length);
    }
    return out;
  }

  @Override
  public double[] inputGradients(
      double[] inputs, int[] labels, double[] probabilities, double[] out) {
    int d = layers.inputs();
    int k = layers.classes();
    if (inputs.length % d != 0) {
      throw new IllegalArgumentException(
          "input length " + inputs.length + " is not a multiple of " + d + " features");
    }
    int n = inputs.length / d;
    if (labels.length != n) {
      throw new IllegalArgumentException(labels.length + " labels for " + n + " input rows");
    }
    for (int c : labels) {
      checkLabel(c);
    }
    if (probabilities != null && probabilities.length != n * k) {
      throw new IllegalArgumentException(
          "probability buffer length " + probabilities.length + " is not " + n + " × " + k);
    }
    if (out == null) {
      out = new double[inputs.length];
    } else if (out.length != inputs.length) {
      throw new IllegalArgumentException(
          "gradient buffer length " + out.length + " does not match input length " + inputs.length);
    }
    if (n == 0) {
      return out;
    }
    Layers.Pass ps = layers.fixedPass(Math.min(CHUNK, n));
    for (int from = 0; from < n; from += CHUNK) {
      int rows = Math.min(n, from + CHUNK) - from;
      Layers.Batch x = new Layers.Batch(inputs, from * d, null, rows);
      layers.forward(params, x, ps, labels, from);
      if (probabilities != null) {
        System.arraycopy(ps.out[layers.depth - 1], 0, probabilities, from * k, rows * k);
      }
      layers.inputBackward(params, ps, rows, labels, from, out, from * d);
    }
    return out;
  }

  @Override
  public double objective(List<Example> examples, int[] labels, double[] gradOut) {
    checkLabels(examples, labels);
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("the objective of no examples is undefined");
    }
    if (gradOut != null && gradOut.length != layers.parameterCount) {
      throw new IllegalArgumentException(
          "gradient buffer length "
              + gradOut.length
              + " does not match "
              + layers.parameterCount
              + " parameters");
    }
    FullBatch fb = new FullBatch(layers, featurizer.transform(examples), labels, l2);
    return fb.evaluate(params, gradOut);
  }

  /**
   * The exact product of the objective's Hessian with {@code v} (Pearlmutter's R-operator, see
   * {@link Layers#curvatureVector}), not finite differences.
   */
  @Override
  public double[] hessianVector(List<Example> examples, int[] labels, double[] v, double[] out) {
    return curvature(examples, labels, false).apply(v, out);
  }

  @Override
  public double[] gaussNewtonVector(
      List<Example> examples, int[] labels, double[] v, double[] out) {
    return curvature(examples, labels, true).apply(v, out);
  }

  @Override
  public CurvatureOperator curvature(List<Example> examples, int[] labels, boolean gaussNewton) {
    checkLabels(examples, labels);
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("the objective of no examples is undefined");
    }
    int p = layers.parameterCount;
    FullBatch fb = new FullBatch(layers, featurizer.transform(examples), labels.clone(), l2);
    return new CurvatureOperator() {
      @Override
      public int dimension() {
        return p;
      }

      @Override
      public double[] apply(double[] v, double[] out) {
        if (v.length != p) {
          throw new IllegalArgumentException(
              "vector length " + v.length + " does not match " + p + " parameters");
        }
        if (out == null) {
          out = new double[p];
        } else if (out.length != p) {
          throw new IllegalArgumentException(
              "output length " + out.length + " does not match " + p + " parameters");
        }
        fb.curvatureVector(params, v, gaussNewton, out);
        return out;
      }
    };
  }

  @Override
  public double[] penultimate(List<Example> examples) {
    int d = penultimateDimension();
    double[] out = new double[examples.size() * d];
    int n = examples.size();
    Layers.Pass ps = layers.fixedPass(Math.min(CHUNK, Math.max(1, n)));
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      Layers.Batch x = batch(featurizer.transform(examples.subList(from, to)));
      layers.forwardLogits(params, x, ps);
      double[] src = layers.depth == 1 ? ps.out[0] : ps.out[layers.depth - 2];
      System.arraycopy(src, 0, out, from * d, (to - from) * d);
    }
    return out;
  }

  @Override
  public int penultimateDimension() {
    return layers.depth == 1 ? layers.classes() : layers.sizes[layers.depth - 1];
  }

  private interface ChunkSink {
    void accept(Layers.Pass ps, int from, int rows);
  }

  private void forEachChunk(List<Example> examples, int[] y, ChunkSink sink) {
    int n = examples.size();
    if (n == 0) {
      return;
    }
    Layers.Pass ps = layers.fixedPass(Math.min(CHUNK, n));
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      Layers.Batch x = batch(featurizer.transform(examples.subList(from, to)));
      layers.forward(params, x, ps, y, from);
      sink.accept(ps, from, to - from);
    }
  }

  static Layers.Batch batch(Matrix m) {
    if (m instanceof CsrMatrix s) {
      return new Layers.Batch(null, 0, s, s.rows());
    }
    DenseMatrix d = m instanceof ByteMatrix b ? b.toDense() : (DenseMatrix) m;
    return new Layers.Batch(d.values(), 0, null, d.rows());
  }

  private void checkLabels(List<Example> examples, int[] y) {
    if (y.length != examples.size()) {
      throw new IllegalArgumentException(y.length + " labels for " + examples.size() + " examples");
    }
    for (int c : y) {
      checkLabel(c);
    }
  }

  private void checkLabel(int c) {
    if (c < 0 || c >= labels.size()) {
      throw new IllegalArgumentException(
          "class index " + c + " is not in [0, " + labels.size() + ")");
    }
  }

  @Override
  public String toString() {
    return kind + Arrays.toString(layers.sizes) + " " + new ArrayList<>(labels);
  }
}
