package org.poisonlab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.ModelFiles;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

class ModelFilesTest {
  @TempDir Path dir;

  private static DifferentiableClassifier mlp() {
    Dataset d = Fixtures.bars(80, 8, 4, 1);
    return Trainers.train(
        d,
        new TrainConfig("mlp", "adam", new int[] {16, 8}, 2, 16, 1e-2, 1e-4, 10, 64, 1),
        5,
        null,
        null);
  }

  @Test
  void roundTripKeepsParametersPredictionsAndProvenance() {
    DifferentiableClassifier m = mlp();
    Path f = dir.resolve("sub/model.plm");
    ModelFiles.save(m, f);
    DifferentiableClassifier back = ModelFiles.load(f);
    assertArrayEquals(m.parameters(), back.parameters(), 0.0);
    Dataset test = Fixtures.bars(40, 8, 4, 2);
    assertArrayEquals(m.predictProba(test.examples()), back.predictProba(test.examples()), 0.0);
    assertEquals(m.provenance(), back.provenance());
    assertEquals(m.labels(), back.labels());
    assertEquals(m.kind(), back.kind());
    assertEquals(m.l2(), back.l2());

    Dataset mails = Fixtures.mails(30, 3);
    DifferentiableClassifier text =
        Trainers.train(mails, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0, null, null);
    DifferentiableClassifier tuned =
        Trainers.train(mails, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 1, text, null);
    ModelFiles.save(tuned, f);
    DifferentiableClassifier tunedBack = ModelFiles.load(f);
    assertArrayEquals(
        tuned.predictProba(mails.examples()), tunedBack.predictProba(mails.examples()), 0.0);
    assertEquals(tuned.provenance(), tunedBack.provenance());
    assertEquals(text.provenance(), tunedBack.provenance().init().get(0));
  }

  @Test
  void truncatedFileIsBadInput() throws IOException {
    Path f = dir.resolve("model.plm");
    ModelFiles.save(mlp(), f);
    byte[] all = Files.readAllBytes(f);
    for (int cut : new int[] {0, 5, 12, 40, all.length / 2, all.length - 1}) {
      Path t = dir.resolve("cut" + cut + ".plm");
      Files.write(t, Arrays.copyOf(all, cut));
      BadInputException e =
          assertThrows(BadInputException.class, () -> ModelFiles.load(t), "cut at " + cut);
      assertEquals(t, e.file());
      assertEquals(0, e.line());
    }
  }

  @Test
  void foreignOrCorruptFileIsBadInput() throws IOException {
    Path foreign = dir.resolve("notes.txt");
    Files.writeString(foreign, "these are not the weights you are looking for");
    BadInputException e = assertThrows(BadInputException.class, () -> ModelFiles.load(foreign));
    assertTrue(e.getMessage().contains("not a PoisonLab model"), e.getMessage());

    Path f = dir.resolve("model.plm");
    ModelFiles.save(mlp(), f);
    byte[] all = Files.readAllBytes(f);
    all[all.length - 100] ^= 1;
    Files.write(f, all);
    e = assertThrows(BadInputException.class, () -> ModelFiles.load(f));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());

    assertThrows(BadInputException.class, () -> ModelFiles.load(dir.resolve("missing.plm")));
  }
}
