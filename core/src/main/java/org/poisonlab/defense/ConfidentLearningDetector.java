package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.Dataset;

/**
 * {@code confident-learning}: label issues by confident learning (Northcutt, Jiang & Chuang, JAIR
 * 2021) on 5-fold cross-validated logistic-regression probabilities; see {@link ConfidentLearning}
 * for the formulas. Score: the margin {@code max_{j≠ỹ} p̂_j − p̂_ỹ}; flags: prune by noise rate.
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
  public Detection scan(Dataset train, ScanContext context) {
    long start = System.nanoTime();
    OutOfSample.Probabilities p = OutOfSample.of(train, context.seed(), context.progress());
    int m = p.classes();
    double[] t = ConfidentLearning.thresholds(p.proba(), p.labels(), m);
    int[] confident = ConfidentLearning.confidentClasses(p.proba(), p.size(), m, t);
    long[][] joint = ConfidentLearning.confidentJoint(p.labels(), confident, m);
    double[][] q = ConfidentLearning.calibratedJoint(joint, p.labels());
    boolean[] flagged = ConfidentLearning.pruneByNoiseRate(p.proba(), p.labels(), m, q);
    double[] scores = ConfidentLearning.margins(p.proba(), p.labels(), m);

    double noise = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        noise += i == j ? 0 : q[i][j];
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("labels", train.labels());
    details.put("thresholds", Filtering.list(t));
    List<List<Long>> c = new ArrayList<>();
    for (long[] row : joint) {
      List<Long> r = new ArrayList<>();
      for (long v : row) {
        r.add(v);
      }
      c.add(r);
    }
    details.put("confident_joint", c);
    details.put("estimated_noise_rate", noise);
    details.put("folds", OutOfSample.FOLDS);
    details.put("flagged", Filtering.count(flagged));
    details.put("seconds", (System.nanoTime() - start) / 1e9);
    return new Detection(NAME, scores, flagged, details);
  }
}
