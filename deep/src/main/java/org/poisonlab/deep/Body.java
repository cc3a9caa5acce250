package org.poisonlab.deep;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import org.poisonlab.data.Example;

/**
 * An architecture with its parameters: the part of a deep classifier below the softmax layer.
 * Parameters are held as Java float arrays and copied into PyTorch tensors for each pass, so a body
 * is immutable, owns no native memory between calls and may be shared between threads.
 */
final class Body {
  /** Examples per forward pass when representing many examples. */
  static final int CHUNK = 128;

  private final Architecture architecture;
  private final float[][] params;

  Body(Architecture architecture, float[][] params) {
    long[][] shapes = architecture.shapes();
    if (params.length != shapes.length) {
      throw new IllegalArgumentException(
          params.length + " parameter tensors for an architecture of " + shapes.length);
    }
    for (int t = 0; t < shapes.length; t++) {
      if (params[t].length != Inits.size(shapes[t])) {
        throw new IllegalArgumentException(
            "parameter "
                + t
                + " has "
                + params[t].length
                + " entries, not "
                + Inits.size(shapes[t]));
      }
    }
    this.architecture = architecture;
    this.params = new float[params.length][];
    for (int t = 0; t < params.length; t++) {
      this.params[t] = params[t].clone();
    }
    this.shared = new SharedParameters.OnFirstUse(this.params, architecture.shapes());
  }

  /** The parameters in PyTorch's reach, made on first use. */
  private final SharedParameters.OnFirstUse shared;

  Architecture architecture() {
    return architecture;
  }

  /** The parameters, not copied: callers in this package do not modify them. */
  float[][] view() {
    return params;
  }

  int parameterCount() {
    long n = 0;
    for (float[] p : params) {
      n += p.length;
    }
    return (int) n;
  }

  /** The parameters as tensors of {@code manager}, over buffers made once per body. */
  NDList tensors(NDManager manager) {
    return shared.frozen(manager);
  }

  /**
   * The penultimate representation of each example, row-major {@code n × width}. Examples are
   * batched by cost (similar lengths together) and the rows put back in the given order.
   *
   * @throws IllegalArgumentException naming an example of the wrong kind or shape
   */
  double[] represent(List<Example> examples) {
    DeepRuntime.configure();
    int n = examples.size();
    int w = architecture.width();
    double[] out = new double[n * w];
    if (n == 0) {
      return out;
    }
    int[] order = Batches.byCost(examples, architecture);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList p = tensors(manager);
      for (int from = 0; from < n; from += CHUNK) {
        int to = Math.min(n, from + CHUNK);
        int[] part = Arrays.copyOfRange(order, from, to);
        try (NDManager step = manager.newSubManager()) {
          NDList in = architecture.inputs(step, Batches.pick(examples, part));
          float[] h = architecture.forward(in, p).toFloatArray();
          for (int r = 0; r < part.length; r++) {
            for (int j = 0; j < w; j++) {
              out[part[r] * w + j] = h[r * w + j];
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * The representation of pixel rows (image models): row-major {@code n × pixels}, laid out as
   * examples store them, scaled to [0, 1], any real values (a masked or blended image).
   */
  double[] representRows(double[] rows, int n) {
    Architecture net = imageArchitecture();
    DeepRuntime.configure();
    int d = rows.length / Math.max(1, n);
    int w = architecture.width();
    double[] out = new double[n * w];
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList p = tensors(manager);
      for (int from = 0; from < n; from += CHUNK) {
        int to = Math.min(n, from + CHUNK);
        int m = to - from;
        float[] x = floats(rows, from * d, m * d);
        try (NDManager step = manager.newSubManager()) {
          NDArray xin = net.fromRows(step.create(x, new Shape(m, d)));
          float[] h = architecture.forward(new NDList(xin), p).toFloatArray();
          for (int i = 0; i < m * w; i++) {
            out[from * w + i] = h[i];
          }
        }
      }
    }
    return out;
  }

  private Architecture imageArchitecture() {
    if (architecture.imageShape() == null) {
      throw new UnsupportedOperationException(
          architecture.family() + " models do not give pixel gradients");
    }
    return architecture;
  }

  /**
   * The gradient with respect to the input pixels of {@code Σ_i ⟨h(x_i), upstream_i⟩}, {@code h}
   * the representation: with {@code upstream_i = ∂ℓ_i/∂h(x_i)} this is each row's input gradient.
   *
   * @param rows row-major {@code n × pixels}, laid out as examples store them, scaled to [0, 1]
   * @param upstream row-major {@code n × width}
   */
  double[] pixelGradients(double[] rows, int n, double[] upstream) {
    Architecture net = imageArchitecture();
    DeepRuntime.configure();
    int d = rows.length / Math.max(1, n);
    int w = architecture.width();
    double[] out = new double[rows.length];
    synchronized (DeepRuntime.AUTOGRAD) {
      DeepRuntime.RECORDING.set(true);
      try (NDManager manager = NDManager.newBaseManager()) {
        NDList p = tensors(manager);
        for (int from = 0; from < n; from += CHUNK) {
          int to = Math.min(n, from + CHUNK);
          int m = to - from;
          float[] x = floats(rows, from * d, m * d);
          float[] g = floats(upstream, from * w, m * w);
          try (NDManager step = manager.newSubManager()) {
            NDArray flat = step.create(x, new Shape(m, d));
            flat.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray xin = net.fromRows(flat);
              NDArray h = architecture.forward(new NDList(xin), p);
              gc.backward(h.mul(step.create(g, new Shape(m, w))).sum());
            }
            float[] gx = flat.getGradient().toFloatArray();
            for (int i = 0; i < m * d; i++) {
              out[from * d + i] = gx[i];
            }
          }
        }
      } finally {
        DeepRuntime.RECORDING.set(false);
      }
    }
    return out;
  }

  /** {@code length} entries of {@code a} from {@code from}, rounded to float. */
  private static float[] floats(double[] a, int from, int length) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) a[from + i];
    }
    return out;
  }
}
