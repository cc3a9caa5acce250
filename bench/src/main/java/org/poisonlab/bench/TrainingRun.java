package org.poisonlab.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.poisonlab.data.Dataset;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * How long does a whole training process take, and how accurate is the result? Loads a real data
 * set, trains with the defaults (or overrides {@code key=value}: optimizer, epochs, batch, lr, l2,
 * iters, hidden, threads), prints load, training and total times and test accuracy.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.TrainingRun fashion /tmp/fmnist logreg [key=value...]
 * java ... org.poisonlab.bench.TrainingRun spam /tmp/dl/x/package/data logreg
 * </pre>
 */
public final class TrainingRun {
  private TrainingRun() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    if (Boolean.getBoolean("poisonlab.earlyWarmUp")) {
      // what a command should do first: compile the kernels while the data loads
      org.poisonlab.linalg.Matrices.warmUp();
    }
    String which = args[0];
    Path dir = Path.of(args[1]);
    String model = args[2];
    Map<String, String> o = new HashMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      o.put(kv[0], kv[1]);
    }
    Dataset train =
        which.equals("fashion") ? ScratchData.fashion(dir, "train") : ScratchData.spam(dir, false);
    Dataset test =
        which.equals("fashion") ? ScratchData.fashion(dir, "t10k") : ScratchData.spam(dir, true);
    long t1 = System.nanoTime();
    TrainConfig c = TrainConfig.defaults(model, train.kind());
    int[] hidden = c.hidden();
    if (o.containsKey("hidden")) {
      String[] hs = o.get("hidden").split(",");
      hidden = new int[hs.length];
      for (int i = 0; i < hs.length; i++) {
        hidden[i] = Integer.parseInt(hs[i]);
      }
    }
    c =
        new TrainConfig(
            model,
            o.getOrDefault("optimizer", c.optimizer()),
            hidden,
            Integer.parseInt(o.getOrDefault("epochs", "" + c.epochs())),
            Integer.parseInt(o.getOrDefault("batch", "" + c.batchSize())),
            Double.parseDouble(o.getOrDefault("lr", "" + c.learningRate())),
            Double.parseDouble(o.getOrDefault("l2", "" + c.l2())),
            Integer.parseInt(o.getOrDefault("iters", "" + c.maxIterations())),
            Integer.parseInt(o.getOrDefault("buckets", "" + c.textBuckets())),
            Integer.parseInt(o.getOrDefault("threads", "" + c.threads())));
    boolean quiet = o.containsKey("quiet");
    for (int r = 1; r < Integer.parseInt(o.getOrDefault("repeat", "1")); r++) {
      long s0 = System.nanoTime();
      Trainers.train(train, c, 0, null, null);
      System.out.printf("  warm-up run %d: %.2f s%n", r, (System.nanoTime() - s0) / 1e9);
      t1 = System.nanoTime();
    }
    Classifier m =
        Trainers.train(
            train,
            c,
            Long.parseLong(o.getOrDefault("seed", "0")),
            null,
            quiet ? null : msg -> System.out.println("  " + msg));
    long t2 = System.nanoTime();
    int[] pred = m.predict(test.examples());
    int correct = 0;
    for (int i = 0; i < pred.length; i++) {
      if (m.labels().get(pred[i]).equals(test.get(i).label())) {
        correct++;
      }
    }
    long t3 = System.nanoTime();
    for (int r = 1; r < Integer.parseInt(o.getOrDefault("repeatPredict", "1")); r++) {
      long s0 = System.nanoTime();
      m.predict(test.examples());
      System.out.printf("  predict again: %.3f s%n", (System.nanoTime() - s0) / 1e9);
    }
    System.out.printf("%s %s: %s%n", which, model, c);
    System.out.printf(
        "train %d, test %d: accuracy %.4f; load %.2f s, train %.2f s, predict %.2f s, in-process %.2f s%n",
        train.size(),
        test.size(),
        correct / (double) pred.length,
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        (t3 - t0) / 1e9);
  }
}
