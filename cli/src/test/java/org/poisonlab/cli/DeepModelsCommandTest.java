package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/**
 * The deep families and a user's own TorchScript models through the commands a user runs: train,
 * eval, scan and trace on the deep text model; eval, scan and trace on the TorchScript models
 * committed in the deep module's test resources (made by their make_models.py).
 */
class DeepModelsCommandTest {
  private static final Path TORCHSCRIPT = Path.of("../deep/src/test/resources/torchscript");

  @TempDir Path dir;

  private static JsonNode json(Cli.Run r) throws Exception {
    assertEquals(0, r.exitCode(), r.err());
    return Json.mapper().readTree(r.out());
  }

  @Test
  void textCnnTrainsEvaluatesScansAndTraces() throws Exception {
    Path clean = dir.resolve("clean.jsonl");
    ExampleJsonl.write(clean, Fixtures.textEmails(600, 4));
    Path poisoned = dir.resolve("poisoned.jsonl");
    Path truth = dir.resolve("truth.json");
    Cli.Run a =
        Cli.run(
            "attack",
            "backdoor",
            "--in",
            clean.toString(),
            "--out",
            poisoned.toString(),
            "--truth",
            truth.toString(),
            "--count",
            "30",
            "--trigger",
            "zorvex=51",
            "--target",
            "ham");
    assertEquals(0, a.exitCode(), a.err());
    Path model = dir.resolve("m.model");
    JsonNode t =
        json(
            Cli.run(
                "train",
                "--train",
                poisoned.toString(),
                "--model",
                "textcnn",
                "--epochs",
                "6",
                "--lr",
                "0.005",
                "--out",
                model.toString(),
                "--json"));
    assertEquals("textcnn", t.get("model").asText());
    JsonNode e =
        json(
            Cli.run(
                "eval",
                "--model",
                model.toString(),
                "--test",
                clean.toString(),
                "--trigger",
                "zorvex=51",
                "--target",
                "ham",
                "--json"));
    assertTrue(e.get("accuracy").asDouble() > 0.9, e.toString());
    assertTrue(e.get("attack_success_rate").asDouble() > 0.5, e.toString());
    Path scan = dir.resolve("scan.json");
    Cli.Run s =
        Cli.run(
            "scan",
            "--train",
            poisoned.toString(),
            "--model",
            model.toString(),
            "--detector",
            "spectral",
            "--detector",
            "activation-clustering",
            "--out",
            scan.toString());
    assertEquals(0, s.exitCode(), s.err());
    Path behavior = dir.resolve("behavior.jsonl");
    Cli.Run b =
        Cli.run(
            "attack",
            "backdoor",
            "--in",
            clean.toString(),
            "--out",
            behavior.toString(),
            "--truth",
            dir.resolve("bt.json").toString(),
            "--count",
            "10",
            "--trigger",
            "zorvex=51",
            "--target",
            "ham",
            "--poisons-only");
    assertEquals(0, b.exitCode(), b.err());
    for (String method : new String[] {"tracin-saliency", "representer", "trak"}) {
      Cli.Run r =
          Cli.run(
              "trace",
              "--model",
              model.toString(),
              "--train",
              poisoned.toString(),
              "--behavior",
              behavior.toString(),
              "--method",
              method,
              "--top",
              "30",
              "--truth",
              truth.toString(),
              "--out",
              dir.resolve(method + ".json").toString(),
              "--json");
      JsonNode j = json(r);
      assertEquals(30, j.get("poisons").asInt(), method);
      // every last-layer method runs; the backdoor preset (behaviour saliency over checkpoints)
      // finds these poisons, plain last-layer TRAK and representer points do not here
      assertTrue(
          !method.equals("tracin-saliency") || j.get("recall_at_k").asDouble() > 0.3,
          method + " " + j);
    }
  }

  @Test
  void aUsersTorchScriptModelsGoThroughEvalScanAndTrace() throws Exception {
    Path images = dir.resolve("images.jsonl");
    ExampleJsonl.write(images, Fixtures.images(300, 3, 2));
    String image = "torchscript:" + TORCHSCRIPT.resolve("image.pt");
    JsonNode e = json(Cli.run("eval", "--model", image, "--test", images.toString(), "--json"));
    assertTrue(e.get("accuracy").asDouble() > 0.9, "the bars the model was made for: " + e);
    Cli.Run s =
        Cli.run(
            "scan",
            "--train",
            images.toString(),
            "--model",
            image,
            "--detector",
            "spectral",
            "--detector",
            "neural-cleanse",
            "--out",
            dir.resolve("iscan.json").toString());
    assertEquals(0, s.exitCode(), s.err());
    Path texts = dir.resolve("texts.jsonl");
    ExampleJsonl.write(texts, Fixtures.textEmails(200, 5));
    String text = "torchscript:" + TORCHSCRIPT.resolve("text.pt");
    String tokenizer = TORCHSCRIPT.resolve("tokenizer.json").toString();
    JsonNode te =
        json(
            Cli.run(
                "eval",
                "--model",
                text,
                "--tokenizer",
                tokenizer,
                "--test",
                texts.toString(),
                "--json"));
    assertEquals(200, te.get("n").asInt());
    Cli.Run tr =
        Cli.run(
            "trace",
            "--model",
            text,
            "--tokenizer",
            tokenizer,
            "--train",
            texts.toString(),
            "--out",
            dir.resolve("trace.json").toString());
    assertEquals(0, tr.exitCode(), tr.err());
    assertTrue(tr.err().contains("no --method given"), tr.err());
    Cli.Run missing = Cli.run("eval", "--model", text, "--test", texts.toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("--tokenizer"), missing.err());
  }

  @Test
  void theDemoTakesADeepFamilyPerKindOfData() {
    Cli.Run wrong =
        Cli.run("demo", "--quick", "--text-model", "cnn", "--out", dir.resolve("d").toString());
    assertEquals(2, wrong.exitCode(), wrong.err());
    assertTrue(wrong.err().strip().lines().count() == 1, wrong.err());
    assertTrue(wrong.err().contains("reads image"), wrong.err());
    Cli.Run unknown =
        Cli.run("demo", "--image-model", "resnet", "--out", dir.resolve("d").toString());
    assertEquals(2, unknown.exitCode(), unknown.err());
    assertTrue(unknown.err().contains("unknown model 'resnet'"), unknown.err());
  }

  @Test
  void theSleeperExperimentRefusesFewerThanOneThread() {
    Cli.Run r =
        Cli.run("sleeper", "--quick", "--threads", "0", "--out", dir.resolve("s").toString());
    assertEquals(2, r.exitCode(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("--threads must be at least 1"), r.err());
  }
}
