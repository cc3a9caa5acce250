package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.Json;
import org.poisonlab.io.Sha1;

/** Sources jars become JSONL shards: one document per text file, deterministic bytes. */
class DatasetSourcesCorpusTest {
  @TempDir Path dir;

  private static void jar(Path file, Object... nameAndBytes) throws Exception {
    Files.createDirectories(file.getParent());
    try (OutputStream o = Files.newOutputStream(file);
        ZipOutputStream z = new ZipOutputStream(o)) {
      for (int i = 0; i < nameAndBytes.length; i += 2) {
        z.putNextEntry(new ZipEntry((String) nameAndBytes[i]));
        z.write((byte[]) nameAndBytes[i + 1]);
        z.closeEntry();
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<SourcesJar> twoJars(Path artifacts) throws Exception {
    SourcesJar a = new SourcesJar("org.example", "alpha", "1.0", 0, "00");
    SourcesJar b = new SourcesJar("com.other", "beta", "2.1", 0, "00");
    byte[] big = new byte[SourcesCorpusFormat.MAX_FILE_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'x');
    jar(
        artifacts.resolve(a.repositoryPath()),
        "META-INF/",
        new byte[0],
        "org/example/Alpha.java",
        utf8("package org.example;\nclass Alpha {}\n"),
        "org/example/logo.png",
        new byte[] {(byte) 0x89, 'P', 'N', 'G'},
        "org/example/notes.md",
        utf8("# Notes\nÜber alles.\n"),
        "org/example/Huge.java",
        big,
        "org/example/bad.txt",
        new byte[] {(byte) 0xC3, (byte) 0x28},
        "org/example/empty.properties",
        utf8("  \n"));
    jar(artifacts.resolve(b.repositoryPath()), "com/other/Beta.kt", utf8("object Beta\n"));
    return List.of(a, b);
  }

  private static List<JsonNode> lines(Path shard) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(shard, StandardCharsets.UTF_8)) {
      out.add(Json.mapper().readTree(l));
    }
    return out;
  }

  @Test
  void everyTextFileIsOneDocumentWithIdSourceUrlAndDigest() throws Exception {
    Path artifacts = dir.resolve("artifacts");
    List<SourcesJar> jars = twoJars(artifacts);
    Path out = Files.createDirectories(dir.resolve("out"));
    new SourcesCorpusFormat("t", jars, 1 << 20).derive(artifacts, out, s -> {});
    List<JsonNode> docs = lines(out.resolve("shard-00000.jsonl"));
    assertEquals(3, docs.size());
    JsonNode alpha = docs.get(0);
    assertEquals("org.example:alpha:1.0!/org/example/Alpha.java", alpha.get("id").asText());
    assertEquals("package org.example;\nclass Alpha {}\n", alpha.get("text").asText());
    assertEquals("org.example", alpha.get("source").asText());
    assertEquals(
        "maven:org.example:alpha:1.0:sources!/org/example/Alpha.java", alpha.get("url").asText());
    assertEquals(
        Sha1.base32(utf8("package org.example;\nclass Alpha {}\n")), alpha.get("digest").asText());
    assertEquals("# Notes\nÜber alles.\n", docs.get(1).get("text").asText());
    assertEquals("com.other", docs.get(2).get("source").asText());
    SourcesCorpusFormat.Stats st =
        Json.mapper()
            .readValue(out.resolve("stats.json").toFile(), SourcesCorpusFormat.Stats.class);
    assertEquals(
        new SourcesCorpusFormat.Stats(2, st.jarBytes(), 3, st.textBytes(), 2, 1, 1, 1, 1, 1), st);
    assertEquals(
        utf8("package org.example;\nclass Alpha {}\n").length
            + utf8("# Notes\nÜber alles.\n").length
            + utf8("object Beta\n").length,
        st.textBytes());
  }

  @Test
  void theSameJarsGiveTheSameShardsAndShardsRollOverAtTheirSize() throws Exception {
    Path artifacts = dir.resolve("artifacts");
    List<SourcesJar> jars = twoJars(artifacts);
    Path one = Files.createDirectories(dir.resolve("one"));
    Path two = Files.createDirectories(dir.resolve("two"));
    new SourcesCorpusFormat("t", jars, 60).derive(artifacts, one, s -> {});
    new SourcesCorpusFormat("t", jars, 60).derive(artifacts, two, s -> {});
    for (String shard : List.of("shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl")) {
      assertArrayEquals(
          Files.readAllBytes(one.resolve(shard)), Files.readAllBytes(two.resolve(shard)));
      assertEquals(1, lines(one.resolve(shard)).size(), "each record exceeds 60 bytes");
    }
    assertTrue(Files.notExists(one.resolve("shard-00003.jsonl")));
  }

  @Test
  void theListsAreWellFormedAndTheSmallCorpusIsInTheLargeOne() {
    List<SourcesJar> small = SourcesJar.list("code-corpus-small.tsv");
    List<SourcesJar> big = SourcesJar.list("code-corpus.tsv");
    assertEquals(7, small.size());
    assertTrue(big.size() >= 300, "a few hundred artifacts: " + big.size());
    assertTrue(big.containsAll(small));
    assertTrue(big.stream().map(SourcesJar::groupId).distinct().count() >= 200);
    assertEquals(big.size(), big.stream().map(SourcesJar::coordinates).distinct().count());
    for (SourcesJar j : big) {
      assertTrue(j.sha256().matches("[0-9a-f]{64}"), j.coordinates());
      assertTrue(j.bytes() > 0, j.coordinates());
    }
  }
}
