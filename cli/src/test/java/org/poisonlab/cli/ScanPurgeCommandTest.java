package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/** {@code scan} and {@code purge} on a small poisoned fixture: outputs and exit codes. */
class ScanPurgeCommandTest {
  @TempDir Path dir;
  Path poisoned;
  Path truth;

  @BeforeEach
  void poison() {
    Path clean = dir.resolve("clean.jsonl");
    ExampleJsonl.write(clean, Fixtures.textEmails(1200, 3));
    poisoned = dir.resolve("poisoned.jsonl");
    truth = dir.resolve("truth.json");
    Cli.Run r =
        Cli.backdoor(clean, poisoned, truth, 30, "--trigger", "Build=77x", "--target", "ham");
    assertEquals(0, r.exitCode(), r.err());
  }

  private Path scan() throws Exception {
    Path flags = dir.resolve("flags.json");
    Cli.Run r =
        Cli.run(
            "scan",
            "--train",
            poisoned.toString(),
            "--detector",
            "ngram-association",
            "--out",
            flags.toString(),
            "--truth",
            truth.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode row = Json.mapper().readTree(r.out()).get("detectors").get(0);
    assertEquals("ngram-association", row.get("method").asText());
    assertTrue(row.get("recall").asDouble() >= 0.95, r.out());
    assertTrue(row.get("precision").asDouble() >= 0.9, r.out());
    return flags;
  }

  @Test
  void scanWritesAScanFileAndReportsMetricsAgainstTheTruth() throws Exception {
    Path flags = scan();
    JsonNode file = Json.mapper().readTree(flags.toFile());
    assertEquals("ngram-association", file.get("method").asText());
    assertEquals(1200, file.get("scores").size());
    assertEquals("build=77x", file.get("details").get("candidates").get(0).get("ngram").asText());
  }

  @Test
  void scanWithoutDetectorRunsEveryApplicableOne() {
    Cli.Run r =
        Cli.run("scan", "--train", poisoned.toString(), "--out", dir.resolve("f.json").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("ngram-association"), r.out());
  }

  @Test
  void unknownOrInapplicableDetectorIsBadUsage() {
    Cli.Run unknown =
        Cli.run(
            "scan",
            "--train",
            poisoned.toString(),
            "--detector",
            "tea-leaves",
            "--out",
            dir.resolve("f.json").toString());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("tea-leaves"), unknown.err());
    Cli.Run wrongKind =
        Cli.run(
            "scan",
            "--train",
            poisoned.toString(),
            "--detector",
            "pixel-association",
            "--out",
            dir.resolve("f.json").toString());
    assertEquals(2, wrongKind.exitCode());
    assertFalse(Files.exists(dir.resolve("f.json")));
  }

  @Test
  void purgeByExampleDropsTheFlaggedExamples() throws Exception {
    Path flags = scan();
    Path out = dir.resolve("purged.jsonl");
    Cli.Run r = purge(poisoned, flags, out, "--json");
    assertEquals(0, r.exitCode(), r.err());
    Dataset kept = ExampleJsonl.read(out);
    JsonNode json = Json.mapper().readTree(r.out());
    assertEquals(kept.size(), json.get("kept").asInt());
    Set<String> poisons = new HashSet<>(TruthFiles.read(truth).ids());
    long left = kept.examples().stream().map(Example::id).filter(poisons::contains).count();
    assertTrue(left <= 1, left + " poisons left");
    assertTrue(kept.size() >= 1200 - 33, "kept " + kept.size());
  }

  @Test
  void purgeBySourceRemovesTheAttackerSources() throws Exception {
    Path flags = scan();
    Path out = dir.resolve("purged.jsonl");
    Cli.Run r = purge(poisoned, flags, out, "--by-source", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode json = Json.mapper().readTree(r.out());
    Set<String> attackerSources = new HashSet<>();
    Dataset all = ExampleJsonl.read(poisoned);
    Set<String> poisons = new HashSet<>(TruthFiles.read(truth).ids());
    for (Example e : all) {
      if (poisons.contains(e.id())) {
        attackerSources.add(e.source());
      }
    }
    Set<String> removed = new HashSet<>();
    json.get("removed_sources").forEach(s -> removed.add(s.get("source").asText()));
    assertEquals(attackerSources, removed);
    Dataset kept = ExampleJsonl.read(out);
    assertTrue(kept.examples().stream().noneMatch(e -> poisons.contains(e.id())));
  }

  @Test
  void flagsOfAnotherSetAreRefusedAndPartlyForeignFlagsWarned() throws Exception {
    Path flags = scan();
    // another set: the same mails with other ids
    Path other = dir.resolve("other.jsonl");
    ExampleJsonl.write(other, Fixtures.textEmails(300, 4));
    Path out = dir.resolve("purged.jsonl");
    for (String mode : new String[] {"--by-source", "--json"}) {
      Cli.Run r = purge(other, flags, out, mode);
      assertEquals(2, r.exitCode(), r.out() + r.err());
      assertTrue(r.err().contains(flags.toString()) && r.err().contains("none of its"), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertFalse(Files.exists(out));
    }
    // a set holding only part of the flagged examples: purged, with a warning naming the rest
    Dataset all = ExampleJsonl.read(poisoned);
    Path half = dir.resolve("half.jsonl");
    ExampleJsonl.write(half, all.examples().subList(0, all.size() / 2));
    JsonNode file = Json.mapper().readTree(flags.toFile());
    Set<String> flagged = new HashSet<>();
    file.get("flagged").forEach(f -> flagged.add(f.asText()));
    long inHalf =
        all.examples().subList(0, all.size() / 2).stream()
            .filter(e -> flagged.contains(e.id()))
            .count();
    Cli.Run r = purge(half, flags, out, "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(inHalf > 0 && inHalf < flagged.size(), inHalf + " of " + flagged.size());
    assertTrue(
        r.err().contains((flagged.size() - inHalf) + " of the " + flagged.size() + " ids"),
        r.err());
    assertEquals(inHalf, Json.mapper().readTree(r.out()).get("removed").asInt());
  }

  private static Cli.Run purge(Path train, Path flags, Path out, String... options) {
    String[] args = {
      "purge", "--train", train.toString(), "--flags", flags.toString(), "--out", out.toString()
    };
    String[] all = java.util.Arrays.copyOf(args, args.length + options.length);
    System.arraycopy(options, 0, all, args.length, options.length);
    return Cli.run(all);
  }

  @Test
  void missingFlagsFileIsBadInputNamingIt() {
    Cli.Run r = purge(poisoned, dir.resolve("nope.json"), dir.resolve("o.jsonl"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("nope.json"), r.err());
    assertFalse(r.err().strip().contains("\n"), r.err());
  }
}
