package org.poisonlab.linalg;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decides when the Vector API kernels are worth using. Until the optimising compiler has compiled
 * them, vector operations run interpreted and allocate an object each, far slower than plain loops;
 * a run of a second or two spends most of its time there. So every kernel has a scalar twin that
 * performs the very same floating-point operations in the same order (lane {@code l} of a vector
 * accumulator becomes a scalar accumulator over the same indices), and a background daemon thread
 * calls both on small arrays, sleeping in between, until each vector kernel is clearly faster than
 * its twin; from then on the vector kernels are used. Because twins give identical bits, when the
 * switch happens never changes a result.
 */
final class Warmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /** Per kernel family: 0 dot form, 1 axpy form, 2 vector dot and axpy. Written by the probe. */
  private static final java.util.concurrent.atomic.AtomicIntegerArray READY =
      new java.util.concurrent.atomic.AtomicIntegerArray(3);

  private static volatile boolean vectorReady;
  private static final long GIVE_UP_NANOS = 20_000_000_000L;

  /**
   * {@code auto} (default), {@code vector} (always the Vector API) or {@code scalar} (always the
   * twins), from the system property {@code poisonlab.kernels}; read once. Results are identical in
   * every mode; only speed differs.
   */
  private static final String MODE = System.getProperty("poisonlab.kernels", "auto");

  private Warmup() {}

  /** Whether every vector kernel is in use. */
  static boolean vectorReady() {
    return vectorReady;
  }

  static boolean dotFormReady() {
    return READY.get(0) != 0 || vectorReady;
  }

  static boolean axpyFormReady() {
    return READY.get(1) != 0 || vectorReady;
  }

  static boolean vectorsReady() {
    return READY.get(2) != 0 || vectorReady;
  }

  /** Starts the probe thread once; cheap after the first call. */
  static void start() {
    if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
      return;
    }
    if (MODE.equals("vector")) {
      vectorReady = true;
      return;
    }
    if (MODE.equals("scalar")) {
      return;
    }
    Thread t = new Thread(Warmup::probe, "poisonlab-kernel-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Blocks until the vector kernels are in use or {@code millis} pass; true if they are. */
  static boolean await(long millis) {
    start();
    long end = System.nanoTime() + millis * 1_000_000L;
    while (!vectorReady && System.nanoTime() < end) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return vectorReady;
      }
    }
    return vectorReady;
  }

  private static void probe() {
    int lanes = Vectors.LANES;
    int k = 16 * lanes + 3;
    int n = 4 * lanes + 1;
    double[] a = new double[8 * k];
    double[] b = new double[n * k];
    double[] c = new double[8 * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 7) * 0.25;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (i % 5) * 0.5;
    }
    long start = System.nanoTime();
    int[] wins = new int[3];
    while (System.nanoTime() - start < GIVE_UP_NANOS) {
      boolean all = true;
      for (int kernel = 0; kernel < 3; kernel++) {
        if (kernel == 0 || READY.get(kernel) != 0) {
          // the dense dot form is off the training path: it is left to the twin (and compiled
          // only where it gets hot by itself) rather than compiled at every start
          all &= kernel == 0 || READY.get(kernel) != 0;
          continue;
        }
        long v = 0;
        long s = 0;
        for (int rep = 0; rep < 20; rep++) {
          long t0 = System.nanoTime();
          run(kernel, true, a, b, c, n, k);
          long t1 = System.nanoTime();
          run(kernel, false, a, b, c, n, k);
          long t2 = System.nanoTime();
          v += t1 - t0;
          s += t2 - t1;
        }
        wins[kernel] = 3 * v < 2 * s ? wins[kernel] + 1 : 0;
        if (wins[kernel] >= 3) {
          READY.set(kernel, 1);
        }
        all &= READY.get(kernel) != 0;
      }
      if (all) {
        vectorReady = true;
        return;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void run(
      int kernel, boolean vector, double[] a, double[] b, double[] c, int n, int k) {
    switch (kernel) {
      case 0 -> Matrices.dotForm(vector, a, 0, b, 0, c, 0, n, k, 0, 8, 0, n);
      case 1 -> Matrices.axpyBlock(vector, a, 0, k, 1, b, 0, c, 0, k, n, 0, 8, 0, n);
      default -> {
        for (int i = 0; i < 8; i++) {
          c[i] = vector ? Vectors.dotVector(a, i * k, b, 0, k) : Vectors.dotTwin(a, i * k, b, 0, k);
          if (vector) {
            Vectors.axpyVector(0.5, a, 0, c, 0, 8);
          } else {
            Vectors.axpyTwin(0.5, a, 0, c, 0, 8);
          }
        }
      }
    }
  }
}
