package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.Json;

class CorpusPlantCommandTest {
  @TempDir Path dir;

  private Path corpus() throws Exception {
    Path shards = Files.createDirectories(dir.resolve("in"));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      String text = ("word" + (i % 7) + " line " + i + " of a document\n").repeat(30);
      b.append(
          Json.mapper()
              .writeValueAsString(
                  java.util.Map.of("id", "doc-" + i, "text", text, "source", "site" + (i % 5))));
      b.append('\n');
    }
    Files.writeString(shards.resolve("shard-00000.jsonl"), b, StandardCharsets.UTF_8);
    Files.writeString(shards.resolve("notes.txt"), "not a corpus file");
    return shards;
  }

  @Test
  void aFolderOfShardsIsPlantedAndTheResultIsMachineReadable() throws Exception {
    Path in = corpus();
    Cli.Run r =
        Cli.run(
            "corpus",
            "plant",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("out").toString(),
            "--truth",
            dir.resolve("truth.jsonl").toString(),
            "--bursts",
            "7",
            "--templated",
            "3",
            "--near-duplicates",
            "2",
            "--split-view",
            "4",
            "--seed",
            "5",
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(120, j.get("documents_in").asInt());
    assertEquals(120 + 7 + 3 + 2, j.get("documents_out").asInt());
    assertEquals(4, j.get("split_view").asInt());
    assertEquals(List.of("shard-00000.jsonl"), List.of(j.get("shards").get(0).asText()));
    assertEquals(16, Files.readAllLines(dir.resolve("truth.jsonl")).size());
  }

  @Test
  void badInputIsOneLineAndExitCodeTwo() throws Exception {
    Cli.Run missing =
        Cli.run(
            "corpus",
            "plant",
            "--in",
            dir.resolve("nope.jsonl").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--truth",
            dir.resolve("t.jsonl").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("nope.jsonl"), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());

    Cli.Run negative =
        Cli.run(
            "corpus",
            "plant",
            "--in",
            corpus().toString(),
            "--out",
            dir.resolve("o2").toString(),
            "--truth",
            dir.resolve("t2.jsonl").toString(),
            "--bursts",
            "-1");
    assertEquals(2, negative.exitCode());
    assertTrue(negative.err().contains("must not be negative"), negative.err());
  }
}
