package org.poisonlab.attribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.linalg.Cholesky;
import org.poisonlab.model.CurvatureOperator;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Influence functions (Koh and Liang, "Understanding black-box predictions via influence
 * functions", ICML 2017): {@code score(i, t) = ∇L(z_t)ᵀ (H + λI)⁻¹ ∇L(z_i)}, the negative of their
 * {@code I_up,loss(z_i, z_t)}, with {@code H} the Hessian of the training objective (mean loss plus
 * L2) at the trained parameters and {@code λ} a damping term; removing {@code z_i} changes the loss
 * of {@code z_t} by about {@code score / n}. Self-influence is {@code ∇L(z_i)ᵀ (H + λI)⁻¹ ∇L(z_i)}.
 *
 * <p>Solvers: {@code exact} forms {@code H} (for logistic regression on images by {@link
 * org.poisonlab.linalg.SoftmaxHessians}, otherwise column by column from Hessian-vector products)
 * and factors it by Cholesky; {@code cg} runs conjugate gradients and {@code lissa} the LiSSA
 * recursion, both on exact Hessian-vector products; {@code woodbury} (self-influence of logistic
 * regression on text) solves exactly in the span of the data, {@link WoodburyInfluence}; {@code
 * auto} is exact up to 10,000 parameters, beyond that woodbury for self-influence where it applies
 * and CG otherwise. A Hessian that is not positive definite is reported in the diagnostics and the
 * solve falls back to CG.
 */
final class InfluenceAttributor implements Attributor {
  static final int EXACT_LIMIT = 10_000;

  /** The memory a block of behaviour examples may hold by default, in bytes. */
  static final long BLOCK_BYTES = 512L << 20;

  static final List<String> OPTIONS =
      List.of(
          "solver",
          "damping",
          "cg-tolerance",
          "cg-iterations",
          "lissa-depth",
          "lissa-scale",
          "lissa-repeats",
          "threads");

  private final long blockBytes;

  InfluenceAttributor() {
    this(BLOCK_BYTES);
  }

  /**
   * With blocks of behaviour examples holding at most {@code blockBytes} (tests use small ones).
   */
  InfluenceAttributor(long blockBytes) {
    this.blockBytes = blockBytes;
  }

  @Override
  public String name() {
    return "influence";
  }

  private static double number(Map<String, String> o, String key, double fallback) {
    String v = o.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d) || d < 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new BadInputException(
          "influence option " + key + " must be a non-negative number; got '" + v + "'");
    }
  }

  @Override
  public Attribution attribute(AttributionRequest request) {
    Map<String, String> o = request.options();
    for (String key : o.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new BadInputException(
            "unknown influence option '" + key + "'; expected one of " + OPTIONS);
      }
    }
    String solver = o.getOrDefault("solver", "auto");
    if (!List.of("auto", "exact", "cg", "lissa", "woodbury").contains(solver)) {
      throw new BadInputException(
          "influence solver must be auto, exact, cg, lissa or woodbury; got '" + solver + "'");
    }
    double damping = number(o, "damping", 1e-3);
    double cgTol = number(o, "cg-tolerance", 1e-8);
    int cgIter = (int) number(o, "cg-iterations", 1000);
    int depth = (int) number(o, "lissa-depth", 1000);
    double scale = number(o, "lissa-scale", 0);
    int repeats = Math.max(1, (int) number(o, "lissa-repeats", 1));
    int threads = (int) number(o, "threads", 0);

    DifferentiableClassifier model = request.model();
    List<Example> train = request.train().examples();
    int n = train.size();
    int p = model.parameterCount();
    int[] y = model.labelIndices(train);
    boolean self = request.selfInfluence();
    if (solver.equals("auto")) {
      solver =
          p <= EXACT_LIMIT
              ? "exact"
              : self && WoodburyInfluence.applies(model, train) ? "woodbury" : "cg";
    }
    Map<String, Object> diag = new LinkedHashMap<>();
    Consumer<String> progress = request.progress();
    diag.put("parameters", p);
    diag.put("damping", damping);
    if (solver.equals("woodbury")) {
      if (!self) {
        throw new BadInputException(
            "the influence solver woodbury computes self-influence only (no behaviour examples)");
      }
      if (!WoodburyInfluence.applies(model, train)) {
        throw new BadInputException(
            "the influence solver woodbury needs logistic regression on text with n·classes ≤ "
                + WoodburyInfluence.LIMIT
                + " (2 classes count as 1)");
      }
      request.progress().accept("influence: woodbury solver, " + p + " parameters");
      long t0 = System.nanoTime();
      double[] scores =
          WoodburyInfluence.selfInfluence(model, train, y, damping, threads, progress);
      Elapsed.tell(progress, "influence: done", t0);
      diag.put("solver", solver);
      return new Attribution(name(), n, 1, scores, diag);
    }
    List<Example> behavior = request.behavior();
    int m = self ? 1 : behavior.size();
    request.progress().accept("influence: " + solver + " solver, " + p + " parameters");

    long t0 = System.nanoTime();
    boolean dense = DenseSoftmax.applies(model);
    DenseSoftmax ds = dense ? DenseSoftmax.of(model, train) : null;
    CurvatureOperator op = null;
    Cholesky factor = null;
    if (solver.equals("exact")) {
      long t1 = System.nanoTime();
      double[] h;
      if (dense) {
        h = ds.hessian(model.l2(), damping, threads);
      } else {
        op = model.curvature(train, y, false);
        h = explicitHessian(op, damping);
      }
      Elapsed.tell(progress, "influence: hessian", t1);
      long t2 = System.nanoTime();
      factor = Cholesky.factorInPlace(h, p, threads);
      Elapsed.tell(progress, "influence: factor", t2);
      diag.put("hessian_positive_definite", factor.positiveDefinite());
      if (!factor.positiveDefinite()) {
        request.progress().accept("influence: H + λI is not positive definite; using CG");
        diag.put("failed_column", factor.failedColumn());
        factor = null;
        solver = "cg";
      }
    }
    diag.put("solver", solver);
    if (op == null && factor == null) {
      op = model.curvature(train, y, false);
    }
    double[] scores;
    if (self) {
      scores =
          selfInfluence(
              model, train, y, ds, factor, op, solver, damping, cgTol, cgIter, depth, scale,
              repeats, diag, progress);
    } else {
      scores = new double[n * m];
      int chunk = behaviorChunk(p, m);
      if (chunk < m) {
        request
            .progress()
            .accept(
                "influence: "
                    + m
                    + " behaviour examples in blocks of "
                    + chunk
                    + " (each holds its gradient and its solution, "
                    + p
                    + " doubles each)");
      }
      double worst = 0;
      int iterations = 0;
      boolean converged = true;
      if (factor == null && solver.equals("lissa") && scale == 0) {
        scale = 1.5 * InverseHvp.largestEigenvalue(op, damping, 30);
        diag.put("lissa_scale", scale);
      }
      double gradientSeconds = 0;
      double solveSeconds = 0;
      double scoreSeconds = 0;
      for (int from = 0; from < m; from += chunk) {
        int c = Math.min(chunk, m - from);
        long tg = System.nanoTime();
        double[][] targets = new double[c][];
        List<Example> block = behavior.subList(from, from + c);
        model.forEachGradient(block, model.labelIndices(block), (g, t) -> targets[t] = g.clone());
        gradientSeconds += Elapsed.since(tg);
        long ts = System.nanoTime();
        double[] v = new double[c * p];
        if (factor != null) {
          double[] b = new double[p * c];
          for (int t = 0; t < c; t++) {
            double[] g = dense ? ds.toAugmented(targets[t]) : targets[t];
            for (int q = 0; q < p; q++) {
              b[q * c + t] = g[q];
            }
          }
          double[] x = factor.solve(b, c, b);
          for (int t = 0; t < c; t++) {
            for (int q = 0; q < p; q++) {
              v[t * p + q] = x[q * c + t];
            }
          }
        } else {
          for (int t = 0; t < c; t++) {
            InverseHvp.Solve s =
                solve(op, damping, targets[t], solver, cgTol, cgIter, depth, scale, repeats);
            double[] x = dense ? ds.toAugmented(s.x()) : s.x();
            System.arraycopy(x, 0, v, t * p, p);
            worst = Math.max(worst, s.relativeResidual());
            iterations = Math.max(iterations, s.iterations());
            converged &= s.converged();
          }
        }
        solveSeconds += Elapsed.since(ts);
        long tc = System.nanoTime();
        double[] blockScores =
            dense ? ds.scores(y, v, c, threads) : sparseScores(model, train, y, v, c);
        for (int i = 0; i < n; i++) {
          System.arraycopy(blockScores, i * c, scores, i * m + from, c);
        }
        scoreSeconds += Elapsed.since(tc);
        if (from == 0 && factor != null) {
          diag.put(
              "relative_residual_first",
              residual(
                  op != null ? op : model.curvature(train, y, false),
                  damping,
                  targets[0],
                  v,
                  p,
                  dense ? ds : null));
        }
      }
      if (factor == null) {
        diag.put("max_relative_residual", worst);
        diag.put("max_iterations", iterations);
        diag.put("converged", converged);
      }
      progress.accept(
          String.format(
              Locale.ROOT,
              "influence: gradients in %.2f s, solve in %.2f s, scores in %.2f s",
              gradientSeconds,
              solveSeconds,
              scoreSeconds));
    }
    Elapsed.tell(progress, "influence: done", t0);
    return new Attribution(name(), n, m, scores, diag);
  }

  private static InverseHvp.Solve solve(
      CurvatureOperator op,
      double damping,
      double[] g,
      String solver,
      double cgTol,
      int cgIter,
      int depth,
      double scale,
      int repeats) {
    return solver.equals("lissa")
        ? InverseHvp.lissa(op, damping, g, depth, scale, repeats)
        : InverseHvp.conjugateGradient(op, damping, g, cgTol, cgIter);
  }

  private double[] selfInfluence(
      DifferentiableClassifier model,
      List<Example> train,
      int[] y,
      DenseSoftmax ds,
      Cholesky factor,
      CurvatureOperator op,
      String solver,
      double damping,
      double cgTol,
      int cgIter,
      int depth,
      double scale,
      int repeats,
      Map<String, Object> diag,
      Consumer<String> progress) {
    long t3 = System.nanoTime();
    int n = train.size();
    int p = model.parameterCount();
    double[] scores = new double[n];
    if (factor != null) {
      int block = 256;
      for (int from = 0; from < n; from += block) {
        int rows = Math.min(block, n - from);
        double[] b = new double[p * rows];
        for (int r = 0; r < rows; r++) {
          double[] g =
              ds != null
                  ? ds.gradient(from + r, y[from + r])
                  : model.gradient(train.get(from + r), y[from + r], null);
          for (int q = 0; q < p; q++) {
            b[q * rows + r] = g[q];
          }
        }
        double[] x = factor.solve(b, rows, null);
        for (int r = 0; r < rows; r++) {
          double s = 0;
          for (int q = 0; q < p; q++) {
            s += b[q * rows + r] * x[q * rows + r];
          }
          scores[from + r] = s;
        }
      }
    } else {
      if (solver.equals("lissa") && scale == 0) {
        scale = 1.5 * InverseHvp.largestEigenvalue(op, damping, 30);
      }
      double worst = 0;
      boolean converged = true;
      for (int i = 0; i < n; i++) {
        double[] g = model.gradient(train.get(i), y[i], null);
        InverseHvp.Solve s = solve(op, damping, g, solver, cgTol, cgIter, depth, scale, repeats);
        scores[i] = InverseHvp.dot(g, s.x());
        worst = Math.max(worst, s.relativeResidual());
        converged &= s.converged();
      }
      diag.put("max_relative_residual", worst);
      diag.put("converged", converged);
    }
    Elapsed.tell(progress, "influence: solve", t3);
    return scores;
  }

  /**
   * How many behaviour examples are solved together: each holds its gradient and its solution, two
   * arrays of {@code p} doubles, and a block holds at most {@code blockBytes} of them. A fixed
   * rule, not the heap's size, so the same inputs give the same bits on any machine.
   */
  private int behaviorChunk(int p, int m) {
    long perExample = 2L * Math.max(1, p) * Double.BYTES;
    return (int) Math.max(1, Math.min(m, blockBytes / perExample));
  }

  /**
   * Scores {@code n × c} of the training examples against the solved vectors {@code v} ({@code c ×
   * p}), visiting only each training gradient's nonzero entries (a text model's gradients are
   * sparse); the sums run in the order of the parameters, as a dense product would.
   */
  private static double[] sparseScores(
      DifferentiableClassifier model, List<Example> train, int[] y, double[] v, int c) {
    int n = train.size();
    int p = model.parameterCount();
    double[] out = new double[n * c];
    int[] nonzero = new int[p];
    model.forEachGradient(
        train,
        y,
        (g, i) -> {
          int nz = 0;
          for (int q = 0; q < p; q++) {
            if (g[q] != 0) {
              nonzero[nz++] = q;
            }
          }
          for (int t = 0; t < c; t++) {
            double s = 0;
            int o = t * p;
            for (int j = 0; j < nz; j++) {
              int q = nonzero[j];
              s += g[q] * v[o + q];
            }
            out[i * c + t] = s;
          }
        });
    return out;
  }

  /** {@code ||g − (H + λI)x|| / ||g||} for the first behaviour example's exact solve. */
  private static double residual(
      CurvatureOperator op, double damping, double[] g, double[] v, int p, DenseSoftmax ds) {
    double[] x0 = new double[p];
    for (int q = 0; q < p; q++) {
      x0[ds != null ? ds.modelIndex(q) : q] = v[q];
    }
    double[] hx = op.apply(x0, null);
    double num = 0;
    double den = 0;
    for (int q = 0; q < p; q++) {
      double e = g[q] - hx[q] - damping * x0[q];
      num += e * e;
      den += g[q] * g[q];
    }
    return den == 0 ? 0 : Math.sqrt(num / den);
  }

  /** {@code H + λI} column by column from products with unit vectors. */
  static double[] explicitHessian(CurvatureOperator op, double damping) {
    int p = op.dimension();
    double[] h = new double[p * p];
    double[] e = new double[p];
    double[] col = new double[p];
    for (int j = 0; j < p; j++) {
      e[j] = 1;
      op.apply(e, col);
      e[j] = 0;
      for (int i = 0; i < p; i++) {
        h[i * p + j] = col[i];
      }
    }
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < i; j++) {
        double s = (h[i * p + j] + h[j * p + i]) / 2;
        h[i * p + j] = s;
        h[j * p + i] = s;
      }
      h[i * p + i] += damping;
    }
    return h;
  }
}
