package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.Cholesky;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Actual leave-one-out changes for logistic regression on images, the ground truth of Koh and
 * Liang's Figure 2: each removal is re-optimised from the full optimum by Newton-type steps {@code
 * θ ← θ − H⁻¹ ∇f₋ᵢ(θ)}, with {@code H} the Hessian on the full set (a fixed preconditioner that is
 * within O(1/n) of the leave-one-out Hessian, so the error shrinks by about that factor per step).
 */
final class LeaveOneOut {
  private final DifferentiableClassifier model;
  private final List<Example> train;
  private final int[] y;
  private final DenseSoftmax ds;
  private final Cholesky factor;
  int lastSteps;

  /**
   * Newton's method {@code θ ← θ − (H(θ) + 1e-10·I)⁻¹ ∇f(θ)} on the whole training set, the Hessian
   * rebuilt at every step: from an L-BFGS solution it converges quadratically.
   */
  static DifferentiableClassifier polish(
      DifferentiableClassifier model, List<Example> train, double tolerance, int steps) {
    DifferentiableClassifier m = model;
    for (int s = 0; s < steps; s++) {
      LeaveOneOut here = new LeaveOneOut(m, train);
      DifferentiableClassifier next = here.refit(new int[0], tolerance, 2);
      if (here.lastSteps == 0) {
        return next;
      }
      m = next;
    }
    return m;
  }

  /** Builds and factors the full-set Hessian (plus a tiny damping for the softmax null space). */
  LeaveOneOut(DifferentiableClassifier model, List<Example> train) {
    this.model = model;
    this.train = train;
    this.y = model.labelIndices(train);
    this.ds = DenseSoftmax.of(model, train);
    int p = ds.parameters();
    this.factor = Cholesky.factorInPlace(ds.hessian(model.l2(), 1e-10, 0), p, 0);
    if (!factor.positiveDefinite()) {
      throw new IllegalStateException("the full-set Hessian is not positive definite");
    }
  }

  /**
   * Minimises the objective on {@code train} without the positions in {@code removed}, from the
   * model's parameters, until the largest gradient entry is below {@code tolerance} or {@code
   * steps} steps are done.
   */
  DifferentiableClassifier refit(int[] removed, double tolerance, int steps) {
    List<Example> sub = new ArrayList<>(train);
    int[] ys = y.clone();
    java.util.Arrays.sort(removed);
    for (int r = removed.length - 1; r >= 0; r--) {
      sub.remove(removed[r]);
    }
    int[] ysub = model.labelIndices(sub);
    double[] theta = model.parameters();
    int p = theta.length;
    double[] g = new double[p];
    DifferentiableClassifier m = model;
    double keep = sub.size() / (double) train.size();
    double l2 = model.l2();
    lastSteps = 0;
    for (int s = 0; s < steps; s++) {
      // sum form: (1/n) Σ_{j≠i} L_j + l2/2 ||W||², the objective influence functions linearise
      m.objective(sub, ysub, g);
      for (int q = 0; q < p; q++) {
        double pen = model.isWeight(q) ? l2 * theta[q] : 0;
        g[q] = keep * (g[q] - pen) + pen;
      }
      lastSteps = s;
      double worst = 0;
      for (double v : g) {
        worst = Math.max(worst, Math.abs(v));
      }
      if (worst < tolerance) {
        break;
      }
      double[] step = ds.toModel(factor.solve(ds.toAugmented(g), 1, null));
      for (int q = 0; q < p; q++) {
        theta[q] -= step[q];
      }
      m = model.withParameters(theta);
    }
    return m;
  }
}
