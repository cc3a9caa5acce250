package org.poisonlab.bench;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.deep.DeepRuntime;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * How fast do the deep families train, and how fast are their per-example last-layer gradients?
 * Trains {@code cnn} on Fashion-MNIST or {@code textcnn} or {@code transformer} on SpamAssassin
 * (the pinned train split, cached under {@link PinnedDatasets#home()}) with Adam and the given
 * settings, then measures test accuracy; for {@code cnn} it also times the per-example gradients of
 * the last layer (10 × width weights and 10 biases) of every training image through {@code
 * forEachGradient}, penultimate features included. The side-by-side peer is {@code
 * bench/scripts/deep_torch_peer.py}, compared by {@code bench/scripts/deep-vs-pytorch.sh}.
 *
 * <p>{@code train_seconds} covers {@code Trainers.train} only (for the text models that includes
 * learning the vocabulary); data loading, JVM start and loading PyTorch's native library (reported
 * as {@code engine_load_seconds}, the counterpart of the peer's {@code import torch}) come before
 * the clock starts. Epoch losses go to standard error; standard output is one JSON line.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.DeepTrainingRun cnn|textcnn|transformer EPOCHS BATCH LR WIDTHS SEED [LIMIT]
 * java ... org.poisonlab.bench.DeepTrainingRun cnn 2 128 1e-3 32,64,128 0
 * java ... org.poisonlab.bench.DeepTrainingRun textcnn 4 32 2e-3 64,128 0 1000
 * java ... org.poisonlab.bench.DeepTrainingRun export DIR
 * </pre>
 *
 * <p>{@code WIDTHS}: {@code c1,c2,dense} for {@code cnn}, {@code embedding,filters} for {@code
 * textcnn}, {@code width,ffn} for {@code transformer}. {@code LIMIT} (optional, 0 for all) keeps
 * LIMIT training examples, at positions {@code floor(i · n / LIMIT)} (SpamAssassin lists ham before
 * spam), for smoke tests; the test split is always whole. {@code export DIR} writes SpamAssassin's
 * splits as {@code DIR/train.jsonl} and {@code DIR/test.jsonl} (Example JSONL, fields {@code text}
 * and {@code label}) for the peer, and exits.
 */
public final class DeepTrainingRun {
  private DeepTrainingRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("export")) {
      Path dir = Path.of(args[1]);
      Files.createDirectories(dir);
      for (String split : new String[] {"train", "test"}) {
        PinnedDatasets.export("spamassassin", split, dir.resolve(split + ".jsonl"));
      }
      return;
    }
    if (args.length < 6 || !List.of("cnn", "textcnn", "transformer").contains(args[0])) {
      System.err.println(
          "usage: DeepTrainingRun cnn|textcnn|transformer EPOCHS BATCH LR WIDTHS SEED [LIMIT]"
              + " | DeepTrainingRun export DIR");
      System.exit(2);
    }
    String model = args[0];
    int epochs = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    double lr = Double.parseDouble(args[3]);
    int[] widths = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
    long seed = Long.parseLong(args[5]);
    int limit = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    boolean image = model.equals("cnn");

    String data = image ? "fashion-mnist" : "spamassassin";
    Path home = PinnedDatasets.home();
    Dataset train = PinnedDatasets.load(data, "train", home, null);
    Dataset test = PinnedDatasets.load(data, "test", home, null);
    if (limit > 0 && limit < train.size()) {
      // evenly spaced positions: SpamAssassin's split lists ham before spam
      int n = train.size();
      int[] spread = new int[limit];
      Arrays.setAll(spread, i -> (int) ((long) i * n / limit));
      train = train.subset(spread);
    }

    // PyTorch's native library loads on first use: load it before the clock, as the peer imports
    long e0 = System.nanoTime();
    DeepRuntime.configure();
    try (NDManager nd = NDManager.newBaseManager()) {
      nd.create(new float[] {1f, 2f}).add(1f).toFloatArray();
    }
    double engineLoad = (System.nanoTime() - e0) / 1e9;

    TrainConfig c =
        new TrainConfig(
            model, "adam", widths, epochs, batch, lr, 0, 100, TrainConfig.DEFAULT_TEXT_BUCKETS, 0);
    long t0 = System.nanoTime();
    DifferentiableClassifier m =
        Trainers.train(train, c, seed, null, msg -> System.err.println("  poisonlab " + msg));
    double trainSeconds = (System.nanoTime() - t0) / 1e9;

    long p0 = System.nanoTime();
    int[] pred = m.predict(test.examples());
    int correct = 0;
    for (int i = 0; i < pred.length; i++) {
      if (m.labels().get(pred[i]).equals(test.get(i).label())) {
        correct++;
      }
    }
    double predictSeconds = (System.nanoTime() - p0) / 1e9;

    StringBuilder json = new StringBuilder();
    json.append(String.format(Locale.ROOT, "{\"side\": \"poisonlab\", \"model\": \"%s\"", model));
    json.append(
        String.format(
            Locale.ROOT,
            ", \"n_train\": %d, \"n_test\": %d, \"epochs\": %d, \"batch\": %d, \"lr\": %s,"
                + " \"widths\": \"%s\", \"seed\": %d",
            train.size(),
            test.size(),
            epochs,
            batch,
            args[3],
            args[4],
            seed));
    json.append(String.format(Locale.ROOT, ", \"engine_load_seconds\": %.3f", engineLoad));
    json.append(String.format(Locale.ROOT, ", \"train_seconds\": %.3f", trainSeconds));
    json.append(
        String.format(
            Locale.ROOT,
            ", \"examples_per_second\": %.1f",
            epochs * (double) train.size() / trainSeconds));
    json.append(
        String.format(Locale.ROOT, ", \"test_accuracy\": %.4f", correct / (double) pred.length));
    json.append(String.format(Locale.ROOT, ", \"predict_seconds\": %.3f", predictSeconds));

    if (image) {
      int[] y = m.labelIndices(train.examples());
      double[] sink = new double[1];
      long g0 = System.nanoTime();
      m.forEachGradient(
          train.examples(),
          y,
          (g, i) -> {
            // one entry per example, a different one each time: cheap, and nothing is dead code
            sink[0] += g[i % g.length];
          });
      double gradSeconds = (System.nanoTime() - g0) / 1e9;
      json.append(
          String.format(
              Locale.ROOT,
              ", \"per_example_gradient_seconds\": %.3f, \"gradient_parameters\": %d,"
                  + " \"gradient_checksum\": %.6g",
              gradSeconds,
              m.parameterCount(),
              sink[0]));
    }
    json.append('}');
    System.out.println(json);
  }
}
