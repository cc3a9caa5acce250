package org.poisonlab.attribution;

import java.util.List;
import java.util.function.Consumer;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.Cholesky;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Exact self-influence of multinomial logistic regression on sparse inputs (text) when the training
 * set is small and the parameter count large: the Sherman–Morrison–Woodbury identity (Woodbury,
 * "Inverting modified matrices", 1950; Golub and Van Loan, "Matrix Computations", 4th ed., §2.1.4)
 * moves the solve from the {@code C·(d+1)} parameters to the {@code n·r} directions the data span.
 *
 * <p>With inputs {@code x̃_i = (x_i, 1)}, probabilities {@code p_i}, residual {@code ρ_i = p_i −
 * e_{y_i}}, the objective's Hessian plus damping is {@code H + λI = Λ + U Uᵀ}: {@code Λ = I_C ⊗
 * diag(λ_x)}, {@code λ_x = l2 + λ} on weights and {@code λ} on the bias, and U has the columns
 * {@code (B_i ⊗ x̃_i)/√n} where {@code B_i Bᵢᵀ = diag(p_i) − p_i p_iᵀ} ({@code B_i = √(p_0 p_1) (1,
 * −1)ᵀ}, r = 1, for two classes; {@code B_i = diag(√p_i) − p_i √p_iᵀ}, r = C, otherwise). The
 * gradient is {@code g_i = ρ_i ⊗ x̃_i}. With the kernel {@code K_ij = x̃_iᵀ diag(λ_x)⁻¹ x̃_j}:
 *
 * <pre>
 *   g_iᵀ (Λ + UUᵀ)⁻¹ g_i = |ρ_i|² K_ii − v_iᵀ M⁻¹ v_i,
 *   M = I + [B_iᵀ B_j K_ij / n]_{ij},   v_i = [B_jᵀ ρ_i K_ji / √n]_j .
 * </pre>
 *
 * Here {@code v_iᵀ M⁻¹ v_i = |L⁻¹ v_i|²} with {@code M = L Lᵀ}. Work: the sparse Gram matrix
 * ({@code Σ_i Σ_{j≤i} nnz(x_j)}), a Cholesky factor of M ({@code (nr)³/3}) and a forward
 * substitution with n right-hand sides ({@code (nr)² n}); memory three {@code (nr)·n} matrices at
 * the peak (the kernel, M and V). Nothing is approximated.
 */
final class WoodburyInfluence {
  /** Largest {@code n·r} the solver takes (three such square matrices of doubles, 1.6 GB). */
  static final int LIMIT = 8192;

  private WoodburyInfluence() {}

  /** Columns of {@code B_i}: 1 for two classes, C otherwise. */
  static int rank(DifferentiableClassifier model) {
    int c = model.labels().size();
    return c == 2 ? 1 : c;
  }

  /** Whether the model is logistic regression on sparse inputs and n·r is within {@link #LIMIT}. */
  static boolean applies(DifferentiableClassifier model, List<Example> train) {
    return model instanceof org.poisonlab.model.LayeredModel l
        && l.layerSizes().length == 2
        && !train.isEmpty()
        && (long) train.size() * rank(model) <= LIMIT
        && model.featurizer().transform(train.subList(0, 1)) instanceof CsrMatrix;
  }

  /**
   * Self-influence {@code g_iᵀ (H + λI)⁻¹ g_i} of every training example.
   *
   * @param y class indices of the training labels; not modified
   * @param progress told how long each stage took
   * @throws IllegalArgumentException if the inputs are not sparse or n·r exceeds the limit
   */
  static double[] selfInfluence(
      DifferentiableClassifier model,
      List<Example> train,
      int[] y,
      double damping,
      int threads,
      Consumer<String> progress) {
    int n = train.size();
    int classes = model.labels().size();
    int r = rank(model);
    int nr = n * r;
    if ((long) nr > LIMIT) {
      throw new IllegalArgumentException("n·r = " + (long) n * r + " exceeds " + LIMIT);
    }
    Matrix xm = model.featurizer().transform(train);
    if (!(xm instanceof CsrMatrix x)) {
      throw new IllegalArgumentException("the Woodbury solver needs sparse inputs");
    }
    long t0 = System.nanoTime();
    double[] k = Matrices.gram(x, threads);
    double lw = model.l2() + damping;
    double lb = damping;
    for (int e = 0; e < n * n; e++) {
      k[e] = k[e] / lw + 1 / lb;
    }
    Elapsed.tell(progress, "influence: woodbury kernel", t0);
    double[] probs = model.predictProba(train);
    double[] b = new double[n * classes * r];
    for (int i = 0; i < n; i++) {
      factor(probs, i, classes, r, b, i * classes * r);
    }
    double[] rho = new double[n * classes];
    double[] rho2 = new double[n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < classes; c++) {
        double v = probs[i * classes + c] - (c == y[i] ? 1 : 0);
        rho[i * classes + c] = v;
        rho2[i] += v * v;
      }
    }
    // bρ[j·r + a, i] = (B_jᵀ ρ_i)_a
    double[] diag = new double[n];
    for (int i = 0; i < n; i++) {
      diag[i] = k[i * n + i];
    }
    long t1 = System.nanoTime();
    double[] m = new double[nr * nr];
    double[] btb = new double[r * r];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double kij = k[i * n + j] / n;
        gramOfFactors(b, i, j, classes, r, btb);
        for (int a = 0; a < r; a++) {
          for (int c = 0; c < r; c++) {
            double v = btb[a * r + c] * kij;
            m[(i * r + a) * nr + j * r + c] = v;
            m[(j * r + c) * nr + i * r + a] = v;
          }
        }
      }
    }
    for (int q = 0; q < nr; q++) {
      m[q * nr + q] += 1;
    }
    // V[(j, a), i] = (B_jᵀ ρ_i)_a K_ji / √n, n right-hand sides
    double[] v = new double[nr * n];
    double root = Math.sqrt(n);
    for (int j = 0; j < n; j++) {
      for (int a = 0; a < r; a++) {
        int row = (j * r + a) * n;
        for (int i = 0; i < n; i++) {
          double s = 0;
          for (int c = 0; c < classes; c++) {
            s += b[(j * classes + c) * r + a] * rho[i * classes + c];
          }
          v[row + i] = s * k[j * n + i] / root;
        }
      }
    }
    k = null;
    Elapsed.tell(progress, "influence: woodbury system", t1);
    long t2 = System.nanoTime();
    Cholesky chol = Cholesky.factorInPlace(m, nr, threads);
    if (!chol.positiveDefinite()) {
      throw new IllegalStateException(
          "I + UᵀΛ⁻¹U is not positive definite (column " + chol.failedColumn() + ")");
    }
    Elapsed.tell(progress, "influence: woodbury factor", t2);
    long t3 = System.nanoTime();
    // v_iᵀ M⁻¹ v_i = ||L⁻¹ v_i||², M = L Lᵀ
    chol.forwardSolve(v, n, v);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = rho2[i] * diag[i];
    }
    for (int row = 0; row < nr; row++) {
      int o = row * n;
      for (int i = 0; i < n; i++) {
        out[i] -= v[o + i] * v[o + i];
      }
    }
    Elapsed.tell(progress, "influence: woodbury solve", t3);
    return out;
  }

  /** Writes {@code B_i} (C × r, row-major) at {@code out[off ..]}. */
  static void factor(double[] probs, int i, int classes, int r, double[] out, int off) {
    if (r == 1) {
      double s = Math.sqrt(Math.max(0, probs[i * classes] * probs[i * classes + 1]));
      out[off] = s;
      out[off + 1] = -s;
      return;
    }
    for (int c = 0; c < classes; c++) {
      double pc = probs[i * classes + c];
      for (int a = 0; a < classes; a++) {
        double sa = Math.sqrt(Math.max(0, probs[i * classes + a]));
        out[off + c * r + a] = (c == a ? sa : 0) - pc * sa;
      }
    }
  }

  /** {@code B_iᵀ B_j} (r × r) into {@code out}. */
  private static void gramOfFactors(double[] b, int i, int j, int classes, int r, double[] out) {
    int oi = i * classes * r;
    int oj = j * classes * r;
    for (int a = 0; a < r; a++) {
      for (int c = 0; c < r; c++) {
        double s = 0;
        for (int q = 0; q < classes; q++) {
          s += b[oi + q * r + a] * b[oj + q * r + c];
        }
        out[a * r + c] = s;
      }
    }
  }
}
