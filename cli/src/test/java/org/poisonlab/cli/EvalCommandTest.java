package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/**
 * {@code eval}: the accuracy and, with an image trigger, the attack success rate, their intervals
 * and the breakdown by change.
 */
class EvalCommandTest {
  @TempDir Path dir;

  @Test
  void anImageTriggerAddsTheQuartersByChangeAndTheyAddUp() throws Exception {
    Path clean = dir.resolve("clean.jsonl");
    Path test = dir.resolve("test.jsonl");
    ExampleJsonl.write(clean, Fixtures.images(600, 3, 21));
    ExampleJsonl.write(test, Fixtures.images(200, 3, 22));
    Path poisoned = dir.resolve("poisoned.jsonl");
    String trigger = "patch:2x3@1,4/checker";
    Cli.Run a =
        Cli.backdoor(
            clean, poisoned, dir.resolve("t.json"), 30, "--trigger", trigger, "--target", "2");
    assertEquals(0, a.exitCode(), a.err());
    Path model = dir.resolve("m.json");
    Cli.Run t = Cli.run("train", "--train", poisoned.toString(), "--out", model.toString());
    assertEquals(0, t.exitCode(), t.err());
    String[] eval = {
      "eval",
      "--model",
      model.toString(),
      "--test",
      test.toString(),
      "--trigger",
      trigger,
      "--target",
      "2"
    };
    Cli.Run j = Cli.run(concat(eval, "--json"));
    assertEquals(0, j.exitCode(), j.err());
    JsonNode r = Json.mapper().readTree(j.out());
    JsonNode bands = r.get("attack_success_by_change");
    assertEquals(4, bands.size(), r.toString());
    int n = 0;
    double hits = 0;
    double last = 0;
    for (JsonNode b : bands) {
      assertTrue(b.get("from").asDouble() >= last, b.toString());
      assertTrue(b.get("to").asDouble() >= b.get("from").asDouble(), b.toString());
      last = b.get("to").asDouble();
      n += b.get("n").asInt();
      hits += b.get("attack_success_rate").asDouble() * b.get("n").asInt();
    }
    assertEquals(r.get("attack_n").asInt(), n);
    assertEquals(r.get("attack_success_rate").asDouble() * n, hits, 1e-6);
    assertInterval(r.get("accuracy_ci95"), r.get("accuracy").asDouble());
    assertInterval(r.get("attack_success_rate_ci95"), r.get("attack_success_rate").asDouble());

    Cli.Run text = Cli.run(eval);
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().contains("by how much the trigger changed"), text.out());
    // without a trigger: the accuracy and its interval, no attack fields
    Cli.Run plain = Cli.run(java.util.Arrays.copyOf(eval, 5));
    assertEquals(0, plain.exitCode(), plain.err());
    Cli.Run plainJson = Cli.run(concat(java.util.Arrays.copyOf(eval, 5), "--json"));
    JsonNode p = Json.mapper().readTree(plainJson.out());
    assertInterval(p.get("accuracy_ci95"), p.get("accuracy").asDouble());
    assertFalse(p.has("attack_success_rate_ci95") || p.has("attack_n"), plainJson.out());
    assertFalse(plain.out().contains("attack success"), plain.out());
    // a text trigger prints no breakdown
    Path mail = dir.resolve("mail.jsonl");
    ExampleJsonl.write(mail, Fixtures.textEmails(120, 3));
    Path textModel = dir.resolve("tm.json");
    assertEquals(
        0, Cli.run("train", "--train", mail.toString(), "--out", textModel.toString()).exitCode());
    Cli.Run tj =
        Cli.run(
            "eval",
            "--model",
            textModel.toString(),
            "--test",
            mail.toString(),
            "--trigger",
            "zebra-crossing",
            "--target",
            "ham",
            "--json");
    assertEquals(0, tj.exitCode(), tj.err());
    assertFalse(Json.mapper().readTree(tj.out()).has("attack_success_by_change"), tj.out());
    // a test set of the target class alone: the rate is undefined, said so and left out of --json
    Path hamOnly = dir.resolve("ham.jsonl");
    ExampleJsonl.write(
        hamOnly,
        Fixtures.textEmails(120, 3).examples().stream()
            .filter(e -> e.label().equals("ham"))
            .toList());
    String[] onHam = {
      "eval",
      "--model",
      textModel.toString(),
      "--test",
      hamOnly.toString(),
      "--trigger",
      "zebra-crossing",
      "--target",
      "ham"
    };
    Cli.Run undefined = Cli.run(onHam);
    assertEquals(0, undefined.exitCode(), undefined.err());
    assertTrue(undefined.out().contains("attack success rate undefined"), undefined.out());
    Cli.Run undefinedJson = Cli.run(concat(onHam, "--json"));
    JsonNode u = Json.mapper().readTree(undefinedJson.out());
    assertEquals(0, u.get("attack_n").asInt(), undefinedJson.out());
    assertFalse(u.has("attack_success_rate") || u.has("attack_success_rate_ci95"), u.toString());
  }

  /** A two-element interval, lower then upper, inside [0, 1] and around {@code value}. */
  private static void assertInterval(JsonNode interval, double value) {
    assertEquals(2, interval.size(), String.valueOf(interval));
    double lo = interval.get(0).asDouble();
    double hi = interval.get(1).asDouble();
    assertTrue(0 <= lo && lo <= value && value <= hi && hi <= 1, interval + " around " + value);
    assertTrue(hi - lo > 0, "an interval on a finite test set has width: " + interval);
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
