package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.Dataset;

/**
 * {@code confident-learning}: label issues by confident learning (Northcutt, Jiang & Chuang, JAIR
 * 2021) on 5-fold cross-validated logistic-regression probabilities; see {@link ConfidentLearning}
 * for the formulas. Score: the margin {@code max_{j≠ỹ} p̂_j − p̂_ỹ}.
 *
 * <p>Flags: the examples pruned by noise rate whose out-of-sample loss {@code −ln p̂_ỹ} is also
 * above the robust fence of {@link CvLossDetector}. Prune by noise rate alone counts the
 * classifier's own confusions of similar classes as label noise: with 5-fold logistic regression on
 * Fashion-MNIST with 20 % uniform flips the calibrated joint estimates 28 % noise, so at most about
 * 0.71 of its flags can be right (cleanlab 2.9 measures 0.718 on the same setting). An example the
 * model merely finds ambiguous has a moderate loss; a flipped one an extreme loss, so requiring
 * both keeps the joint's per-class counts as an upper bound and removes the ambiguous cases. The
 * unfiltered count is reported in the details as {@code pruned_by_noise_rate}.
 */
final class ConfidentLearningDetector implements Detector {
  static final String NAME = "confident-learning";

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
    int m = p.classes();
    double[] t = ConfidentLearning.thresholds(p.proba(), p.labels(), m);
    int[] confident = ConfidentLearning.confidentClasses(p.proba(), p.size(), m, t);
    long[][] joint = ConfidentLearning.confidentJoint(p.labels(), confident, m);
    double[][] q = ConfidentLearning.calibratedJoint(joint, p.labels());
    boolean[] pruned = ConfidentLearning.pruneByNoiseRate(p.proba(), p.labels(), m, q);
    double[] scores = ConfidentLearning.margins(p.proba(), p.labels(), m);
    double[] loss = CvLossDetector.losses(p);
    double fence = CvLossDetector.threshold(loss);
    boolean[] flagged = new boolean[pruned.length];
    for (int i = 0; i < flagged.length; i++) {
      flagged[i] = pruned[i] && loss[i] > fence;
    }

    double noise = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        noise += i == j ? 0 : q[i][j];
      }
    }
    List<List<Long>> c = new ArrayList<>();
    for (long[] row : joint) {
      List<Long> r = new ArrayList<>();
      for (long v : row) {
        r.add(v);
      }
      c.add(r);
    }
    DetectionDetails details =
        new DetectionDetails.ConfidentLearning(
            train.labels(),
            Filtering.list(t),
            c,
            noise,
            OutOfSample.FOLDS,
            Filtering.count(pruned),
            fence,
            Filtering.count(flagged));
    return new Detection(NAME, scores, flagged, details, Filtering.candidatesOnly(NAME));
  }
}
