package org.poisonlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class ModelsTest {
  @TempDir Path dir;

  private static Dataset words(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] spam = {"cash", "offer", "winner", "free"};
    String[] ham = {"meeting", "lunch", "report", "notes"};
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean s = i % 2 == 0;
      String[] v = s ? spam : ham;
      String text = v[r.nextInt(4)] + " " + v[r.nextInt(4)] + " item " + i;
      out.add(Example.ofText(text, s ? "spam" : "ham", "src" + (i % 3)));
    }
    return new Dataset("words", out);
  }

  @Test
  void builtInFamiliesComeFirstThenDiscoveredOnes() {
    assertEquals(List.of("logreg", "mlp", "centroid"), Models.names());
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    BadInputException e = assertThrows(BadInputException.class, () -> Models.byName("forest"));
    assertEquals("unknown model 'forest'; known: logreg, mlp, centroid", e.getMessage());
  }

  @Test
  void registryTrainerEqualsTheNetworkTrainingBitForBit() {
    Dataset d = words(60, 1);
    TrainConfig c = TrainConfig.defaults("mlp", Dataset.Kind.TEXT).withEpochs(2);
    DifferentiableClassifier viaRegistry = Models.trainer(c).train(d, 7, null, null);
    DifferentiableClassifier direct = Trainers.fit(d, c, 7, null, null);
    assertArrayEquals(direct.parameters(), viaRegistry.parameters());
    DifferentiableClassifier tuned = Models.trainer(c).train(words(40, 2), 8, viaRegistry, null);
    DifferentiableClassifier tunedDirect = Trainers.fit(words(40, 2), c, 8, direct, null);
    assertArrayEquals(tunedDirect.parameters(), tuned.parameters());
  }

  @Test
  void eachFamilySavesAndLoadsThroughTheRegistry() {
    Dataset d = words(40, 3);
    for (String name : Models.names()) {
      TrainConfig c = TrainConfig.defaults(name, Dataset.Kind.TEXT);
      DifferentiableClassifier m = Models.trainer(c).train(d, 5, null, null);
      Path file = dir.resolve(name + ".model");
      Models.save(m, file);
      DifferentiableClassifier back = Models.load(file);
      assertEquals(name, back.kind());
      assertArrayEquals(m.parameters(), back.parameters(), name);
      assertArrayEquals(m.predict(d.examples()), back.predict(d.examples()), name);
    }
  }

  @Test
  void aFileOfNoFamilyIsRejectedWithItsName() throws IOException {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "not a model");
    BadInputException e = assertThrows(BadInputException.class, () -> Models.load(file));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
  }

  @Test
  void fineTuningAcrossFamiliesIsRejected() {
    Dataset d = words(40, 4);
    DifferentiableClassifier lr =
        Models.trainer(TrainConfig.defaults("logreg", Dataset.Kind.TEXT)).train(d, 1, null, null);
    TrainConfig mlp = TrainConfig.defaults("mlp", Dataset.Kind.TEXT);
    assertThrows(BadInputException.class, () -> Models.trainer(mlp).train(d, 1, lr, null));
  }

  @Test
  void aMethodNeedingLayersRejectsAnotherModelInOneLine() {
    DifferentiableClassifier other =
        (DifferentiableClassifier)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DifferentiableClassifier.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("kind")) {
                    return "convnet";
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    BadInputException e =
        assertThrows(BadInputException.class, () -> Models.layered(other, "trak"));
    assertEquals("trak needs a layered network; model 'convnet' is not one", e.getMessage());
    DifferentiableClassifier mlp =
        Models.trainer(TrainConfig.defaults("mlp", Dataset.Kind.TEXT))
            .train(words(20, 9), 1, null, null);
    assertEquals(3, Models.layered(mlp, "trak").layerSizes().length);
  }

  /**
   * A family added the way docs/contributing.md says: one class implementing {@link ModelKind},
   * named in {@code META-INF/services/org.poisonlab.model.ModelKind}. It is logistic regression
   * with few L-BFGS steps, stored under its own name: enough to show that training, saving and
   * loading reach it by name alone.
   */
  public static final class CentroidKind implements ModelKind {
    @Override
    public String name() {
      return "centroid";
    }

    @Override
    public String description() {
      return "a test family: a briefly fitted linear model";
    }

    @Override
    public TrainConfig defaults(Dataset.Kind data) {
      return new TrainConfig(name(), "lbfgs", new int[0], 1, 16, 0.1, 1e-3, 5, 1 << 10, 1);
    }

    @Override
    public Trainer trainer(TrainConfig config) {
      TrainConfig linear =
          new TrainConfig(
              "logreg",
              "lbfgs",
              new int[0],
              1,
              16,
              0.1,
              config.l2(),
              config.maxIterations(),
              config.textBuckets(),
              config.threads());
      return new Trainer() {
        @Override
        public String model() {
          return name();
        }

        @Override
        public DifferentiableClassifier train(
            Dataset train, long seed, Classifier init, Consumer<String> progress) {
          Network n = Trainers.fit(train, linear, seed, null, progress);
          return new Network(
              name(),
              n.labels(),
              n.featurizer(),
              org.poisonlab.model.Models.layered(n, "test").layerSizes(),
              n.parameters(),
              n.l2(),
              n.provenance());
        }

        @Override
        public List<Checkpoint> trainWithCheckpoints(
            Dataset train, long seed, Classifier init, Consumer<String> progress) {
          return List.of(new Checkpoint(1, 1.0, train(train, seed, init, progress)));
        }
      };
    }

    @Override
    public void save(Classifier model, Path file) {
      ModelFiles.save(model, file);
    }

    @Override
    public boolean reads(Path file) {
      return name().equals(ModelFiles.kindOf(file));
    }

    @Override
    public DifferentiableClassifier load(Path file) {
      return ModelFiles.load(file);
    }
  }

  @Test
  void trainingOnRowsFeaturizedOnceEqualsTrainingOnTheExamples() {
    Dataset d = words(80, 3);
    int[] part = new int[50];
    for (int i = 0; i < part.length; i++) {
      part[i] = (i * 7) % 80;
    }
    java.util.Arrays.sort(part);
    part = java.util.Arrays.stream(part).distinct().toArray();
    Dataset sub = d.subset(part);
    for (String kind : List.of("logreg", "mlp")) {
      TrainConfig c = TrainConfig.defaults(kind, Dataset.Kind.TEXT).withEpochs(2);
      Trainers.Featurized all = Trainers.featurize(d, c);
      LayeredModel fromRows = Trainers.train(sub, all.rows(part), c, 5, null);
      DifferentiableClassifier fromExamples = Trainers.train(sub, c, 5, null, null);
      assertArrayEquals(fromExamples.parameters(), fromRows.parameters(), kind);
      assertArrayEquals(
          fromExamples.predictProba(d.examples()), fromRows.predictProba(all.rows()), kind);
    }
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Trainers.train(
                    sub,
                    Trainers.featurize(d, TrainConfig.defaults("logreg", Dataset.Kind.TEXT)),
                    TrainConfig.defaults("logreg", Dataset.Kind.TEXT),
                    5,
                    null));
    assertTrue(e.getMessage().contains("80 feature rows for " + part.length), e.getMessage());
  }
}
