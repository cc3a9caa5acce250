package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A model's parameters as PyTorch sees them: one direct buffer per tensor, aligned to 64 bytes,
 * that PyTorch reads in place ({@code from_blob}).
 *
 * <p>Why: PyTorch's CPU kernels (MKL, oneDNN) take different code paths, and so round differently,
 * depending on where an operand starts in memory. Arrays copied in afresh for every step land
 * wherever the native allocator puts them, which changes with the allocator's state and the other
 * threads of the process; a training run's figures then moved with how busy the machine was. With
 * every parameter at a 64-byte boundary that cause is gone (PyTorch's own allocator already aligns
 * the activations it makes). It also saves an allocation, a copy and a free per tensor per step:
 * training copies the Java parameters into the same buffers each step, and gradients are read from
 * PyTorch's memory into arrays the caller keeps from step to step. Memory: one extra float per
 * parameter.
 *
 * <p>A training run owns its instance (not thread-safe while loading); a frozen instance, filled
 * once, may be read by any number of threads.
 */
final class SharedParameters {
  private static final int ALIGNMENT = 64;

  private final ByteBuffer[] buffers;
  private final Shape[] shapes;

  SharedParameters(long[][] shapes) {
    this.buffers = new ByteBuffer[shapes.length];
    this.shapes = new Shape[shapes.length];
    for (int t = 0; t < shapes.length; t++) {
      this.shapes[t] = new Shape(shapes[t]);
      buffers[t] = aligned(Math.toIntExact(this.shapes[t].size() * Float.BYTES));
    }
  }

  /** Buffers holding {@code values} from now on, for {@link #frozen}. */
  static SharedParameters of(float[][] values, long[][] shapes) {
    SharedParameters p = new SharedParameters(shapes);
    for (int t = 0; t < values.length; t++) {
      p.buffers[t].asFloatBuffer().put(values[t]);
    }
    return p;
  }

  /**
   * A model's parameters, which never change, put in PyTorch's reach on first use and kept for the
   * model's life (a model only trained from, never run, makes no buffers). Thread-safe.
   */
  static final class OnFirstUse {
    private final float[][] values;
    private final long[][] shapes;
    private volatile SharedParameters made;

    /**
     * @param values not copied: the owner never modifies them
     */
    OnFirstUse(float[][] values, long[][] shapes) {
      this.values = values;
      this.shapes = shapes;
    }

    /** The parameters as arrays of {@code manager}, recording no gradient. */
    NDList frozen(NDManager manager) {
      SharedParameters p = made;
      if (p == null) {
        synchronized (this) {
          p = made;
          if (p == null) {
            p = of(values, shapes);
            made = p;
          }
        }
      }
      return p.frozen(manager);
    }
  }

  /**
   * A direct buffer of {@code bytes} bytes in native order whose first byte is 64-aligned ({@code
   * alignedSlice} also rounds the capacity down to a multiple of 64, hence the two units spare).
   */
  static ByteBuffer aligned(int bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes + 2 * ALIGNMENT).alignedSlice(ALIGNMENT);
    b.limit(bytes);
    return b.slice().order(ByteOrder.nativeOrder());
  }

  /**
   * Arrays over the buffers, holding {@code w}, those from index {@code from} on recording their
   * gradient. They alias the buffers: valid until the next call, and until {@code manager} closes.
   *
   * @param w not modified; one array per shape, of the shape's size
   */
  NDList load(NDManager manager, float[][] w, int from) {
    NDList out = new NDList(w.length);
    for (int t = 0; t < w.length; t++) {
      buffers[t].asFloatBuffer().put(w[t]);
      NDArray a = manager.create(buffers[t], shapes[t], DataType.FLOAT32);
      a.setRequiresGradient(t >= from);
      out.add(a);
    }
    return out;
  }

  /** Arrays over the buffers as they are, recording no gradient; owned by {@code manager}. */
  NDList frozen(NDManager manager) {
    NDList out = new NDList(buffers.length);
    for (int t = 0; t < buffers.length; t++) {
      out.add(
          manager.create(
              buffers[t].duplicate().order(ByteOrder.nativeOrder()), shapes[t], DataType.FLOAT32));
    }
    return out;
  }

  /**
   * Copies the gradient of each array from index {@code from} on into {@code g}, allocating an
   * entry only when it is missing or of the wrong length.
   */
  static void gradients(NDList params, float[][] g, int from) {
    for (int t = from; t < params.size(); t++) {
      NDArray p = params.get(t);
      int n = Math.toIntExact(p.size());
      if (g[t] == null || g[t].length != n) {
        g[t] = new float[n];
      }
      read(p.getGradient(), g[t]);
    }
  }

  /**
   * Copies a float array's values into {@code into}, straight from PyTorch's memory. The array is
   * kept reachable until the copy is done: an unreachable DJL array may be closed by the garbage
   * collector, and its memory reused, while the copy is still reading it (seen as rare, run-to-run
   * different gradients before this was held).
   */
  static void read(NDArray array, float[] into) {
    array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(into);
    Reference.reachabilityFence(array);
  }
}
