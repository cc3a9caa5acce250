package org.poisonlab.defense;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.linalg.Spectra;

/**
 * Spectral signatures (Tran, Li &amp; Madry, "Spectral Signatures in Backdoor Attacks", NeurIPS
 * 2018). For each class {@code c} (by given label) with representations {@code r_i}: centre them on
 * the class mean {@code μ}, take the top right singular vector {@code v} of the centred matrix (the
 * top eigenvector of the class covariance, by power iteration from a seeded start), and score
 * {@code s_i = ((r_i − μ) · v)²}. The detector flags the {@code ceil(1.5 · ε · n_c)} highest scores
 * of each class.
 *
 * <p>Representations: the penultimate layer of the model (context's, or trained); for a linear text
 * model, whose penultimate layer is its sparse input, the projected feature contributions of {@code
 * Representations#contributions} (details {@code "representation"}).
 *
 * <p>So that one ranking across classes is meaningful, the reported score is {@code s_i} divided by
 * the class's median {@code s} (1 when that median is 0): "how many times the typical outlyingness
 * of its class". Classes with fewer than 2 examples score 0.
 *
 * <p>With a clean reference (the scan's {@code --reference}), each class is tested as {@link
 * SpectreDetector} tests it: the reference examples are scored on the training class's mean and
 * direction, {@code k} training examples score above every reference example, and {@code P(K ≥ k) =
 * Π_{i<k} (n − i) / (n + m − i)} under exchangeability; the smallest over the classes,
 * Bonferroni-adjusted, is the finding's p-value ({@link ReferenceTest}). When it holds, those
 * {@code k} examples are the flags instead of the fixed share.
 */
final class SpectralSignatureDetector extends RepresentationDetector {
  static final String NAME = "spectral";
  static final double TOL = 1e-10;
  static final int MAX_ITERATIONS = 2000;

  private final double epsilon;

  SpectralSignatureDetector(double epsilon) {
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
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, DetectionDetails.SpectralClass> perClass = new LinkedHashMap<>();
    ReferenceTest test = new ReferenceTest();
    for (Representations.ClassBlock b : blocks) {
      SplittableRandom r = random.split();
      if (b.size() < 2) {
        continue;
      }
      int d = b.dim();
      double[] z = Spectra.centred(b.rows(), b.size(), d, Spectra.mean(b.rows(), b.size(), d));
      Spectra.TopEigen top =
          Spectra.powerIteration(Spectra.covariance(z, b.size(), d), d, r, TOL, MAX_ITERATIONS);
      double[] s = new double[b.size()];
      for (int i = 0; i < b.size(); i++) {
        double p = org.poisonlab.linalg.Vectors.dot(z, i * d, top.vector(), 0, d);
        s[i] = p * p;
      }
      double med = Spectra.median(s);
      double scale = med > 0 ? med : 1;
      for (int i = 0; i < b.size(); i++) {
        scores[b.positions()[i]] = s[i] / scale;
      }
      int k = Representations.flagTop(b, s, 1.5 * epsilon, flagged);
      Representations.ClassBlock ref = Representations.referenceOf(reference, b.label());
      if (ref != null && ref.size() >= ReferenceTest.MIN_REFERENCE && b.size() >= 8) {
        // the direction is fit on one half and tested on the other, so that under no poison the
        // tested half and the reference are exchangeable (a direction fit on the scored rows
        // favours them)
        for (int half = 0; half < 2; half++) {
          Representations.ClassBlock fit = b.half(1 - half);
          Representations.ClassBlock held = b.half(half);
          double[] mu = Spectra.mean(fit.rows(), fit.size(), d);
          Spectra.TopEigen dir =
              Spectra.powerIteration(
                  Spectra.covariance(Spectra.centred(fit.rows(), fit.size(), d, mu), fit.size(), d),
                  d,
                  r,
                  TOL,
                  MAX_ITERATIONS);
          test.add(held, projections(held, mu, dir.vector()), projections(ref, mu, dir.vector()));
        }
      }
      perClass.put(
          b.label(),
          new DetectionDetails.SpectralClass(
              b.size(), k, top.value(), top.iterations(), top.converged(), med));
    }
    DetectionDetails details = new DetectionDetails.SpectralSignature(null, epsilon, perClass);
    return test.detection(NAME, scores, flagged, details);
  }

  /** {@code ((r_i − μ) · v)²} for each row of {@code b}. */
  private static double[] projections(Representations.ClassBlock b, double[] mu, double[] v) {
    int d = b.dim();
    double[] z = Spectra.centred(b.rows(), b.size(), d, mu);
    double[] s = new double[b.size()];
    for (int i = 0; i < s.length; i++) {
      double p = org.poisonlab.linalg.Vectors.dot(z, i * d, v, 0, d);
      s[i] = p * p;
    }
    return s;
  }
}
