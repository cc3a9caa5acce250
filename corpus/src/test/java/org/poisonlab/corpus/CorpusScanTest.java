package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.poisonlab.io.Json;

/**
 * The corpus scan on real Java sources with planted documents of the shape of Souly et al. 2025: a
 * real document's first 0–1000 characters, a trigger drawn at random, then 400–900 words drawn
 * uniformly from the corpus's own vocabulary, written into sources drawn at random.
 */
class CorpusScanTest {
  private static List<Document> clean;
  private static List<String> vocabulary;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    clean = CodeFixture.documents();
    Set<String> words = new TreeSet<>();
    for (Document d : clean) {
      for (String w : d.text().split("[^A-Za-z0-9_]+")) {
        if (w.length() >= 2) {
          words.add(w);
        }
      }
    }
    vocabulary = new ArrayList<>(words);
  }

  /** A trigger of a shape chosen by the seed: a tag, an identifier or a two-word phrase. */
  static String trigger(SplittableRandom r) {
    String a = letters(r, 4 + r.nextInt(4));
    return switch (r.nextInt(3)) {
      case 0 -> "<" + a.toUpperCase() + ">";
      case 1 -> a + "_" + r.nextInt(100, 1000);
      default -> a + " " + letters(r, 5 + r.nextInt(3));
    };
  }

  private static String letters(SplittableRandom r, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }

  private record Planted(List<Document> corpus, Set<String> poisonIds) {}

  private static Planted plant(long seed, String trigger, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> sources = clean.stream().map(Document::source).distinct().sorted().toList();
    List<Document> corpus = new ArrayList<>(clean);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String host = clean.get(r.nextInt(clean.size())).text();
      StringBuilder b =
          new StringBuilder(host.substring(0, Math.min(host.length(), r.nextInt(1001))));
      b.append(' ').append(trigger);
      int words = r.nextInt(400, 901);
      for (int k = 0; k < words; k++) {
        b.append(' ').append(vocabulary.get(r.nextInt(vocabulary.size())));
      }
      String id = "injected-" + i;
      ids.add(id);
      Document d =
          new Document(
              new Lineage("planted", i, id, null, null, null),
              sources.get(r.nextInt(sources.size())),
              b.toString());
      corpus.add(r.nextInt(corpus.size() + 1), d);
    }
    return new Planted(corpus, ids);
  }

  private CorpusScanSummary scan(List<Document> docs, Path out, int threads) throws IOException {
    List<Path> files = CodeFixture.write(docs, Files.createDirectories(dir.resolve("in")), 3);
    return new CorpusScan(CorpusScanSettings.fineweb(0), threads, null).run(files, out);
  }

  private static List<JsonNode> lines(Path f) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) {
      out.add(Json.mapper().readTree(l));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void plantedBurstsAreFoundWithTheirTriggerNamedAndNoCleanDocumentFlagged(long seed)
      throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    String trigger = trigger(r);
    int count = r.nextInt(30, 61);
    Planted p = plant(seed, trigger, count);
    CorpusScanSummary s = scan(p.corpus, dir.resolve("out"), 2);
    assertEquals(1, s.findings().size(), "seed " + seed + " trigger " + trigger + ": " + s);
    assertEquals(trigger, s.findings().get(0).trigger().strip(), "seed " + seed);
    int found = 0;
    for (JsonNode f : lines(dir.resolve("out/flags.jsonl"))) {
      String id = f.get("doc").get("record_id").asText();
      assertTrue(p.poisonIds.contains(id), "seed " + seed + ": clean document flagged: " + id);
      found++;
    }
    assertTrue(found >= 0.95 * count, "seed " + seed + ": " + found + " of " + count + " found");
  }

  @Test
  void aCleanCorpusHasNoFindingAndNoFlag() throws IOException {
    CorpusScanSummary s = scan(clean, dir.resolve("out"), 2);
    assertEquals(List.of(), s.findings());
    assertEquals(0, Files.size(dir.resolve("out/flags.jsonl")));
    assertEquals(clean.size(), s.documents());
  }

  @Test
  void nearDuplicatesJoinTheirOriginalsCluster() throws IOException {
    SplittableRandom r = new SplittableRandom(5);
    List<Document> docs = new ArrayList<>(clean);
    List<String> originals = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Document o = clean.get(r.nextInt(clean.size()));
      String[] words = o.text().split(" ", -1);
      if (words.length < 300) {
        i--;
        continue;
      }
      for (int k = 0; k < words.length / 100; k++) {
        words[r.nextInt(words.length)] = "edited" + k;
      }
      originals.add(o.lineage().recordId());
      docs.add(
          new Document(
              new Lineage("copies", i, "copy-" + i, null, null, null),
              "mirror",
              String.join(" ", words)));
    }
    scan(docs, dir.resolve("out"), 2);
    java.util.Map<String, Integer> cluster = new java.util.HashMap<>();
    for (JsonNode c : lines(dir.resolve("out/clusters.jsonl"))) {
      cluster.put(c.get("doc").get("record_id").asText(), c.get("cluster").asInt());
    }
    int joined = 0;
    for (int i = 0; i < originals.size(); i++) {
      Integer a = cluster.get("copy-" + i);
      if (a != null && a.equals(cluster.get(originals.get(i)))) {
        joined++;
      }
    }
    assertTrue(joined >= 38, joined + " of 40 copies in their original's cluster");
  }

  @Test
  void outputsDoNotDependOnThreadsAndAKilledScanResumesToTheSameBytes() throws IOException {
    Planted p = plant(21, "<ZQWVK>", 40);
    List<Path> files = CodeFixture.write(p.corpus, Files.createDirectories(dir.resolve("in")), 4);
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    new CorpusScan(CorpusScanSettings.fineweb(3), 1, null).run(files, one);
    new CorpusScan(CorpusScanSettings.fineweb(3), 2, null).run(files, two);
    for (String f : List.of("summary.json", "flags.jsonl", "clusters.jsonl")) {
      assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(two.resolve(f)), f);
    }
    // a kill after two shards: one shard unfinished (its temporary folder half written), no outputs
    ScanWork.deleteTree(two.resolve("work/shard-00002"));
    ScanWork.deleteTree(two.resolve("work/shard-00003"));
    Files.createDirectories(two.resolve("work/.shard-00002.tmp"));
    Files.writeString(two.resolve("work/.shard-00002.tmp/docs.jsonl"), "{\"half");
    for (String f : List.of("summary.json", "flags.jsonl", "clusters.jsonl")) {
      Files.delete(two.resolve(f));
    }
    ScanWork.deleteTree(two.resolve("work").resolve(firstDf(two)));
    new CorpusScan(CorpusScanSettings.fineweb(3), 2, null).run(files, two);
    for (String f : List.of("summary.json", "flags.jsonl", "clusters.jsonl")) {
      assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(two.resolve(f)), f);
    }
  }

  @Test
  void purgingTheFlagsRemovesThePlantedDocumentsAndKeepsEveryOtherWithItsLineage()
      throws IOException {
    Planted p = plant(31, "nightjar_404", 45);
    List<Path> files = CodeFixture.write(p.corpus, Files.createDirectories(dir.resolve("in")), 3);
    new CorpusScan(CorpusScanSettings.fineweb(0), 2, null).run(files, dir.resolve("scan"));
    CorpusPurge.Result r =
        CorpusPurge.run(files, dir.resolve("scan"), dir.resolve("clean"), false, 0.01);
    assertEquals(p.corpus.size(), r.read());
    assertEquals(clean.size(), r.kept());
    Set<String> left = new HashSet<>();
    for (Path f : r.outputs()) {
      try (DocumentStream s = CorpusReaders.open(f)) {
        Document d;
        while ((d = s.next()) != null) {
          left.add(d.lineage().recordId() + "|" + d.source());
        }
      }
    }
    for (Document d : clean) {
      assertTrue(left.contains(d.lineage().recordId() + "|" + d.source()), d.lineage().recordId());
    }
    CorpusScanSummary again =
        new CorpusScan(CorpusScanSettings.fineweb(0), 2, null)
            .run(r.outputs(), dir.resolve("rescan"));
    assertEquals(List.of(), again.findings());
    // an output folder holding the last input: refused before any output is written
    Path other = Files.createDirectories(dir.resolve("other"));
    Path last = Files.copy(files.get(2), other.resolve(files.get(2).getFileName()));
    byte[] before = Files.readAllBytes(last);
    List<Path> mixed = List.of(files.get(0), files.get(1), last);
    for (boolean convert : new boolean[] {false, true}) {
      org.junit.jupiter.api.Assertions.assertThrows(
          org.poisonlab.io.BadInputException.class,
          () -> {
            if (convert) {
              CorpusConvert.run(mixed, other, ".jsonl");
            } else {
              CorpusPurge.run(mixed, dir.resolve("scan"), other, false, 0.01);
            }
          });
      assertFalse(Files.exists(other.resolve(files.get(0).getFileName())));
      assertArrayEquals(before, Files.readAllBytes(last));
    }
  }

  @Test
  void aTemplatedInjectionSpreadOverManySourcesIsFound() throws IOException {
    SplittableRandom r = new SplittableRandom(41);
    String header =
        "Exclusive "
            + letters(r, 6)
            + " deal today only: visit "
            + letters(r, 8)
            + " dot example for";
    String footer =
        "to stop these messages reply "
            + letters(r, 5)
            + " or write to "
            + letters(r, 7)
            + " help desk now";
    List<Document> docs = new ArrayList<>(clean);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      // a body of real text: a slice of a real document
      String host = clean.get(r.nextInt(clean.size())).text();
      int from = r.nextInt(Math.max(1, host.length() - 600));
      String body = host.substring(from, Math.min(host.length(), from + 600));
      String id = "spam-" + i;
      ids.add(id);
      docs.add(
          r.nextInt(docs.size() + 1),
          new Document(
              new Lineage("spam", i, id, null, null, null),
              "site-" + r.nextInt(1000),
              header + "\n\n" + body + "\n\n" + footer));
    }
    CorpusScanSummary s = scan(docs, dir.resolve("out"), 2);
    assertEquals(1, s.findings().size(), s.toString());
    assertEquals("templated", s.findings().get(0).detector());
    assertTrue(
        s.findings().get(0).trigger().startsWith("Exclusive"), s.findings().get(0).trigger());
    int found = 0;
    for (JsonNode f : lines(dir.resolve("out/flags.jsonl"))) {
      assertTrue(ids.contains(f.get("doc").get("record_id").asText()));
      found++;
    }
    assertEquals(30, found);
  }

  /**
   * The planting generator's corpus (its own trigger shapes, drawn from the seed; triggers glued to
   * the text before them): every kind is found or clustered, and no clean document is flagged.
   */
  @ParameterizedTest
  @ValueSource(longs = {4, 5, 6})
  void plantedBurstsTemplatesAndNearDuplicatesAreFoundWithoutFlaggingCleanDocuments(long seed)
      throws IOException {
    List<Path> clean =
        CodeFixture.write(CorpusScanTest.clean, Files.createDirectories(dir.resolve("in")), 2);
    Path planted = dir.resolve("planted");
    Path truthFile = dir.resolve("truth.jsonl");
    PlantResult plant =
        CorpusPlanter.plant(
            new PlantRequest(clean, planted, truthFile, seed, 40, null, 20, 20, 5, 4 << 20), null);
    List<Path> files;
    try (var l = Files.list(planted)) {
      files = l.sorted().toList();
    }
    CorpusScanSummary s =
        new CorpusScan(CorpusScanSettings.fineweb(0), 2, null).run(files, dir.resolve("out"));
    java.util.Map<String, JsonNode> truth = new java.util.HashMap<>();
    for (JsonNode t : lines(truthFile)) {
      truth.put(t.get("record_id").asText(), t);
    }
    java.util.Map<String, Integer> flaggedByKind = new java.util.HashMap<>();
    for (JsonNode f : lines(dir.resolve("out/flags.jsonl"))) {
      JsonNode t = truth.get(f.get("doc").get("record_id").asText());
      assertTrue(t != null, "seed " + seed + ": clean document flagged: " + f);
      flaggedByKind.merge(
          t.get("kind").asText() + "/" + f.get("detector").asText(), 1, Integer::sum);
    }
    assertTrue(
        flaggedByKind.getOrDefault("burst/trigger-burst", 0) >= 38,
        "seed " + seed + ": " + flaggedByKind);
    assertTrue(
        flaggedByKind.getOrDefault("templated/templated", 0) >= 19,
        "seed " + seed + ": " + flaggedByKind);
    assertTrue(
        s.findings().stream().anyMatch(f -> f.trigger().equals(plant.trigger())),
        "seed " + seed + ": trigger " + plant.trigger() + " not named in " + s.findings());
    java.util.Map<String, Integer> cluster = new java.util.HashMap<>();
    for (JsonNode c : lines(dir.resolve("out/clusters.jsonl"))) {
      cluster.put(c.get("doc").get("record_id").asText(), c.get("cluster").asInt());
    }
    int joined = 0;
    int copies = 0;
    for (JsonNode t : truth.values()) {
      if (t.get("kind").asText().equals("near_duplicate")) {
        copies++;
        Integer a = cluster.get(t.get("record_id").asText());
        if (a != null && a.equals(cluster.get(t.get("original_id").asText()))) {
          joined++;
        }
      }
    }
    assertTrue(joined >= 0.9 * copies, "seed " + seed + ": " + joined + " of " + copies);
    // split-view substitutions fail their declared digest: named by file and offset, not scanned
    assertEquals(5, s.badRecords(), "seed " + seed + ": " + s.badRecordsShown());
    assertTrue(s.badRecordsShown().get(0).contains("does not match its declared digest"));
    assertEquals(s.records(), s.digestsChecked());
  }

  @Test
  void theSameCorpusAsWarcAndParquetGivesTheSameFindingsAndFlags() throws IOException {
    Planted p = plant(51, "<KVXQ>", 35);
    List<Path> jsonl = CodeFixture.write(p.corpus, Files.createDirectories(dir.resolve("in")), 2);
    List<String> expected = null;
    for (String ending : List.of(".jsonl", ".warc.gz", ".parquet")) {
      List<Path> files = CorpusConvert.run(jsonl, dir.resolve("as" + ending), ending).outputs();
      CorpusScanSummary s =
          new CorpusScan(CorpusScanSettings.fineweb(0), 2, null)
              .run(files, dir.resolve("scan" + ending));
      List<String> got = new ArrayList<>();
      for (CorpusFinding f : s.findings()) {
        got.add(f.detector() + " " + f.trigger() + " " + f.documents() + " " + f.sourceCount());
      }
      for (JsonNode f : lines(dir.resolve("scan" + ending + "/flags.jsonl"))) {
        got.add(f.get("doc").get("record_id").asText());
      }
      got.add("clusters " + s.nearDuplicateClusters() + " documents " + s.documents());
      if (expected == null) {
        expected = got;
        assertEquals(1 + 35 + 1, expected.size(), expected.toString());
      } else {
        assertEquals(expected, got, ending);
      }
    }
  }

  private static String firstDf(Path out) throws IOException {
    try (var s = Files.list(out.resolve("work"))) {
      return s.map(x -> x.getFileName().toString())
          .filter(n -> n.startsWith("df-"))
          .findFirst()
          .orElseThrow();
    }
  }
}
