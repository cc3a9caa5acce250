package org.poisonlab.attribution;

import java.util.LinkedHashMap;
import java.util.List;
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
    double[][] targets = null;
    if (!self) {
      targets = new double[m][];
      double[][] tg = targets;
      model.forEachGradient(behavior, model.labelIndices(behavior), (g, t) -> tg[t] = g.clone());
    }
    Elapsed.tell(progress, "influence: gradients", t0);

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
      long t3 = System.nanoTime();
      double[] v = new double[m * p];
      if (factor != null) {
        double[] b = new double[p * m];
        for (int t = 0; t < m; t++) {
          double[] g = dense ? ds.toAugmented(targets[t]) : targets[t];
          for (int q = 0; q < p; q++) {
            b[q * m + t] = g[q];
          }
        }
        double[] x = factor.solve(b, m, b);
        for (int t = 0; t < m; t++) {
          for (int q = 0; q < p; q++) {
            v[t * p + q] = x[q * m + t];
          }
        }
      } else {
        double worst = 0;
        int iterations = 0;
        boolean converged = true;
        if (solver.equals("lissa") && scale == 0) {
          scale = 1.5 * InverseHvp.largestEigenvalue(op, damping, 30);
          diag.put("lissa_scale", scale);
        }
        for (int t = 0; t < m; t++) {
          InverseHvp.Solve s =
              solve(op, damping, targets[t], solver, cgTol, cgIter, depth, scale, repeats);
          double[] x = dense ? ds.toAugmented(s.x()) : s.x();
          System.arraycopy(x, 0, v, t * p, p);
          worst = Math.max(worst, s.relativeResidual());
          iterations = Math.max(iterations, s.iterations());
          converged &= s.converged();
        }
        diag.put("max_relative_residual", worst);
        diag.put("max_iterations", iterations);
        diag.put("converged", converged);
      }
      Elapsed.tell(progress, "influence: solve", t3);
      long t4 = System.nanoTime();
      if (dense) {
        scores = ds.scores(y, v, m, threads);
      } else {
        scores = new double[n * m];
        double[] vv = v;
        model.forEachGradient(
            train,
            y,
            (g, i) -> {
              for (int t = 0; t < m; t++) {
                double s = 0;
                for (int q = 0; q < p; q++) {
                  s += g[q] * vv[t * p + q];
                }
                scores[i * m + t] = s;
              }
            });
      }
      Elapsed.tell(progress, "influence: scores", t4);
      if (factor != null && m > 0) {
        CurvatureOperator check = op != null ? op : model.curvature(train, y, false);
        double[] x0 = new double[p];
        for (int q = 0; q < p; q++) {
          x0[dense ? ds.modelIndex(q) : q] = v[q];
        }
        double[] hx = check.apply(x0, null);
        double num = 0;
        double den = 0;
        for (int q = 0; q < p; q++) {
          double e = targets[0][q] - hx[q] - damping * x0[q];
          num += e * e;
          den += targets[0][q] * targets[0][q];
        }
        diag.put("relative_residual_first", den == 0 ? 0 : Math.sqrt(num / den));
      }
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
