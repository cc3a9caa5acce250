package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.Json;

/**
 * {@code corpus plant}, {@code scan}, {@code purge} and {@code convert} end to end, and bad input.
 */
class CorpusScanCommandTest {
  @TempDir Path dir;

  /** 300 documents of prose-like text (a few words repeat, many are rare) over 30 sources. */
  private Path corpus() throws Exception {
    Path shards = Files.createDirectories(dir.resolve("in"));
    String[] words =
        ("the a of to in is that for on with as by it at from this be are or an was"
                + " value count list map file read write open close data node tree link page user")
            .split(" ");
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    String[] content = new String[5000];
    for (int i = 0; i < content.length; i++) {
      StringBuilder w = new StringBuilder();
      for (int k = 0; k < 4 + r.nextInt(6); k++) {
        w.append((char) ('a' + r.nextInt(26)));
      }
      content[i] = w.toString();
    }
    for (int s = 0; s < 2; s++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 150; i++) {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < 400; k++) {
          // function words most of the time, else one of 5,000 content words
          String w = r.nextInt(10) < 6 ? words[r.nextInt(words.length)] : content[r.nextInt(5000)];
          text.append(w).append(k % 12 == 11 ? ".\n" : " ");
        }
        b.append(
            Json.mapper()
                .writeValueAsString(
                    java.util.Map.of(
                        "id",
                        "doc-" + s + "-" + i,
                        "text",
                        text.toString(),
                        "source",
                        "site" + (i % 30))));
        b.append('\n');
      }
      Files.writeString(shards.resolve("part-" + s + ".jsonl"), b, StandardCharsets.UTF_8);
    }
    return shards;
  }

  @Test
  void plantedDocumentsAreFoundPurgedAndGoneOnARescanInEveryFormat() throws Exception {
    Path in = corpus();
    Cli.Run plant =
        Cli.run(
            "corpus",
            "plant",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("planted").toString(),
            "--truth",
            dir.resolve("truth.jsonl").toString(),
            "--bursts",
            "25",
            "--templated",
            "0",
            "--near-duplicates",
            "0",
            "--split-view",
            "0",
            "--seed",
            "9",
            "--json");
    assertEquals(0, plant.exitCode(), plant.err());
    String trigger = Json.mapper().readTree(plant.out()).get("trigger").asText();
    Cli.Run convert =
        Cli.run(
            "corpus",
            "convert",
            "--in",
            dir.resolve("planted").toString(),
            "--out",
            dir.resolve("warc").toString(),
            "--to",
            ".warc.gz");
    assertEquals(0, convert.exitCode(), convert.err());
    Cli.Run scan =
        Cli.run(
            "corpus",
            "scan",
            "--in",
            dir.resolve("warc").toString(),
            "--out",
            dir.resolve("scan").toString(),
            "--json");
    assertEquals(0, scan.exitCode(), scan.err());
    JsonNode s = Json.mapper().readTree(scan.out());
    assertEquals(trigger, s.get("findings").get(0).get("trigger").asText(), s.toString());
    assertEquals(25, s.get("findings").get(0).get("documents").asInt());
    assertEquals(s.get("digest_records").asLong(), s.get("digests_checked").asLong());
    assertEquals(25, Files.readAllLines(dir.resolve("scan/flags.jsonl")).size());
    Cli.Run purge =
        Cli.run(
            "corpus",
            "purge",
            "--in",
            dir.resolve("warc").toString(),
            "--flags",
            dir.resolve("scan").toString(),
            "--out",
            dir.resolve("clean").toString(),
            "--json");
    assertEquals(0, purge.exitCode(), purge.err());
    assertEquals(300, Json.mapper().readTree(purge.out()).get("kept").asInt());
    Cli.Run again =
        Cli.run(
            "corpus",
            "scan",
            "--in",
            dir.resolve("clean").toString(),
            "--out",
            dir.resolve("rescan").toString());
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("nothing significant"), again.out());
  }

  @Test
  void badInputIsOneLineAndExitCodeTwo() throws Exception {
    Path in = corpus();
    Cli.Run missing =
        Cli.run(
            "corpus",
            "scan",
            "--in",
            dir.resolve("nope.jsonl").toString(),
            "--out",
            dir.resolve("o").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("nope.jsonl"), missing.err());
    Path odd = Files.writeString(dir.resolve("corpus.csv"), "a,b\n");
    Cli.Run format =
        Cli.run("corpus", "scan", "--in", odd.toString(), "--out", dir.resolve("o").toString());
    assertEquals(2, format.exitCode());
    assertTrue(format.err().contains("corpus.csv"), format.err());
    Cli.Run to =
        Cli.run(
            "corpus",
            "convert",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("c").toString(),
            "--to",
            ".xml");
    assertEquals(2, to.exitCode());
    assertEquals(1, to.err().strip().lines().count(), to.err());
    Cli.Run preset =
        Cli.run(
            "corpus",
            "scan",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("o").toString(),
            "--minhash",
            "many");
    assertEquals(2, preset.exitCode());
    Cli.Run flags =
        Cli.run(
            "corpus",
            "purge",
            "--in",
            in.toString(),
            "--flags",
            dir.resolve("none").toString(),
            "--out",
            dir.resolve("p").toString());
    assertEquals(2, flags.exitCode());
  }
}
