package org.poisonlab.defense;

import java.util.Arrays;
import org.poisonlab.data.Dataset;

/**
 * {@code cv-loss}: the out-of-sample cross-entropy {@code −ln p̂_ỹ(x)} of each example's given
 * label, with {@code p̂} from 5-fold cross-validated logistic regression (shared with {@link
 * ConfidentLearningDetector}). A mislabelled example is one the model, never having seen it, finds
 * improbable — the small-loss criterion of co-teaching (Han et al., NeurIPS 2018) turned into a
 * filter.
 *
 * <p>Flags: losses above {@code max(median + 3 · 1.4826 · MAD, ln 2)}. The first term is the usual
 * robust outlier fence (MAD scaled to a normal standard deviation); the floor {@code ln 2} (the
 * given label has probability below 1/2) keeps a near-perfect model, whose MAD is almost zero, from
 * flagging confidently correct examples.
 */
final class CvLossDetector implements Detector {
  static final String NAME = "cv-loss";
  static final double FENCE = 3;
  static final double FLOOR = Math.log(2);
  private static final double MIN_P = 1e-12;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(Dataset train) {
    return Filtering.canCrossValidate(train);
  }

  @Override
  public Shared shared(Dataset train, ScanContext context) {
    return OutOfSample.shared(train, context);
  }

  @Override
  public Detection scan(Dataset train, ScanContext context) {
    OutOfSample.Probabilities p = OutOfSample.of(train, context);
    int n = p.size();
    double[] loss = losses(p);
    double threshold = threshold(loss);
    boolean[] flagged = new boolean[n];
    for (int i = 0; i < n; i++) {
      flagged[i] = loss[i] > threshold;
    }
    Finding finding = Filtering.candidatesOnly(NAME);
    if (p.referenceSize() > 0) {
      finding = excessErrors(p, train.size());
      if (finding.significant()) {
        // the estimated excess of mislabelled examples, most improbable first, among the fenced
        boolean[] top = new boolean[n];
        int kept = 0;
        for (int i : org.poisonlab.eval.Rankings.descending(loss)) {
          if (kept == finding.flagged() || !flagged[i]) {
            break;
          }
          top[i] = true;
          kept++;
        }
        flagged = top;
        finding = finding.withFlagged(kept);
      }
    }
    DetectionDetails details =
        new DetectionDetails.CvLoss(
            threshold,
            "loss > max(median + 3 * 1.4826 * MAD, ln 2)",
            OutOfSample.FOLDS,
            Filtering.count(flagged));
    return new Detection(NAME, loss, flagged, details, finding);
  }

  /** Level of the detector's own test of excess label noise (before the scan's FDR control). */
  static final double ALPHA = 0.01;

  /**
   * The label-noise test against a clean reference: the share {@code e} of training examples whose
   * given label is not the fold model's most probable one, against the same fold models' error
   * share {@code e_ref} on the reference (the natural rate of hard examples and label noise for
   * this data and model). One-sided two-proportion z-test with the pooled share, the reference
   * counted once per example; significant at {@value #ALPHA}. Flags the estimated excess {@code
   * round((e − e_ref) · n)}.
   */
  static Finding excessErrors(OutOfSample.Probabilities p, int n) {
    double e = p.errorRate();
    double ref = p.referenceErrorRate();
    int m = p.referenceSize() / OutOfSample.FOLDS;
    double pooled = (e * n + ref * m) / (n + m);
    double se =
        Math.sqrt(Math.max(1e-300, pooled * (1 - pooled) * (1.0 / n + 1.0 / Math.max(1, m))));
    double z = (e - ref) / se;
    double pValue = org.poisonlab.eval.Significance.normalUpperTail(z);
    int excess = (int) Math.round(Math.max(0, e - ref) * n);
    return Finding.tested(
        NAME,
        Finding.LABEL_NOISE,
        pValue <= ALPHA && excess > 0,
        pValue,
        Math.round(z * 1e4) / 1e4,
        String.format(
            java.util.Locale.ROOT,
            "z of the out-of-fold error share %.4f against the fold models' %.4f on %d clean"
                + " reference examples (one-sided two-proportion test)",
            e,
            ref,
            m),
        excess,
        null,
        null);
  }

  /** {@code −ln p̂_ỹ} of each example (probabilities floored at 1e-12). */
  static double[] losses(OutOfSample.Probabilities p) {
    double[] loss = new double[p.size()];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = -Math.log(Math.max(MIN_P, p.p(i, p.labels()[i])));
    }
    return loss;
  }

  /** {@code max(median + 3 · 1.4826 · MAD, ln 2)} of {@code losses} (not modified). */
  static double threshold(double[] losses) {
    double med = median(losses.clone());
    double[] dev = new double[losses.length];
    for (int i = 0; i < dev.length; i++) {
      dev[i] = Math.abs(losses[i] - med);
    }
    double mad = median(dev);
    return Math.max(med + FENCE * 1.4826 * mad, FLOOR);
  }

  /** Median; sorts {@code v} (modified). */
  private static double median(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
