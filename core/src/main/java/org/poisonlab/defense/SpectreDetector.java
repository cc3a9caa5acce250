package org.poisonlab.defense;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.linalg.Spectra;
import org.poisonlab.linalg.Vectors;

/**
 * Spectral scores after robust whitening, after SPECTRE (Hayase, Kong, Somani &amp; Oh, "SPECTRE:
 * Defending Against Backdoor Attacks Using Robust Statistics", ICML 2021). Plain spectral
 * signatures look for the direction of largest variance, which on real representations is usually
 * clean intra-class variation; whitening by a covariance estimated without the poisons turns the
 * poison shift into the one direction with excess variance.
 *
 * <p>For each class (by given label):
 *
 * <ol>
 *   <li>Reduce the centred representations to {@code k ≤ }{@value #DIMENSIONS} dimensions by PCA
 *       (power iteration with deflation).
 *   <li>Robust mean {@code μ} and covariance {@code Σ}: a trimmed estimate by concentration steps
 *       (the C-steps of FAST-MCD, Rousseeuw &amp; Van Driessen 1999): keep the {@code h = n_c −
 *       ceil(}{@value #TRIM}{@code · n_c)} points of least Mahalanobis distance, re-estimate,
 *       repeat until the subset is stable. Two starts, all points and all but the top {@code 1.5 ·
 *       ε · n_c} plain spectral scores; the estimate with the smaller {@code log det Σ} wins.
 *   <li>Whiten: {@code w_i = Σ^{-1/2} (y_i − μ)} (eigenvalues floored at {@code 1e-9 · λ_max}).
 *   <li>QUantum Entropy score (Dong, Hopkins &amp; Li, NeurIPS 2019, as used by SPECTRE): with
 *       {@code S = (1/n_c) Σ w_i w_iᵀ} and {@code Q = exp(α (S − I)) / tr exp(α (S − I))}, {@code
 *       τ_i = w_iᵀ Q w_i}, {@code α = }{@value #ALPHA}. Large {@code α} tends to the spectral score
 *       in whitened space; {@code α → 0} to the Mahalanobis distance.
 * </ol>
 *
 * <p>Unlike SPECTRE, ε is given (not estimated) and the robust estimate is a trimmed one rather
 * than the filter of Diakonikolas et al. Scores are divided by the class median (as {@code
 * spectral}); the top {@code ceil(1.5 · ε · n_c)} of each class are flagged.
 */
final class SpectreDetector extends RepresentationDetector {
  static final String NAME = "spectre";
  // 16 beat 8, 12, 24, 32 and 64 on the Fashion-MNIST patch backdoor (seeds 0 and 1), see
  // docs/methods/representations.md
  static final int DIMENSIONS = 16;
  static final double TRIM = 0.25;
  static final double ALPHA = 4.0;
  static final int MAX_STEPS = 30;

  private final double epsilon;

  SpectreDetector(double epsilon) {
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new IllegalArgumentException("epsilon " + epsilon + " is not in (0, 1)");
    }
    this.epsilon = epsilon;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  Detection detect(
      List<Representations.ClassBlock> blocks,
      List<Representations.ClassBlock> reference,
      int n,
      long seed) {
    double[] scores = new double[n];
    boolean[] flagged = new boolean[n];
    ReferenceTest test = new ReferenceTest();
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, DetectionDetails.SpectreClass> perClass = new LinkedHashMap<>();
    for (Representations.ClassBlock b : blocks) {
      SplittableRandom r = random.split();
      int nc = b.size();
      int d = b.dim();
      if (nc < 4) {
        continue;
      }
      double[] z = Spectra.centred(b.rows(), nc, d, Spectra.mean(b.rows(), nc, d));
      double[][] basis =
          Spectra.topEigenvectors(
              Spectra.covariance(z, nc, d), d, Math.min(DIMENSIONS, nc - 1), r, 1e-7, 500);
      if (basis.length == 0) {
        perClass.put(
            b.label(), new DetectionDetails.SpectreClass(nc, 0, null, null, null, null, null));
        continue;
      }
      int k = basis.length;
      double[] y = Spectra.project(z, nc, d, basis);
      int h = nc - (int) Math.ceil(TRIM * nc);
      Estimate all = concentrate(y, nc, k, allRows(nc), h);
      Estimate fromSpectral = concentrate(y, nc, k, spectralStart(y, nc, k), h);
      Estimate est = fromSpectral.logDet() < all.logDet() ? fromSpectral : all;
      double[] w = whiten(y, nc, k, est);
      Spectra.EigenSystem spectrum = whitenedSpectrum(w, nc, k);
      double[] tau = que(w, nc, k, spectrum);
      double excess = spectrum.values()[0] / Math.max(Spectra.median(spectrum.values()), 1e-300);
      Representations.ClassBlock ref = Representations.referenceOf(reference, b.label());
      if (ref != null && ref.size() >= ReferenceTest.MIN_REFERENCE) {
        int m = ref.size();
        double[] zr = Spectra.centred(ref.rows(), m, d, Spectra.mean(b.rows(), nc, d));
        test.add(b, tau, que(whiten(Spectra.project(zr, m, d, basis), m, k, est), m, k, spectrum));
      }
      double med = Spectra.median(tau);
      double scale = med > 0 ? med : 1;
      for (int i = 0; i < nc; i++) {
        scores[b.positions()[i]] = tau[i] / scale;
      }
      perClass.put(
          b.label(),
          new DetectionDetails.SpectreClass(
              nc,
              basis.length,
              Representations.flagTop(b, tau, 1.5 * epsilon, flagged),
              excess,
              est.steps(),
              est == all ? "all" : "spectral-trimmed",
              med));
    }
    DetectionDetails details = new DetectionDetails.Spectre(null, epsilon, ALPHA, TRIM, perClass);
    return test.detection(NAME, scores, flagged, details);
  }

  /** A location and scatter with its whitening map (rows: eigenvectors / sqrt(eigenvalue)). */
  private record Estimate(double[] mean, double[] whitener, double logDet, int steps) {}

  private Estimate concentrate(double[] y, int n, int k, int[] start, int h) {
    int[] subset = start;
    Estimate e = estimate(y, k, subset, 0);
    for (int step = 1; step <= MAX_STEPS; step++) {
      double[] dist = mahalanobis(y, n, k, e);
      int[] next = smallest(dist, h);
      if (Arrays.equals(next, subset)) {
        return e;
      }
      subset = next;
      e = estimate(y, k, subset, step);
    }
    return e;
  }

  private static Estimate estimate(double[] y, int k, int[] rows, int steps) {
    int m = rows.length;
    double[] sub = new double[m * k];
    for (int i = 0; i < m; i++) {
      System.arraycopy(y, rows[i] * k, sub, i * k, k);
    }
    double[] mu = Spectra.mean(sub, m, k);
    Spectra.EigenSystem es =
        Spectra.jacobi(Spectra.covariance(Spectra.centred(sub, m, k, mu), m, k), k);
    double floor = Math.max(1e-9 * es.values()[0], Double.MIN_NORMAL);
    double[] wm = new double[k * k];
    double logDet = 0;
    for (int j = 0; j < k; j++) {
      double lambda = Math.max(es.values()[j], floor);
      logDet += Math.log(lambda);
      double s = 1 / Math.sqrt(lambda);
      for (int t = 0; t < k; t++) {
        wm[j * k + t] = es.vectors()[j * k + t] * s;
      }
    }
    return new Estimate(mu, wm, logDet, steps);
  }

  private static double[] whiten(double[] y, int n, int k, Estimate e) {
    double[] w = new double[n * k];
    double[] c = new double[k];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < k; t++) {
        c[t] = y[i * k + t] - e.mean()[t];
      }
      for (int j = 0; j < k; j++) {
        w[i * k + j] = Vectors.dot(e.whitener(), j * k, c, 0, k);
      }
    }
    return w;
  }

  private static double[] mahalanobis(double[] y, int n, int k, Estimate e) {
    double[] w = whiten(y, n, k, e);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Vectors.dot(w, i * k, w, i * k, k);
    }
    return out;
  }

  /** The eigen-decomposition of {@code S = (1/n) Σ w_i w_iᵀ}. */
  private static Spectra.EigenSystem whitenedSpectrum(double[] w, int n, int k) {
    double[] s = new double[k * k];
    org.poisonlab.linalg.Matrices.multiplyTransA(w, 0, w, 0, k, n, k, s, 0, 0);
    for (int i = 0; i < s.length; i++) {
      s[i] /= n;
    }
    return Spectra.jacobi(s, k);
  }

  private static double[] que(double[] w, int n, int k, Spectra.EigenSystem es) {
    // exp(α(γ_j − 1)), shifted by the largest exponent: the normalisation cancels the shift
    double[] g = new double[k];
    double top = ALPHA * (es.values()[0] - 1);
    double trace = 0;
    for (int j = 0; j < k; j++) {
      g[j] = Math.exp(ALPHA * (es.values()[j] - 1) - top);
      trace += g[j];
    }
    double[] tau = new double[n];
    for (int i = 0; i < n; i++) {
      double t = 0;
      for (int j = 0; j < k; j++) {
        double p = Vectors.dot(es.vectors(), j * k, w, i * k, k);
        t += g[j] * p * p;
      }
      tau[i] = t / trace;
    }
    return tau;
  }

  private int[] spectralStart(double[] y, int n, int k) {
    // y is centred and its axes are the principal directions: axis 0 is the top singular vector
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = y[i * k] * y[i * k];
    }
    return smallest(s, n - (int) Math.ceil(1.5 * epsilon * n));
  }

  private static int[] allRows(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** Indices of the {@code h} smallest values, ascending by index (ties by index). */
  private static int[] smallest(double[] v, int h) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    int[] out = new int[Math.max(1, Math.min(h, v.length))];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    Arrays.sort(out);
    return out;
  }
}
