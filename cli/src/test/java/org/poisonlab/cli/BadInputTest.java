package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.testkit.Fixtures;

/** Bad input gets one line naming the file (and line), exit code 2, and nothing half-written. */
class BadInputTest {
  @TempDir Path dir;

  private static void assertOneLineError(Cli.Run r, String... fragments) {
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), "expected one line, got: " + err);
    assertFalse(err.contains("Exception"), "no stack trace or exception name: " + err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "expected '" + f + "' in: " + err);
    }
  }

  private Path emails(String name, int n) {
    Path p = dir.resolve(name);
    ExampleJsonl.write(p, Fixtures.textEmails(n, 7));
    return p;
  }

  @Test
  void malformedJsonlLineIsNamedWithFileAndLine() throws IOException {
    Path p = emails("train.jsonl", 5);
    List<String> lines = Files.readAllLines(p);
    lines.set(2, "{\"text\": \"unterminated");
    Files.write(p, lines);
    Path model = dir.resolve("m.model");
    Cli.Run r = Cli.run("train", "--train", p.toString(), "--out", model.toString());
    assertOneLineError(r, "train.jsonl:3:");
    assertFalse(Files.exists(model), "no model written");
  }

  @Test
  void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws IOException {
    Path p = emails("train.jsonl", 60);
    byte[] before = Files.readAllBytes(p);
    Path truth = dir.resolve("t.json");
    String[][] overwriting = {
      // attack's poisoned set, then its truth file, over the data it reads
      {
        "attack",
        "backdoor",
        "--in",
        p.toString(),
        "--out",
        p.toString(),
        "--truth",
        truth.toString(),
        "--count",
        "3",
        "--target",
        "ham"
      },
      {
        "attack",
        "label-flip",
        "--in",
        p.toString(),
        "--out",
        dir.resolve("o.jsonl").toString(),
        "--truth",
        p.toString(),
        "--count",
        "3"
      },
      // a path spelled another way is the same file
      {"scan", "--train", p.toString(), "--out", dir.resolve(".").resolve("train.jsonl").toString()}
    };
    for (String[] args : overwriting) {
      Cli.Run r = Cli.run(args);
      assertOneLineError(r, "train.jsonl", "does not write over its inputs");
      assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(p)), String.join(" ", args));
    }
    // a model fine-tuned into the file it starts from
    Path model = dir.resolve("m.model");
    assertEquals(
        0, Cli.run("train", "--train", p.toString(), "--out", model.toString()).exitCode());
    byte[] modelBefore = Files.readAllBytes(model);
    Cli.Run r =
        Cli.run(
            "train",
            "--train",
            p.toString(),
            "--init",
            model.toString(),
            "--out",
            model.toString());
    assertOneLineError(r, "--init", "m.model");
    assertTrue(java.util.Arrays.equals(modelBefore, Files.readAllBytes(model)));
    // an output of another name is fine
    assertEquals(
        0, Cli.backdoor(p, dir.resolve("p.jsonl"), truth, 3, "--target", "ham").exitCode());
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.jsonl");
    Cli.Run r =
        Cli.run("train", "--train", missing.toString(), "--out", dir.resolve("m").toString());
    assertOneLineError(r, "nope.jsonl");
  }

  @Test
  void unknownTargetLabelIsNamed() {
    Path p = emails("train.jsonl", 30);
    Path out = dir.resolve("p.jsonl");
    Cli.Run r = Cli.backdoor(p, out, dir.resolve("t.json"), 3, "--target", "eggs");
    assertOneLineError(r, "eggs");
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void triggerSpecThatDoesNotParseIsNamed() {
    Path p = dir.resolve("img.jsonl");
    ExampleJsonl.write(p, Fixtures.images(20, 2, 3));
    Cli.Run r =
        Cli.backdoor(
            p,
            dir.resolve("p.jsonl"),
            dir.resolve("t.json"),
            3,
            "--target",
            "0",
            "--trigger",
            "patch:4by4");
    assertOneLineError(r, "patch:4by4");
  }

  @Test
  void hardeningOnImagesIsNamedAndWritesNothing() {
    Path p = dir.resolve("img.jsonl");
    ExampleJsonl.write(p, Fixtures.images(20, 2, 3));
    Path out = dir.resolve("p.jsonl");
    Cli.Run r =
        Cli.run(
            "attack",
            "clean-label",
            "--in",
            p.toString(),
            "--out",
            out.toString(),
            "--truth",
            dir.resolve("t.json").toString(),
            "--count",
            "3",
            "--target",
            "0",
            "--harden",
            "0.3");
    assertOneLineError(r, "harden", "text");
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void faintCarriersOnTextAndUnknownDrawsAreNamedAndWriteNothing() {
    Path p = emails("train.jsonl", 20);
    Path out = dir.resolve("p.jsonl");
    Path truth = dir.resolve("t.json");
    Cli.Run faint = Cli.backdoor(p, out, truth, 3, "--target", "ham", "--carriers", "faint");
    assertOneLineError(faint, "faint", "image");
    assertFalse(Files.exists(out), "nothing written");
    Cli.Run bogus = Cli.backdoor(p, out, truth, 3, "--target", "ham", "--carriers", "hardest");
    assertOneLineError(bogus, "hardest", "uniform, faint");
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void truncatedModelFileIsNamed() throws IOException {
    Path p = emails("train.jsonl", 60);
    Path model = dir.resolve("m.model");
    assertEquals(
        0, Cli.run("train", "--train", p.toString(), "--out", model.toString()).exitCode());
    byte[] bytes = Files.readAllBytes(model);
    Path cut = dir.resolve("cut.model");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Cli.Run r = Cli.run("eval", "--model", cut.toString(), "--test", p.toString());
    assertOneLineError(r, "cut.model");
  }

  @Test
  void unknownAttackKindIsRejected() {
    Path p = emails("train.jsonl", 10);
    Cli.Run r =
        Cli.run(
            "attack",
            "teleport",
            "--in",
            p.toString(),
            "--out",
            dir.resolve("p.jsonl").toString(),
            "--truth",
            dir.resolve("t.json").toString(),
            "--count",
            "1");
    assertOneLineError(r, "teleport");
  }

  @Test
  void missingBudgetIsUsageError() {
    Path p = emails("train.jsonl", 10);
    Cli.Run r =
        Cli.run(
            "attack",
            "label-flip",
            "--in",
            p.toString(),
            "--out",
            dir.resolve("p.jsonl").toString(),
            "--truth",
            dir.resolve("t.json").toString());
    assertEquals(2, r.exitCode());
  }

  @Test
  void malformedRecipeGetsOneLineNamingFileLineAndField() throws IOException {
    Path recipe = dir.resolve("recipe.json");
    Files.writeString(
        recipe,
        "{\n  \"name\": \"x\",\n  \"datasets\": [\"spamassassin\"],\n"
            + "  \"attacks\": [{\"kind\": \"backdoor\", \"target\": \"ham\","
            + " \"budgets\": [{\"rate\": 2}]}]\n}\n");
    Path out = dir.resolve("run");
    Cli.Run r = Cli.run("run", recipe.toString(), "--out", out.toString());
    assertOneLineError(r, "recipe.json:4:", "attacks[0].budgets[0].rate");
    assertFalse(Files.exists(out), "no run folder");
  }

  @Test
  void recipeInYamlWithAnUnknownFieldIsNamed() throws IOException {
    Path recipe = dir.resolve("recipe.yaml");
    Files.writeString(recipe, "name: x\ndatasets: [spamassassin]\nbudget: [{count: 3}]\n");
    Cli.Run r = Cli.run("run", recipe.toString());
    assertOneLineError(r, "recipe.yaml:3:", "\"budget\"");
  }

  @Test
  void recipeWhoseDatasetFileIsMissingNamesTheFile() throws IOException {
    Path recipe = dir.resolve("recipe.json");
    Files.writeString(
        recipe,
        "{\"name\": \"x\", \"datasets\": [{\"train\": \"absent.jsonl\", \"test\": \"t.jsonl\"}],"
            + " \"attacks\": [{\"kind\": \"label-flip\", \"budgets\": [{\"count\": 3}]}]}");
    Cli.Run r = Cli.run("run", recipe.toString(), "--out", dir.resolve("run").toString());
    assertOneLineError(r, "absent.jsonl");
  }

  @Test
  void recipeTargetLabelMissingFromTheDataIsNamed() throws IOException {
    emails("train.jsonl", 40);
    emails("test.jsonl", 20);
    Path recipe = dir.resolve("recipe.json");
    Files.writeString(
        recipe,
        "{\"name\": \"x\", \"datasets\": [{\"train\": \"train.jsonl\", \"test\": \"test.jsonl\"}],"
            + " \"attacks\": [{\"kind\": \"backdoor\", \"target\": \"eggs\","
            + " \"budgets\": [{\"count\": 3}]}]}");
    Cli.Run r = Cli.run("run", recipe.toString(), "--out", dir.resolve("run").toString());
    assertOneLineError(r, "recipe.json", "eggs");
  }
}
