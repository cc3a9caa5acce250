package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Options;
import org.poisonlab.linalg.Cholesky;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.linalg.RandomProjection;
import org.poisonlab.linalg.Vectors;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * TRAK (Park, Georgiev, Ilyas, Leclerc and Madry, "TRAK: Attributing Model Behavior at Scale", ICML
 * 2023, Algorithm 1). For each model of an ensemble: {@code φ(z) = P ∇_θ f(z)}, the gradient of the
 * margin {@code f(z) = log(p/(1−p))} of z's label, projected by a seeded random {@code P} (k×p,
 * {@link RandomProjection}); {@code Φ} stacks the training examples' φ; {@code Q_i = 1 − p_i}. The
 * score is {@code τ(t, i) = (1/M Σ_m φ_tᵀ (Φ_mᵀΦ_m)⁻¹ φ_i) · (1/M Σ_m Q_i)}. For softmax
 * cross-entropy the margin gradient is {@code −∇L / (1 − p)}, so it comes from the loss gradient.
 *
 * <p>Φ is streamed: one pass accumulates the k×k matrix {@code ΦᵀΦ}, a Cholesky factor is taken
 * (with {@code damping × mean diagonal} added to the diagonal, raised tenfold while the factor
 * fails), and a second pass projects again and scores. Memory is O(k² + m·k + p) whatever n is.
 * Options: {@code k} (default 2048), {@code projection} ({@code rademacher} or {@code gaussian}),
 * {@code models} (default 1: the given model; M > 1 retrains M models on random halves of the
 * training set, drawn from the seed, as the paper does), {@code damping} (default 1e-6).
 * Self-influence is {@code φ_iᵀ(ΦᵀΦ)⁻¹φ_i · Q_i}, a leverage score.
 */
final class TrakAttributor implements Attributor {
  static final String NAME = "trak";

  /** The options this method takes. */
  static final List<String> OPTIONS = List.of("k", "projection", "models", "damping", "gram");

  private static final int BATCH = 64;

  /** Entries of Φ (n × k) kept in memory between the two passes of the batched path. */
  static final long KEEP_PHI = 1L << 24;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Attribution attribute(AttributionRequest request) {
    Options options = new Options(NAME, request.options(), OPTIONS);
    boolean diagonal =
        options.choice("gram", "projected", List.of("projected", "diagonal")).equals("diagonal");
    int k = options.integer("k", 2048, 1, 1 << 15);
    RandomProjection.Kind kind =
        options
                .choice("projection", "rademacher", List.of("rademacher", "gaussian"))
                .equals("gaussian")
            ? RandomProjection.Kind.GAUSSIAN
            : RandomProjection.Kind.RADEMACHER;
    int models = options.integer("models", 1, 1, 1000);
    double damping = options.real("damping", 1e-6, 0, false);
    long start = System.nanoTime();
    DifferentiableClassifier given = request.model();
    Dataset train = request.train();
    List<Example> examples = train.examples();
    int n = examples.size();
    boolean self = request.selfInfluence();
    int m = self ? 1 : request.behavior().size();
    int[] trainLabels = given.labelIndices(examples);
    int[] behaviorLabels = self ? null : given.labelIndices(request.behavior());
    TrainConfig config =
        request.config() != null
            ? request.config()
            : given.provenance() == null ? null : given.provenance().config();
    if (models > 1 && config == null) {
      throw new BadInputException("trak with models > 1 needs the training configuration");
    }
    SplittableRandom rng = new SplittableRandom(request.seed());
    double[] s = new double[n * m];
    double[] q = new double[n];
    List<Map<String, Object>> perModel = new ArrayList<>();
    for (int mi = 0; mi < models; mi++) {
      SplittableRandom mr = rng.split();
      long projectionSeed = mr.nextLong();
      DifferentiableClassifier model = given;
      if (models > 1) {
        int[] half = halfSubset(n, mr);
        request.progress().accept("trak: training model " + (mi + 1) + " of " + models);
        model = Trainers.train(train.subset(half), config, mr.nextLong(), null, null);
        if (!model.labels().equals(given.labels())) {
          // a half without some class: keep the given model's label order by fine-tuning from it
          model = Trainers.train(train.subset(half), config, mr.nextLong(), given, null);
        }
      }
      perModel.add(
          diagonal
              ? accumulateDiagonal(
                  model, examples, trainLabels, request, behaviorLabels, damping, s, q)
              : accumulate(
                  model,
                  examples,
                  trainLabels,
                  request,
                  behaviorLabels,
                  k,
                  kind,
                  projectionSeed,
                  damping,
                  s,
                  q));
    }
    double[] scores = new double[n * m];
    for (int i = 0; i < n; i++) {
      double qi = q[i] / models;
      for (int t = 0; t < m; t++) {
        scores[i * m + t] = s[i * m + t] / models * qi;
      }
    }
    Map<String, Object> diagnostics = new LinkedHashMap<>();
    diagnostics.put("gram", diagonal ? "diagonal" : "projected");
    diagnostics.put("k", diagonal ? given.parameterCount() : k);
    diagnostics.put("projection", kind.name().toLowerCase(java.util.Locale.ROOT));
    diagnostics.put("models", perModel);
    diagnostics.put("parameters", given.parameterCount());
    Elapsed.tell(request.progress(), NAME + ": done", start);
    return new Attribution(NAME, n, m, scores, diagnostics);
  }

  private static int[] halfSubset(int n, SplittableRandom r) {
    int[] order = org.poisonlab.linalg.Permutations.random(n, r);
    int[] half = java.util.Arrays.copyOf(order, Math.max(1, n / 2));
    java.util.Arrays.sort(half);
    return half;
  }

  /** One model's contribution: adds φ_tᵀ(ΦᵀΦ)⁻¹φ_i to s and Q_i to q. */
  private static Map<String, Object> accumulate(
      DifferentiableClassifier model,
      List<Example> examples,
      int[] trainLabels,
      AttributionRequest request,
      int[] behaviorLabels,
      int k,
      RandomProjection.Kind kind,
      long projectionSeed,
      double damping,
      double[] s,
      double[] q) {
    int n = examples.size();
    int p = model.parameterCount();
    int[] sizes = org.poisonlab.model.Models.layered(model, NAME).layerSizes();
    int classes = sizes[sizes.length - 1];
    int lastBias = p - classes;
    RandomProjection proj = RandomProjection.of(kind, p, k, projectionSeed, 0);
    if (MarginProjector.supports(model, examples)) {
      return accumulateBatched(
          model, proj, examples, trainLabels, request, behaviorLabels, damping, s, q);
    }
    // pass 1: ΦᵀΦ and Q
    double[] gram = new double[k * k];
    double[] tmp = new double[k * k];
    double[] block = new double[BATCH * k];
    int[] filled = {0};
    long t0 = System.nanoTime();
    model.forEachGradient(
        examples,
        trainLabels,
        (g, i) -> {
          int row = filled[0];
          q[i] += marginFeature(proj, g, lastBias, trainLabels[i], classes, block, row * k);
          filled[0]++;
          if (filled[0] == BATCH || i == n - 1) {
            Matrices.multiplyTransA(block, 0, block, 0, k, filled[0], k, tmp, 0, 0);
            for (int e = 0; e < k * k; e++) {
              gram[e] += tmp[e];
            }
            filled[0] = 0;
          }
        });
    Elapsed.tell(request.progress(), "trak: pass 1 (ΦᵀΦ)", t0);
    Factor f = factor(gram, k, damping);
    Cholesky chol = f.cholesky();
    double lambda = f.lambda();
    int attempts = f.attempts();
    boolean self = behaviorLabels == null;
    int m = self ? 1 : behaviorLabels.length;
    double[] x = new double[m * k];
    if (!self) {
      List<Example> behavior = request.behavior();
      double[] phi = new double[k];
      model.forEachGradient(
          behavior,
          behaviorLabels,
          (g, t) -> {
            marginFeature(proj, g, lastBias, behaviorLabels[t], classes, phi, 0);
            System.arraycopy(phi, 0, x, t * k, k);
          });
      double[] col = new double[k];
      for (int t = 0; t < m; t++) {
        System.arraycopy(x, t * k, col, 0, k);
        chol.solve(col, 1, col);
        System.arraycopy(col, 0, x, t * k, k);
      }
    }
    // pass 2: scores
    Cholesky factor = chol;
    double[] phi = new double[k];
    long t1 = System.nanoTime();
    model.forEachGradient(
        examples,
        trainLabels,
        (g, i) -> {
          marginFeature(proj, g, lastBias, trainLabels[i], classes, phi, 0);
          if (self) {
            factor.forwardInPlace(phi);
            s[i] += Vectors.dot(phi, phi);
          } else {
            for (int t = 0; t < m; t++) {
              s[i * m + t] += Vectors.dot(phi, 0, x, t * k, k);
            }
          }
        });
    Elapsed.tell(request.progress(), "trak: pass 2 (scores)", t1);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("damping", lambda);
    info.put("damping_raised", attempts);
    return info;
  }

  /** A Cholesky factor of {@code ΦᵀΦ + λI} and the damping it took. */
  private record Factor(Cholesky cholesky, double lambda, int attempts) {}

  /**
   * Factors {@code gram + λI}, {@code λ = damping × mean diagonal}, raising λ tenfold while the
   * factor fails; {@code gram} is not modified.
   */
  private static Factor factor(double[] gram, int k, double damping) {
    double trace = 0;
    for (int r = 0; r < k; r++) {
      trace += gram[r * k + r];
    }
    double lambda = damping * Math.max(trace / k, Double.MIN_NORMAL);
    int attempts = 0;
    while (attempts < 12) {
      double[] a = gram.clone();
      for (int r = 0; r < k; r++) {
        a[r * k + r] += lambda;
      }
      Cholesky c = Cholesky.factorInPlace(a, k, 0);
      if (c.positiveDefinite()) {
        return new Factor(c, lambda, attempts);
      }
      lambda = lambda == 0 ? 1e-12 * Math.max(trace / k, 1) : lambda * 10;
      attempts++;
    }
    throw new IllegalStateException("trak: ΦᵀΦ could not be factored even with damping");
  }

  /**
   * {@link #accumulate} for a ReLU network on dense inputs: φ for {@value MarginProjector#BATCH}
   * examples at a time by {@link MarginProjector}; Φ is kept between the passes when it has at most
   * {@value #KEEP_PHI} entries, otherwise projected again.
   */
  private static Map<String, Object> accumulateBatched(
      DifferentiableClassifier model,
      RandomProjection proj,
      List<Example> examples,
      int[] trainLabels,
      AttributionRequest request,
      int[] behaviorLabels,
      double damping,
      double[] s,
      double[] q) {
    int n = examples.size();
    int k = proj.dimension();
    int batch = MarginProjector.BATCH;
    MarginProjector projector = new MarginProjector(model, proj);
    boolean keep = (long) n * k <= KEEP_PHI;
    double[] kept = keep ? new double[n * k] : null;
    double[] gram = new double[k * k];
    double[] tmp = new double[k * k];
    double[] phi = new double[batch * k];
    double[] omp = new double[batch];
    long t0 = System.nanoTime();
    for (int from = 0; from < n; from += batch) {
      int rows = Math.min(batch, n - from);
      projector.project(examples, trainLabels, from, rows, phi, omp);
      if (keep) {
        System.arraycopy(phi, 0, kept, from * k, rows * k);
      }
      for (int e = 0; e < rows; e++) {
        q[from + e] += omp[e];
      }
      Matrices.multiplyTransA(phi, 0, phi, 0, k, rows, k, tmp, 0, 0);
      for (int e = 0; e < k * k; e++) {
        gram[e] += tmp[e];
      }
    }
    Elapsed.tell(request.progress(), "trak: pass 1 (batched φ, ΦᵀΦ)", t0);
    Factor f = factor(gram, k, damping);
    Cholesky chol = f.cholesky();
    boolean self = behaviorLabels == null;
    int m = self ? 1 : behaviorLabels.length;
    double[] x = null;
    if (!self) {
      x = new double[m * k];
      List<Example> behavior = request.behavior();
      double[] col = new double[k];
      double[] bomp = new double[batch];
      for (int from = 0; from < m; from += batch) {
        int rows = Math.min(batch, m - from);
        projector.project(behavior, behaviorLabels, from, rows, phi, bomp);
        for (int t = 0; t < rows; t++) {
          System.arraycopy(phi, t * k, col, 0, k);
          chol.solve(col, 1, col);
          System.arraycopy(col, 0, x, (from + t) * k, k);
        }
      }
    }
    long t1 = System.nanoTime();
    double[] row = new double[k];
    double[] dots = self ? null : new double[batch * m];
    for (int from = 0; from < n; from += batch) {
      int rows = Math.min(batch, n - from);
      double[] src = kept;
      int off = from * k;
      if (!keep) {
        projector.project(examples, trainLabels, from, rows, phi, omp);
        src = phi;
        off = 0;
      }
      if (self) {
        for (int e = 0; e < rows; e++) {
          System.arraycopy(src, off + e * k, row, 0, k);
          chol.forwardInPlace(row);
          s[from + e] += Vectors.dot(row, row);
        }
      } else {
        Matrices.multiplyTransB(src, off, x, 0, rows, m, k, dots, 0, 0);
        for (int e = 0; e < rows * m; e++) {
          s[from * m + e] += dots[e];
        }
      }
    }
    Elapsed.tell(request.progress(), "trak: pass 2 (scores)", t1);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("damping", f.lambda());
    info.put("damping_raised", f.attempts());
    info.put("batched", true);
    info.put("phi_kept", keep);
    return info;
  }

  /**
   * The {@code gram=diagonal} variant: no projection ({@code φ = ∇f} itself) and {@code ΦᵀΦ}
   * replaced by its diagonal {@code D = Σ_i φ_i²}, so {@code φ_tᵀ(D + λ)⁻¹φ_i}. Memory O(m·p).
   */
  private static Map<String, Object> accumulateDiagonal(
      DifferentiableClassifier model,
      List<Example> examples,
      int[] trainLabels,
      AttributionRequest request,
      int[] behaviorLabels,
      double damping,
      double[] s,
      double[] q) {
    int p = model.parameterCount();
    int[] sizes = org.poisonlab.model.Models.layered(model, NAME).layerSizes();
    int classes = sizes[sizes.length - 1];
    int lastBias = p - classes;
    double[] diag = new double[p];
    long t0 = System.nanoTime();
    model.forEachGradient(
        examples,
        trainLabels,
        (g, i) -> {
          double omp = oneMinusP(g, lastBias, trainLabels[i], classes);
          q[i] += omp;
          if (omp > 0) {
            double c = 1 / (omp * omp);
            for (int j = 0; j < p; j++) {
              double v = g[j];
              if (v != 0) {
                diag[j] += v * v * c;
              }
            }
          }
        });
    double mean = 0;
    for (double d : diag) {
      mean += d / p;
    }
    double lambda = damping * Math.max(mean, Double.MIN_NORMAL);
    boolean self = behaviorLabels == null;
    int m = self ? 1 : behaviorLabels.length;
    double[][] u = self ? null : new double[m][];
    if (!self) {
      model.forEachGradient(
          request.behavior(),
          behaviorLabels,
          (g, t) -> {
            double omp = oneMinusP(g, lastBias, behaviorLabels[t], classes);
            double[] ut = new double[p];
            if (omp > 0) {
              for (int j = 0; j < p; j++) {
                ut[j] = -g[j] / omp / (diag[j] + lambda);
              }
            }
            u[t] = ut;
          });
    }
    model.forEachGradient(
        examples,
        trainLabels,
        (g, i) -> {
          double omp = oneMinusP(g, lastBias, trainLabels[i], classes);
          if (!(omp > 0)) {
            return;
          }
          double c = -1 / omp;
          for (int j = 0; j < p; j++) {
            double v = g[j];
            if (v != 0) {
              if (self) {
                s[i] += v * v * c * c / (diag[j] + lambda);
              } else {
                for (int t = 0; t < m; t++) {
                  s[i * m + t] += v * c * u[t][j];
                }
              }
            }
          }
        });
    Elapsed.tell(request.progress(), "trak: diagonal scores", t0);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("damping", lambda);
    return info;
  }

  private static double oneMinusP(double[] g, int lastBias, int y, int classes) {
    double s = 0;
    for (int j = 0; j < classes; j++) {
      if (j != y) {
        s += g[lastBias + j];
      }
    }
    return s;
  }

  /**
   * Writes {@code φ = P ∇f} (f the margin of class y) into {@code out[off..off+k)} and returns
   * {@code 1 − p_y}, read from the last layer's bias gradient ({@code p_j} for {@code j ≠ y}).
   */
  static double marginFeature(
      RandomProjection proj, double[] g, int lastBias, int y, int classes, double[] out, int off) {
    double oneMinusP = 0;
    for (int j = 0; j < classes; j++) {
      if (j != y) {
        oneMinusP += g[lastBias + j];
      }
    }
    proj.project(g, out, off);
    int k = proj.dimension();
    double scale = oneMinusP > 0 ? -1 / oneMinusP : 0;
    for (int r = 0; r < k; r++) {
      out[off + r] *= scale;
    }
    return oneMinusP;
  }
}
