package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;
import org.poisonlab.testkit.RealData;
import picocli.CommandLine;

/** Shell completion, {@code --json} on every command that prints a result, progress bars. */
class CliSurfaceTest {
  /** Commands that print something other than a result: a script, a help text. */
  static final Set<String> NO_JSON = Set.of("poisonlab completion", "poisonlab help");

  @TempDir Path dir;

  @Test
  void everyCommandThatRunsSomethingHasJson() {
    List<String> missing = new ArrayList<>();
    for (CommandLine c : HelpExamplesTest.allCommands()) {
      String name = c.getCommandSpec().qualifiedName();
      boolean leaf = c.getCommandSpec().userObject() instanceof Callable;
      if (leaf && !NO_JSON.contains(name) && c.getCommandSpec().findOption("--json") == null) {
        missing.add(name);
      }
    }
    assertTrue(missing.isEmpty(), "commands without --json: " + missing);
  }

  @Test
  void bashCompletionCoversEveryCommandAndOption() {
    Cli.Run r = Cli.run("completion", "bash");
    assertEquals(0, r.exitCode(), r.err());
    String script = r.out();
    assertTrue(script.contains("complete -F"), "a bash completion script");
    for (CommandLine c : HelpExamplesTest.allCommands()) {
      assertTrue(script.contains(c.getCommandName()), "completion lacks " + c.getCommandName());
    }
    for (String option : List.of("--trigger", "--by-source", "--detector", "--manifest")) {
      assertTrue(script.contains(option), "completion lacks " + option);
    }
    assertEquals(2, Cli.run("completion", "fish").exitCode(), "unknown shell is bad usage");
  }

  @Test
  void progressBarFollowsTheStepCount() {
    assertEquals("[##########----------] ", Progress.bar("run 11 of 20: spamassassin"));
    assertEquals("[--------------------] ", Progress.bar("run 1 of 3: x"));
    assertEquals("", Progress.bar("training the clean logreg"));
    assertEquals("", Progress.bar("run 4 of 3"), "a count past the total draws no bar");
  }

  private JsonNode json(String... args) throws IOException {
    String[] withJson = new String[args.length + 1];
    System.arraycopy(args, 0, withJson, 0, args.length);
    withJson[args.length] = "--json";
    Cli.Run r = Cli.run(withJson);
    assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
    return Json.mapper().readTree(r.out());
  }

  private String p(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void everyResultIsMachineReadableWithJson() throws IOException {
    ExampleJsonl.write(dir.resolve("train.jsonl"), Fixtures.textEmails(200, 1));
    ExampleJsonl.write(dir.resolve("test.jsonl"), Fixtures.textEmails(100, 2));

    JsonNode list = json("data", "list");
    assertTrue(list.isArray() && list.size() >= 2, list.toString());

    JsonNode attack =
        json(
            "attack",
            "backdoor",
            "--in",
            p("train.jsonl"),
            "--out",
            p("poisoned.jsonl"),
            "--truth",
            p("truth.json"),
            "--count",
            "20",
            "--target",
            "ham");
    assertEquals(20, attack.get("poisoned").asInt());

    JsonNode train =
        json(
            "train",
            "--train",
            p("poisoned.jsonl"),
            "--out",
            p("m.model"),
            "--test",
            p("test.jsonl"));
    assertEquals(200, train.get("examples").asInt());
    assertTrue(train.get("accuracy").asDouble() > 0.5);

    JsonNode eval =
        json(
            "eval",
            "--model",
            p("m.model"),
            "--test",
            p("test.jsonl"),
            "--trigger",
            "DEPLOYMENT=2024",
            "--target",
            "ham");
    assertEquals(100, eval.get("n").asInt());
    assertTrue(eval.has("attack_success_rate"));

    JsonNode scan =
        json(
            "scan",
            "--train",
            p("poisoned.jsonl"),
            "--model",
            p("m.model"),
            "--detector",
            "spectral",
            "--out",
            p("flags.json"),
            "--truth",
            p("truth.json"));
    assertEquals("spectral", scan.get("detectors").get(0).get("method").asText());

    JsonNode purge =
        json(
            "purge",
            "--train",
            p("poisoned.jsonl"),
            "--flags",
            p("flags.json"),
            "--out",
            p("purged.jsonl"));
    assertEquals(200, purge.get("kept").asInt() + purge.get("removed").asInt());

    JsonNode keys = json("provenance", "keygen", "--out", p("keys"));
    assertTrue(keys.get("fingerprint").asText().length() > 8);
    JsonNode manifest =
        json(
            "provenance",
            "manifest",
            "--in",
            p("train.jsonl"),
            "--out",
            p("m.json"),
            "--key",
            p("keys/private.key"));
    assertTrue(manifest.get("signed").asBoolean());
    JsonNode verify =
        json(
            "provenance",
            "verify",
            "--in",
            p("train.jsonl"),
            "--manifest",
            p("m.json"),
            "--pub",
            p("keys/public.key"));
    assertTrue(verify.get("ok").asBoolean());

    Files.writeString(
        dir.resolve("r.json"),
        "{\"name\": \"r\", \"datasets\": [{\"train\": \"train.jsonl\", \"test\": \"test.jsonl\"}],"
            + " \"attacks\": [{\"kind\": \"label-flip\", \"budgets\": [{\"count\": 10}]}]}");
    JsonNode run = json("run", p("r.json"), "--out", p("run"));
    assertEquals(p("run"), run.get("out").asText());
    assertEquals(1, run.get("results").get("runs").size());
  }

  @Test
  void pinnedDataFetchAndExportAreMachineReadable() throws IOException {
    RealData.require("fashion-mnist");
    JsonNode fetch = json("data", "fetch", "fashion-mnist");
    assertTrue(fetch.get("verified").asBoolean());
    JsonNode export =
        json("data", "export", "fashion-mnist", "--split", "test", "--out", p("f.jsonl"));
    assertEquals(10000, export.get("examples").asInt());
    assertEquals(10000, Files.readAllLines(dir.resolve("f.jsonl")).size());
  }
}
