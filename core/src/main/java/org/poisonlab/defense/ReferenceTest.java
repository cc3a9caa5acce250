package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;

/**
 * The test a representation detector's outlier scores get against a clean reference: in each class,
 * {@code k} training examples score above every reference example of the class; if the {@code n}
 * training and {@code m} reference scores are exchangeable (no poison), the chance of that is
 * {@code P(K ≥ k) = Π_{i<k} (n − i) / (n + m − i)}. The smallest over the tested classes, times
 * their number (Bonferroni), is the finding's p-value; when it holds at {@value #ALPHA} and {@code
 * k} is at least {@value #MIN_COUNT}, those {@code k} examples are the detector's flags. The
 * training examples were seen by the model and the reference's were not, so they are not quite
 * exchangeable: on a clean subset of 6,000 Fashion-MNIST images, 8 held-out examples of one class
 * scored above its reference at p = 0.007. The least count keeps such a shift from reading as a
 * poisoned group. An accumulator: {@link #add} per class, then {@link #detection}.
 */
final class ReferenceTest {
  /** Level of the calibrated test, before the scan's FDR control. */
  static final double ALPHA = 0.01;

  /** Least reference examples of a class for it to be tested. */
  static final int MIN_REFERENCE = 20;

  /** Least examples above the reference for a finding to hold. */
  static final int MIN_COUNT = 20;

  private int tested;
  private double bestLogP;
  private String bestLabel;
  private List<Integer> bestPositions = List.of();

  /**
   * Tests one class.
   *
   * @param trainScores the class's training scores, in block order; not modified
   * @param referenceScores the reference's scores of the same class; not modified
   */
  void add(Representations.ClassBlock b, double[] trainScores, double[] referenceScores) {
    double max = Double.NEGATIVE_INFINITY;
    for (double t : referenceScores) {
      max = Math.max(max, t);
    }
    List<Integer> above = new ArrayList<>();
    for (int i = 0; i < trainScores.length; i++) {
      if (trainScores[i] > max) {
        above.add(b.positions()[i]);
      }
    }
    tested++;
    double logP = topAllFromTrain(above.size(), trainScores.length, referenceScores.length);
    if (bestLabel == null || logP < bestLogP) {
      bestLogP = logP;
      bestLabel = b.label();
      bestPositions = above;
    }
  }

  /**
   * The detector's result: without a tested class, {@code flagged} and no finding; otherwise the
   * finding, and when it holds the flags of the class it names instead of {@code flagged}.
   */
  Detection detection(String name, double[] scores, boolean[] flagged, DetectionDetails details) {
    if (tested == 0) {
      return new Detection(name, scores, flagged, details);
    }
    double p = Math.min(1, tested * Math.exp(bestLogP));
    int count = bestPositions.size();
    boolean holds = p <= ALPHA && count >= MIN_COUNT;
    Finding finding =
        Finding.tested(
            name,
            Finding.TRIGGER,
            holds,
            p,
            count,
            "training examples of one class scoring above every clean reference example of that"
                + " class (under exchangeability, P(K >= k) = prod_{i<k} (n-i)/(n+m-i)), smallest"
                + " over "
                + tested
                + " classes, Bonferroni",
            count,
            "a group of " + count + " examples outlying in the representation",
            bestLabel);
    boolean[] out = flagged;
    if (holds) {
      out = new boolean[flagged.length];
      for (int i : bestPositions) {
        out[i] = true;
      }
    }
    return new Detection(name, scores, out, details, finding);
  }

  /**
   * {@code ln P(K ≥ k)} where K counts the training examples (of n) above every reference example
   * (of m), all n + m exchangeable: the k largest of the pooled values all come from the training
   * side, {@code Π_{i<k} (n − i) / (n + m − i)}.
   */
  static double topAllFromTrain(int k, int n, int m) {
    double log = 0;
    for (int i = 0; i < k; i++) {
      log += Math.log((double) (n - i) / (n + m - i));
    }
    return log;
  }
}
