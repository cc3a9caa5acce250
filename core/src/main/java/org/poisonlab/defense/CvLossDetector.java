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
  public Detection scan(Dataset train, ScanContext context) {
    long start = System.nanoTime();
    OutOfSample.Probabilities p = OutOfSample.of(train, context.seed(), context.progress());
    int n = p.size();
    double[] loss = losses(p);
    double threshold = threshold(loss);
    boolean[] flagged = new boolean[n];
    for (int i = 0; i < n; i++) {
      flagged[i] = loss[i] > threshold;
    }
    DetectionDetails details =
        new DetectionDetails.CvLoss(
            threshold,
            "loss > max(median + 3 * 1.4826 * MAD, ln 2)",
            OutOfSample.FOLDS,
            Filtering.count(flagged),
            (System.nanoTime() - start) / 1e9);
    return new Detection(NAME, loss, flagged, details);
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
