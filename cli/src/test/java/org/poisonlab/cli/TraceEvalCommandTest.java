package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/** {@code trace-eval} on small fixtures: result files, exit codes, one-line errors. */
class TraceEvalCommandTest {
  @TempDir Path dir;
  Path train;
  Path test;
  Path model;

  @BeforeEach
  void trainModel() {
    train = dir.resolve("train.jsonl");
    test = dir.resolve("test.jsonl");
    model = dir.resolve("m.model");
    trainModel(train, test, model);
  }

  /**
   * Writes 80 training and 10 test bar images to {@code train} and {@code test} and trains a
   * logistic regression on them by L-BFGS into {@code model}.
   */
  static void trainModel(Path train, Path test, Path model) {
    ExampleJsonl.write(train, Fixtures.bars(80, 5, 2, 1));
    ExampleJsonl.write(test, Fixtures.bars(10, 5, 2, 2));
    Cli.Run r =
        Cli.run(
            "train",
            "--train",
            train.toString(),
            "--model",
            "logreg",
            "--optimizer",
            "lbfgs",
            "--l2",
            "0.01",
            "--out",
            model.toString());
    assertEquals(0, r.exitCode(), r.err());
  }

  private Cli.Run eval(String... extra) {
    String[] base = {
      "trace-eval",
      "--model",
      model.toString(),
      "--train",
      train.toString(),
      "--method",
      "gradient-dot",
      "--out",
      dir.resolve("eval.json").toString()
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return Cli.run(all);
  }

  @Test
  void theDatamodelingScoreIsWrittenAndPrinted() throws Exception {
    Cli.Run r = eval("--test", test.toString(), "--metric", "lds", "--subsets", "6", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode printed = Json.mapper().readTree(r.out());
    JsonNode file = Json.mapper().readTree(Files.readString(dir.resolve("eval.json")));
    assertEquals(printed, file);
    assertEquals("lds", file.get("metric").asText());
    assertEquals("gradient-dot", file.get("method").asText());
    assertEquals(10, file.get("per_test").size());
    assertEquals(80, file.get("n").asInt());
  }

  @Test
  void leaveOneOutReportsItsCorrelationsInText() {
    Cli.Run r =
        eval("--test", test.toString(), "--metric", "loo", "--top-k", "5", "--parallel", "1");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("gradient-dot leave-one-out over the top 5: Pearson"), r.out());
  }

  @Test
  void aMetricWithoutItsInputsIsBadUsage() {
    Cli.Run noTruth = eval("--metric", "mislabel");
    assertEquals(2, noTruth.exitCode());
    assertTrue(noTruth.err().contains("needs --truth"), noTruth.err());
    Cli.Run unknown = eval("--test", test.toString(), "--metric", "accuracy");
    assertEquals(2, unknown.exitCode());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    Cli.Run method =
        Cli.run(
            "trace-eval",
            "--model",
            model.toString(),
            "--train",
            train.toString(),
            "--test",
            test.toString(),
            "--method",
            "nope",
            "--metric",
            "lds",
            "--out",
            dir.resolve("eval.json").toString());
    assertEquals(2, method.exitCode());
    assertTrue(method.err().contains("gradient-dot"), method.err());
  }
}
