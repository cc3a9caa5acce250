package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.model.Featurizers;
import org.poisonlab.model.TrainConfig;

/**
 * {@code knn}: k-nearest-neighbour label disagreement, the k-NN noise filter of Wilson's edited
 * nearest neighbour rule (Wilson, IEEE SMC 1972) as used for label noise by Brodley & Friedl (JAIR
 * 1999): score {@code s(x) = |{x' ∈ N_k(x) : ỹ(x') ≠ ỹ(x)}| / k} with k = 10 nearest neighbours by
 * cosine similarity; flagged when {@code s ≥ 0.7}, i.e. at least 7 of the 10 neighbours disagree
 * with the given label (a clear majority against it, tolerant of the natural overlap of similar
 * classes).
 *
 * <p>Features: images as pixel/255 vectors, text as the L2-normalised hashed n-grams of {@link
 * Featurizers}; both are first reduced by a seeded random projection (Johnson–Lindenstrauss;
 * Achlioptas 2003) to {@value #IMAGE_DIMS} dimensions for images (Gaussian entries) and {@value
 * #TEXT_DIMS} for text (±1 entries, drawn per hash bucket), then scaled to unit length. All n²
 * similarities are computed exactly in the projected space, in blocks with the vector kernels of
 * {@link Matrices#multiplyTransB}, on {@value #THREADS} threads that own disjoint query blocks (so
 * the result does not depend on scheduling). Ties between equally similar neighbours go to the
 * earlier example.
 */
final class KnnDetector implements Detector {
  static final String NAME = "knn";
  static final int K = 10;
  static final double FLAG_AT = 0.7;
  static final int IMAGE_DIMS = 64;
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
    int dims = train.kind() == Dataset.Kind.IMAGE ? IMAGE_DIMS : TEXT_DIMS;
    SplittableRandom rng = new SplittableRandom(context.seed());
    long projectionSeed = rng.nextLong();
    double[] z =
        train.kind() == Dataset.Kind.IMAGE
            ? projectImages(train, dims, projectionSeed)
            : projectText(train, dims, projectionSeed);
    normalizeRows(z, n, dims);
    double projected = (System.nanoTime() - start) / 1e9;
    context.progress().accept(String.format("knn: %d × %d features in %.2f s", n, dims, projected));
    int[] neighbours = neighbours(z, n, dims, K);
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
    context.progress().accept(String.format("knn: %d neighbours each in %.2f s", K, seconds));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("k", K);
    details.put("flag_at", FLAG_AT);
    details.put("dimensions", dims);
    details.put("flagged", Filtering.count(flagged));
    details.put("seconds", seconds);
    return new Detection(NAME, scores, flagged, details);
  }

  /** Pixels/255 times a Gaussian d × dims matrix with N(0, 1/dims) entries; n × dims. */
  static double[] projectImages(Dataset train, int dims, long seed) {
    int n = train.size();
    int d = train.get(0).pixelCount();
    SplittableRandom rng = new SplittableRandom(seed);
    double[] r = new double[d * dims];
    double scale = 1 / Math.sqrt(dims);
    for (int i = 0; i < r.length; i++) {
      r[i] = gaussian(rng) * scale;
    }
    double[] z = new double[n * dims];
    int chunk = 1024;
    double[] x = new double[chunk * d];
    for (int from = 0; from < n; from += chunk) {
      int rows = Math.min(chunk, n - from);
      for (int i = 0; i < rows; i++) {
        Example e = train.get(from + i);
        if (e.pixelCount() != d) {
          throw new org.poisonlab.data.BadInputException(
              train.name() + ": image " + e.id() + " has " + e.pixelCount() + " pixels, not " + d);
        }
        for (int p = 0; p < d; p++) {
          x[i * d + p] = e.pixel(p) / 255.0;
        }
      }
      Matrices.multiply(x, 0, r, 0, rows, d, dims, z, from * dims, THREADS);
    }
    return z;
  }

  /** Hashed n-grams times a ±1/√dims matrix whose row for each bucket comes from the seed. */
  static double[] projectText(Dataset train, int dims, long seed) {
    CsrMatrix s =
        (CsrMatrix)
            Featurizers.forData(train, TrainConfig.DEFAULT_TEXT_BUCKETS)
                .transform(train.examples());
    int n = train.size();
    double[] z = new double[n * dims];
    double scale = 1 / Math.sqrt(dims);
    int[] ptr = s.rowPtr();
    int[] col = s.colIndex();
    double[] val = s.values();
    for (int i = 0; i < n; i++) {
      for (int p = ptr[i]; p < ptr[i + 1]; p++) {
        SplittableRandom bucket = new SplittableRandom(seed ^ (col[p] * 0x9E3779B97F4A7C15L));
        double v = val[p] * scale;
        long bits = 0;
        for (int c = 0; c < dims; c++) {
          if ((c & 63) == 0) {
            bits = bucket.nextLong();
          }
          z[i * dims + c] += ((bits >>> (c & 63)) & 1) == 0 ? v : -v;
        }
      }
    }
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
   * The {@code k} most similar other rows of each row by dot product, most similar first; n × k,
   * row-major. Exact (all pairs), in blocks, on {@value #THREADS} threads.
   *
   * @param z not modified; n × dims, row-major
   */
  static int[] neighbours(double[] z, int n, int dims, int k) {
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
                  double[] tile = new double[QUERY_BLOCK * CANDIDATE_BLOCK];
                  double[] bestSim = new double[QUERY_BLOCK * k];
                  int[] bestIdx = new int[QUERY_BLOCK * k];
                  for (int b = first; b < blocks; b += THREADS) {
                    queryBlock(z, n, dims, k, b * QUERY_BLOCK, tile, bestSim, bestIdx, out);
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

  private static void queryBlock(
      double[] z,
      int n,
      int dims,
      int k,
      int q0,
      double[] tile,
      double[] bestSim,
      int[] bestIdx,
      int[] out) {
    int qn = Math.min(QUERY_BLOCK, n - q0);
    java.util.Arrays.fill(bestSim, 0, qn * k, Double.NEGATIVE_INFINITY);
    java.util.Arrays.fill(bestIdx, 0, qn * k, -1);
    for (int c0 = 0; c0 < n; c0 += CANDIDATE_BLOCK) {
      int cn = Math.min(CANDIDATE_BLOCK, n - c0);
      Matrices.multiplyTransB(z, q0 * dims, z, c0 * dims, qn, cn, dims, tile, 0, 1);
      for (int q = 0; q < qn; q++) {
        int self = q0 + q;
        int base = q * k;
        double worst = bestSim[base + k - 1];
        for (int c = 0; c < cn; c++) {
          double s = tile[q * cn + c];
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
    System.arraycopy(bestIdx, 0, out, q0 * k, qn * k);
  }

  private static double gaussian(SplittableRandom rng) {
    // Box–Muller, one value per call
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
