package org.poisonlab.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * The Java side of the side-by-side comparisons with scikit-learn in {@code
 * bench/scripts/confident-learning-vs-sklearn.sh}. Three modes, all on the pinned Fashion-MNIST
 * training split:
 *
 * <ul>
 *   <li>{@code flips FILE [RATE SEED]}: flips RATE (default 0.2) of the labels uniformly (seed
 *       SEED, default 0) and writes one line per image, in dataset order: the given (possibly
 *       flipped) label and 1 when it was flipped, else 0. The peer reads the same labels.
 *   <li>{@code confident-learning [RATE SEED]}: the same flips, then the {@code confident-learning}
 *       detector (5-fold out-of-sample probabilities + the filter); prints one JSON line with
 *       precision, recall and the scan time. The script times the whole process.
 *   <li>{@code representations DIR [SEED]}: plants the 4×4 patch backdoor at 1 % (target 0), trains
 *       the default MLP, writes its penultimate features ({@code features.f32}: float32
 *       little-endian, n × d), {@code labels.txt} (given label, poison flag) and {@code shape.txt}
 *       (n d); then times {@code spectral} and {@code activation-clustering} (3 runs each, the
 *       median; each scan includes the forward pass that computes the features) and prints one JSON
 *       line per detector.
 * </ul>
 */
public final class PeerComparisonRun {
  private PeerComparisonRun() {}

  public static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "flips" ->
          flips(
              Path.of(args[1]),
              args.length > 2 ? Double.parseDouble(args[2]) : 0.2,
              args.length > 3 ? Long.parseLong(args[3]) : 0);
      case "confident-learning" ->
          confidentLearning(
              args.length > 1 ? Double.parseDouble(args[1]) : 0.2,
              args.length > 2 ? Long.parseLong(args[2]) : 0);
      case "representations" ->
          representations(Path.of(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 0);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static Dataset train() {
    return PinnedDatasets.load("fashion-mnist", "train", PinnedDatasets.home(), null);
  }

  private static boolean[] truth(PoisonResult r) {
    Set<String> ids = new HashSet<>(r.ids());
    boolean[] t = new boolean[r.poisoned().size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = ids.contains(r.poisoned().get(i).id());
    }
    return t;
  }

  private static PoisonResult flip(double rate, long seed) {
    return Attacks.labelFlip(new Budget.Rate(rate), FlipMode.uniform()).apply(train(), seed);
  }

  private static void flips(Path out, double rate, long seed) throws IOException {
    PoisonResult r = flip(rate, seed);
    boolean[] t = truth(r);
    StringBuilder sb = new StringBuilder(t.length * 4);
    for (int i = 0; i < t.length; i++) {
      sb.append(r.poisoned().get(i).label()).append(' ').append(t[i] ? 1 : 0).append('\n');
    }
    Files.writeString(out, sb, StandardCharsets.UTF_8);
  }

  private static void confidentLearning(double rate, long seed) {
    PoisonResult r = flip(rate, seed);
    boolean[] t = truth(r);
    long t0 = System.nanoTime();
    Detection d =
        Detectors.byName("confident-learning")
            .scan(r.poisoned(), new ScanContext(seed, null, null));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "{\"flagged\": %d, \"precision\": %.4f, \"recall\": %.4f, \"scan_s\": %.2f}%n",
        RepresentationDetectorsRun.flags(d.flagged()),
        RepresentationDetectorsRun.precision(d.flagged(), t),
        recall(d.flagged(), t),
        secs);
  }

  private static double recall(boolean[] flagged, boolean[] truth) {
    int count = 0;
    for (boolean b : truth) {
      count += b ? 1 : 0;
    }
    return RepresentationDetectorsRun.recallAt(flagged, truth, count);
  }

  private static void representations(Path dir, long seed) throws IOException {
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofRate(0.01), Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE), "0")
            .apply(train(), seed);
    Dataset data = r.poisoned();
    boolean[] poison = truth(r);
    int count = 0;
    for (boolean b : poison) {
      count += b ? 1 : 0;
    }
    DifferentiableClassifier model =
        Trainers.train(data, TrainConfig.defaults("mlp", data.kind()), seed, null, null);
    double[] features = model.penultimate(data.examples());
    int n = data.size();
    int d = model.penultimateDimension();
    Files.createDirectories(dir);
    ByteBuffer buf = ByteBuffer.allocate(4 * features.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : features) {
      buf.putFloat((float) v);
    }
    Files.write(dir.resolve("features.f32"), buf.array());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(data.get(i).label()).append(' ').append(poison[i] ? 1 : 0).append('\n');
    }
    Files.writeString(dir.resolve("labels.txt"), sb);
    Files.writeString(dir.resolve("shape.txt"), n + " " + d + "\n");
    for (String name : List.of("spectral", "activation-clustering")) {
      double[] secs = new double[3];
      Detection det = null;
      for (int run = 0; run < secs.length; run++) {
        long t0 = System.nanoTime();
        det = Detectors.byName(name).scan(data, new ScanContext(seed, model, null));
        secs[run] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(secs);
      System.out.printf(
          "{\"detector\": \"%s\", \"median_s\": %.3f, \"runs_s\": [%.3f, %.3f, %.3f],"
              + " \"recall_at_1.5x\": %.4f, \"flagged\": %d, \"precision\": %.4f,"
              + " \"recall\": %.4f}%n",
          name,
          secs[1],
          secs[0],
          secs[1],
          secs[2],
          RepresentationDetectorsRun.recallAt(
              det.scores(), poison, (int) Math.round(1.5 * count), count),
          RepresentationDetectorsRun.flags(det.flagged()),
          RepresentationDetectorsRun.precision(det.flagged(), poison),
          RepresentationDetectorsRun.recallAt(det.flagged(), poison, count));
    }
  }
}
