package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.linalg.Vectors;
import org.poisonlab.model.Featurizers;
import org.poisonlab.model.TrainConfig;

/**
 * {@code knn}: k-nearest-neighbour label disagreement, the k-NN noise filter of Wilson's edited
 * nearest neighbour rule (Wilson, IEEE SMC 1972) as used for label noise by Brodley & Friedl (JAIR
 * 1999): score {@code s(x) = |{x' ∈ N_k(x) : ỹ(x') ≠ ỹ(x)}| / k} with k = 10 nearest neighbours
 * (Euclidean for images, cosine for text); flagged when {@code s ≥ 0.7}, i.e. at least 7 of the 10
 * neighbours disagree with the given label (a clear majority against it, tolerant of the natural
 * overlap of similar classes).
 *
 * <p>Features: images as pixel/255 vectors reduced to their first {@value #IMAGE_DIMS} principal
 * components (fitted on a seeded sample, see {@link #projectImages}); text as the L2-normalised
 * hashed n-grams of {@link Featurizers}, reduced by a seeded random projection to {@value
 * #TEXT_DIMS} dimensions (±1 entries drawn per hash bucket; Johnson–Lindenstrauss, Achlioptas 2003)
 * and scaled back to unit length. The reduction is what makes all pairs affordable: for 60,000
 * images, n² products of 32 numbers instead of 784. All n² similarities are computed in the
 * projected space by {@link #neighbours}, on {@value #THREADS} threads that own disjoint query
 * blocks (so the result does not depend on scheduling). Ties between equally similar neighbours go
 * to the earlier example.
 */
final class KnnDetector implements Detector {
  static final String NAME = "knn";
  static final int K = 10;
  static final double FLAG_AT = 0.7;
  static final int IMAGE_DIMS = 32;
  static final int PCA_SAMPLE = 10_000;
  static final int PCA_ITERATIONS = 8;
  static final int TEXT_DIMS = 128;
  static final int THREADS = 2;
  private static final int QUERY_BLOCK = 128;
  private static final int CANDIDATE_BLOCK = 1024;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(Dataset train) {
    return train.labels().size() >= 2 && train.size() > K;
  }

  @Override
  public Detection scan(Dataset train, ScanContext context) {
    long start = System.nanoTime();
    int n = train.size();
    boolean images = train.kind() == Dataset.Kind.IMAGE;
    int dims = images ? Math.min(IMAGE_DIMS, train.get(0).pixelCount()) : TEXT_DIMS;
    SplittableRandom rng = new SplittableRandom(context.seed());
    long projectionSeed = rng.nextLong();
    double[] z =
        images
            ? projectImages(train, dims, projectionSeed)
            : projectText(train, dims, projectionSeed);
    double[] halfNorms = null;
    if (images) {
      halfNorms = new double[n];
      for (int i = 0; i < n; i++) {
        halfNorms[i] = Vectors.dot(z, i * dims, z, i * dims, dims) / 2;
      }
    } else {
      normalizeRows(z, n, dims);
    }
    double projected = (System.nanoTime() - start) / 1e9;
    context
        .progress()
        .accept(String.format(Locale.ROOT, "knn: %d × %d features in %.2f s", n, dims, projected));
    int[] neighbours = neighbours(z, halfNorms, n, dims, K);
    int[] y = OutOfSample.labelIndices(train);
    double[] scores = new double[n];
    boolean[] flagged = new boolean[n];
    for (int i = 0; i < n; i++) {
      int other = 0;
      for (int r = 0; r < K; r++) {
        if (y[neighbours[i * K + r]] != y[i]) {
          other++;
        }
      }
      scores[i] = (double) other / K;
      flagged[i] = scores[i] >= FLAG_AT - 1e-12;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    context
        .progress()
        .accept(String.format(Locale.ROOT, "knn: %d neighbours each in %.2f s", K, seconds));
    DetectionDetails details = new DetectionDetails.Knn(K, FLAG_AT, dims, Filtering.count(flagged));
    return new Detection(NAME, scores, flagged, details, Filtering.candidatesOnly(NAME));
  }

  /**
   * Pixels/255, centred, on their first {@code dims} principal axes; n × dims. The axes come from
   * the covariance of a seeded sample of at most {@value #PCA_SAMPLE} images, by subspace iteration
   * ({@value #PCA_ITERATIONS} rounds of {@code V ← orth(C·V)} from a Gaussian start; Halko,
   * Martinsson & Tropp, SIAM Review 2011, §4.5).
   */
  static double[] projectImages(Dataset train, int dims, long seed) {
    int n = train.size();
    int d = train.get(0).pixelCount();
    for (Example e : train) {
      if (e.pixelCount() != d) {
        throw new org.poisonlab.io.BadInputException(
            train.name() + ": image " + e.id() + " has " + e.pixelCount() + " pixels, not " + d);
      }
    }
    dims = Math.min(dims, d);
    SplittableRandom rng = new SplittableRandom(seed);
    int s = Math.min(n, PCA_SAMPLE);
    int[] sample = sample(n, s, rng.split());
    double[] mean = new double[d];
    double[] xs = new double[s * d];
    for (int i = 0; i < s; i++) {
      Example e = train.get(sample[i]);
      for (int p = 0; p < d; p++) {
        xs[i * d + p] = e.pixel(p) / 255.0;
        mean[p] += xs[i * d + p] / s;
      }
    }
    for (int i = 0; i < s; i++) {
      for (int p = 0; p < d; p++) {
        xs[i * d + p] -= mean[p];
      }
    }
    double[] cov = Matrices.multiplyTransA(xs, 0, xs, 0, d, s, d, null, 0, THREADS);
    // v: d × dims, columns orthonormalised after each product
    double[] v = new double[d * dims];
    for (int i = 0; i < v.length; i++) {
      v[i] = gaussian(rng);
    }
    orthonormalizeColumns(v, d, dims);
    for (int it = 0; it < PCA_ITERATIONS; it++) {
      v = Matrices.multiply(cov, 0, v, 0, d, d, dims, null, 0, THREADS);
      orthonormalizeColumns(v, d, dims);
    }
    double[] z = new double[n * dims];
    int chunk = 1024;
    double[] x = new double[chunk * d];
    for (int from = 0; from < n; from += chunk) {
      int rows = Math.min(chunk, n - from);
      for (int i = 0; i < rows; i++) {
        Example e = train.get(from + i);
        for (int p = 0; p < d; p++) {
          x[i * d + p] = e.pixel(p) / 255.0 - mean[p];
        }
      }
      Matrices.multiply(x, 0, v, 0, rows, d, dims, z, from * dims, THREADS);
    }
    return z;
  }

  /** Modified Gram–Schmidt on the columns of row-major {@code a} (rows × cols); modified. */
  static void orthonormalizeColumns(double[] a, int rows, int cols) {
    for (int c = 0; c < cols; c++) {
      for (int prev = 0; prev < c; prev++) {
        double dot = 0;
        for (int r = 0; r < rows; r++) {
          dot += a[r * cols + c] * a[r * cols + prev];
        }
        for (int r = 0; r < rows; r++) {
          a[r * cols + c] -= dot * a[r * cols + prev];
        }
      }
      double norm = 0;
      for (int r = 0; r < rows; r++) {
        norm += a[r * cols + c] * a[r * cols + c];
      }
      double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (int r = 0; r < rows; r++) {
        a[r * cols + c] *= inv;
      }
    }
  }

  /** {@code k} distinct positions of [0, n), in increasing order, drawn with {@code rng}. */
  private static int[] sample(int n, int k, SplittableRandom rng) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = java.util.Arrays.copyOf(all, k);
    java.util.Arrays.sort(out);
    return out;
  }

  /** Hashed n-grams times a ±1/√dims matrix whose row for each bucket comes from the seed. */
  static double[] projectText(Dataset train, int dims, long seed) {
    CsrMatrix s =
        (CsrMatrix) Features.of(train, TrainConfig.defaults("logreg", Dataset.Kind.TEXT)).rows();
    int n = train.size();
    double[] z = new double[n * dims];
    double scale = 1 / Math.sqrt(dims);
    int[] ptr = s.rowPtr();
    int[] col = s.colIndex();
    double[] val = s.values();
    // each bucket's row of signs, drawn once from the seed and the bucket
    int words = (dims + 63) / 64;
    long[] signs = new long[s.cols() * words];
    boolean[] drawn = new boolean[s.cols()];
    for (int q = 0; q < col.length; q++) {
      int b = col[q];
      if (!drawn[b]) {
        drawn[b] = true;
        SplittableRandom bucket = new SplittableRandom(seed ^ (b * 0x9E3779B97F4A7C15L));
        for (int w = 0; w < words; w++) {
          signs[b * words + w] = bucket.nextLong();
        }
      }
    }
    // rows side by side (each writes its own); a set bit flips the sign of v exactly
    java.util.stream.IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                long v = Double.doubleToRawLongBits(val[p] * scale);
                int base = col[p] * words;
                int row = i * dims;
                for (int w = 0; w < words; w++) {
                  long bits = signs[base + w];
                  int end = Math.min(64, dims - w * 64);
                  for (int c = 0; c < end; c++) {
                    z[row + w * 64 + c] += Double.longBitsToDouble(v ^ ((bits >>> c) << 63));
                  }
                }
              }
            });
    return z;
  }

  /** Scales each row to unit L2 norm; an all-zero row stays zero. {@code z} is modified. */
  static void normalizeRows(double[] z, int n, int dims) {
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int c = 0; c < dims; c++) {
        s += z[i * dims + c] * z[i * dims + c];
      }
      if (s > 0) {
        double inv = 1 / Math.sqrt(s);
        for (int c = 0; c < dims; c++) {
          z[i * dims + c] *= inv;
        }
      }
    }
  }

  /**
   * The {@code k} most similar other rows of each row, most similar first; n × k, row-major. The
   * similarity of rows a and b is {@code a·b − h[b]}: with {@code h} null, the dot product (cosine
   * for unit rows); with {@code h[b] = |b|²/2}, minus half the squared Euclidean distance up to a
   * term constant in b. Exact over all pairs, in single precision (the features are projections
   * whose own error is far larger), in blocks on {@value #THREADS} threads that own disjoint query
   * blocks.
   *
   * <p>The kernel avoids a horizontal sum per pair: with the candidates stored transposed (dims ×
   * n), a tile of similarities is built as a sum of {@code dims} outer-product rows, four queries
   * and one vector of candidates at a time held in registers; a candidate vector none of whose
   * lanes beats a query's current k-th best is skipped with one vector compare.
   *
   * @param z not modified; n × dims, row-major
   * @param h not modified; null or one offset per row
   */
  static int[] neighbours(double[] z, double[] h, int n, int dims, int k) {
    float[] rows = new float[n * dims];
    float[] columns = new float[dims * n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < dims; c++) {
        float v = (float) z[i * dims + c];
        rows[i * dims + c] = v;
        columns[c * n + i] = v;
      }
    }
    float[] offsets = new float[n];
    if (h != null) {
      for (int i = 0; i < n; i++) {
        offsets[i] = (float) h[i];
      }
    }
    int[] out = new int[n * k];
    int blocks = (n + QUERY_BLOCK - 1) / QUERY_BLOCK;
    ExecutorService pool =
        Executors.newFixedThreadPool(
            THREADS,
            task -> {
              Thread t = new Thread(task, "poisonlab-knn");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int part = 0; part < THREADS; part++) {
        final int first = part;
        parts.add(
            pool.submit(
                () -> {
                  float[] tile = new float[QUERY_BLOCK * CANDIDATE_BLOCK];
                  float[] bestSim = new float[QUERY_BLOCK * k];
                  int[] bestIdx = new int[QUERY_BLOCK * k];
                  for (int b = first; b < blocks; b += THREADS) {
                    queryBlock(
                        rows,
                        columns,
                        offsets,
                        n,
                        dims,
                        k,
                        b * QUERY_BLOCK,
                        tile,
                        bestSim,
                        bestIdx,
                        out);
                  }
                }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while finding neighbours", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private static void queryBlock(
      float[] rows,
      float[] columns,
      float[] offsets,
      int n,
      int dims,
      int k,
      int q0,
      float[] tile,
      float[] bestSim,
      int[] bestIdx,
      int[] out) {
    int qn = Math.min(QUERY_BLOCK, n - q0);
    java.util.Arrays.fill(bestSim, 0, qn * k, Float.NEGATIVE_INFINITY);
    java.util.Arrays.fill(bestIdx, 0, qn * k, -1);
    int lanes = F.length();
    for (int c0 = 0; c0 < n; c0 += CANDIDATE_BLOCK) {
      int cn = Math.min(CANDIDATE_BLOCK, n - c0);
      int vectorEnd = c0 + F.loopBound(cn);
      int q = 0;
      for (; q + 4 <= qn; q += 4) {
        int r0 = (q0 + q) * dims;
        for (int c = c0; c < vectorEnd; c += lanes) {
          FloatVector init = FloatVector.fromArray(F, offsets, c).neg();
          FloatVector a0 = init;
          FloatVector a1 = init;
          FloatVector a2 = init;
          FloatVector a3 = init;
          for (int d = 0; d < dims; d++) {
            FloatVector v = FloatVector.fromArray(F, columns, d * n + c);
            a0 = v.fma(FloatVector.broadcast(F, rows[r0 + d]), a0);
            a1 = v.fma(FloatVector.broadcast(F, rows[r0 + dims + d]), a1);
            a2 = v.fma(FloatVector.broadcast(F, rows[r0 + 2 * dims + d]), a2);
            a3 = v.fma(FloatVector.broadcast(F, rows[r0 + 3 * dims + d]), a3);
          }
          int t = q * cn + (c - c0);
          a0.intoArray(tile, t);
          a1.intoArray(tile, t + cn);
          a2.intoArray(tile, t + 2 * cn);
          a3.intoArray(tile, t + 3 * cn);
        }
        for (int c = vectorEnd; c < c0 + cn; c++) {
          for (int j = 0; j < 4; j++) {
            tile[(q + j) * cn + (c - c0)] =
                scalarSimilarity(rows, r0 + j * dims, columns, offsets, n, dims, c);
          }
        }
      }
      for (; q < qn; q++) {
        int r = (q0 + q) * dims;
        for (int c = c0; c < c0 + cn; c++) {
          tile[q * cn + (c - c0)] = scalarSimilarity(rows, r, columns, offsets, n, dims, c);
        }
      }
      for (q = 0; q < qn; q++) {
        int self = q0 + q;
        int base = q * k;
        float worst = bestSim[base + k - 1];
        int row = q * cn;
        int c = 0;
        while (c < cn) {
          if (c + lanes <= cn
              && !FloatVector.fromArray(F, tile, row + c)
                  .compare(VectorOperators.GT, worst)
                  .anyTrue()) {
            c += lanes;
            continue;
          }
          int end = Math.min(cn, c + lanes);
          for (; c < end; c++) {
            float s = tile[row + c];
            int j = c0 + c;
            if (s > worst && j != self) {
              // insertion into the sorted top-k; strict > keeps the earlier index on ties
              int r = k - 1;
              while (r > 0 && bestSim[base + r - 1] < s) {
                bestSim[base + r] = bestSim[base + r - 1];
                bestIdx[base + r] = bestIdx[base + r - 1];
                r--;
              }
              bestSim[base + r] = s;
              bestIdx[base + r] = j;
              worst = bestSim[base + k - 1];
            }
          }
        }
      }
    }
    System.arraycopy(bestIdx, 0, out, q0 * k, qn * k);
  }

  /** The similarity of the row at {@code r} and candidate {@code c}, in the kernel's order. */
  private static float scalarSimilarity(
      float[] rows, int r, float[] columns, float[] offsets, int n, int dims, int c) {
    float s = -offsets[c];
    for (int d = 0; d < dims; d++) {
      s = Math.fma(columns[d * n + c], rows[r + d], s);
    }
    return s;
  }

  private static double gaussian(SplittableRandom rng) {
    // Box–Muller, one value per call
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
