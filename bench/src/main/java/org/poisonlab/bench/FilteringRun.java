package org.poisonlab.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.Detector;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * How well do the filtering detectors find uniform label flips, and does retraining on the pruned
 * set win the accuracy back? Flips {@code rate} of a pinned training set, runs {@code
 * confident-learning}, {@code cv-loss} and {@code knn} (timed), prints precision, recall and F1 of
 * each detector's flags, and the logistic-regression test accuracy trained on the clean, the
 * flipped and the pruned (confident-learning flags removed) sets.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.FilteringRun fashion-mnist 0.2 0
 * </pre>
 */
public final class FilteringRun {
  private FilteringRun() {}

  public static void main(String[] args) {
    String name = args[0];
    double rate = Double.parseDouble(args[1]);
    long seed = Long.parseLong(args[2]);
    Dataset train = PinnedDatasets.load(name, "train", PinnedDatasets.home(), null);
    Dataset test = PinnedDatasets.load(name, "test", PinnedDatasets.home(), null);
    PoisonResult flip =
        Attacks.labelFlip(new Budget.Rate(rate), FlipMode.uniform()).apply(train, seed);
    Dataset flipped = flip.poisoned();
    Set<String> truth = new HashSet<>(flip.ids());
    System.out.printf("%s: %d examples, %d flipped%n", name, flipped.size(), truth.size());

    Detection cl = null;
    for (String d : List.of("confident-learning", "cv-loss", "knn")) {
      Detector detector = Detectors.byName(d);
      long t0 = System.nanoTime();
      Detection det = detector.scan(flipped, new ScanContext(seed, null, null));
      double secs = (System.nanoTime() - t0) / 1e9;
      int tp = 0;
      int fp = 0;
      boolean[] f = det.flagged();
      for (int i = 0; i < f.length; i++) {
        if (f[i]) {
          if (truth.contains(flipped.get(i).id())) {
            tp++;
          } else {
            fp++;
          }
        }
      }
      double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
      double r = (double) tp / truth.size();
      System.out.printf(
          "%-19s flagged %6d  precision %.3f  recall %.3f  F1 %.3f  %.1f s%n",
          d, tp + fp, p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), secs);
      if (d.equals("confident-learning")) {
        cl = det;
      }
    }
    boolean[] f = cl.flagged();
    List<Example> kept = new ArrayList<>();
    for (int i = 0; i < f.length; i++) {
      if (!f[i]) {
        kept.add(flipped.get(i));
      }
    }
    Dataset pruned = flipped.withExamples(kept);
    double clean = accuracy(train, test, seed);
    double noisy = accuracy(flipped, test, seed);
    double after = accuracy(pruned, test, seed);
    System.out.printf(
        "logreg test accuracy: clean %.4f  flipped %.4f  pruned %.4f  (won back %.0f %%)%n",
        clean, noisy, after, 100 * (after - noisy) / (clean - noisy));
  }

  private static double accuracy(Dataset train, Dataset test, long seed) {
    Classifier m =
        Trainers.train(train, TrainConfig.defaults("logreg", train.kind()), seed, null, null);
    int[] pred = m.predict(test.examples());
    int ok = 0;
    for (int i = 0; i < pred.length; i++) {
      if (m.labels().get(pred[i]).equals(test.get(i).label())) {
        ok++;
      }
    }
    return (double) ok / pred.length;
  }
}
