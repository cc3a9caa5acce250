package org.poisonlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.corpus.CorpusPlanter;
import org.poisonlab.corpus.CorpusReaders;
import org.poisonlab.corpus.CorpusScan;
import org.poisonlab.corpus.CorpusScanSettings;
import org.poisonlab.corpus.CorpusScanSummary;
import org.poisonlab.corpus.CorpusWriters;
import org.poisonlab.corpus.Document;
import org.poisonlab.corpus.DocumentStream;
import org.poisonlab.corpus.DocumentWriter;
import org.poisonlab.corpus.PlantRequest;
import org.poisonlab.corpus.PlantResult;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

class SparkCorpusScanTest {
  private static JavaSparkContext sc;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(SparkCorpusScan.conf("local[2]"));
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  @Test
  void sparkScanWritesTheLocalScansFilesByteForByte() throws IOException {
    long seed = 17;
    List<Path> inputs = TestCorpus.write(dir.resolve("in"), 4, 70, 30, 14, seed);
    CorpusScanSettings settings = CorpusScanSettings.fineweb(0);
    String why = "corpus seed " + seed;
    CorpusScanSummary expected = sameFiles(inputs, settings, why);
    assertTrue(expected.documents() > 300, why);
    assertTrue(
        expected.findings().stream()
            .anyMatch(f -> f.detector().equals("trigger-burst") && f.trigger().contains("SUDO")),
        why + ": " + expected.findings());
    assertTrue(
        expected.findings().stream().anyMatch(f -> f.detector().equals("templated")),
        why + ": " + expected.findings());
    assertTrue(expected.nearDuplicateClusters() >= 10, why);
    assertTrue(expected.exactDuplicates() >= 1, why);
    assertEquals(1, expected.badRecords(), why);
    Map<String, Integer> flagged = flaggedByKind(dir.resolve("spark"));
    assertTrue(flagged.getOrDefault("p/trigger-burst", 0) >= 30, why + ": " + flagged);
    assertTrue(flagged.getOrDefault("t/templated", 0) >= 14, why + ": " + flagged);
  }

  /**
   * The planting generator on the test corpus: bursts with its own trigger, templated documents,
   * near-duplicates and split-view substitutions, in several shards of uneven length.
   */
  @Test
  void plantedCorpusGivesTheSameFiles() throws IOException {
    long seed = 3;
    // the generator draws its random text from the corpus' words: the burst documents of the test
    // corpus bring a large vocabulary
    List<Path> clean = TestCorpus.write(dir.resolve("clean"), 3, 60, 12, 0, seed);
    Path planted = dir.resolve("planted");
    PlantResult plant =
        CorpusPlanter.plant(
            new PlantRequest(
                clean, planted, dir.resolve("truth.jsonl"), seed, 30, null, 15, 15, 3, 96 << 10),
            null);
    List<Path> files;
    try (Stream<Path> l = Files.list(planted)) {
      files = l.sorted().toList();
    }
    String why = "plant seed " + seed + ", " + files.size() + " shards";
    CorpusScanSummary s = sameFiles(files, CorpusScanSettings.fineweb(0), why);
    assertTrue(files.size() >= 2, why);
    assertTrue(
        s.findings().stream().anyMatch(f -> f.trigger().equals(plant.trigger())),
        why + ": trigger " + plant.trigger() + " not named in " + s.findings());
    assertTrue(
        s.findings().stream().anyMatch(f -> f.detector().equals("templated")),
        why + ": " + s.findings());
    assertTrue(s.nearDuplicateClusters() >= 10, why);
  }

  /** Parquet goes through its Hadoop input file on Spark, WARC and JSONL through a stream. */
  @Test
  void parquetAndWarcCopiesGiveTheSameFiles() throws IOException {
    List<Path> jsonl = TestCorpus.write(dir.resolve("in"), 2, 50, 10, 8, 23);
    List<Path> copies = new ArrayList<>();
    String[] endings = {".parquet", ".warc.gz"};
    for (int i = 0; i < jsonl.size(); i++) {
      Path copy = dir.resolve("copy-" + i + endings[i]);
      try (DocumentStream in = CorpusReaders.open(jsonl.get(i));
          DocumentWriter out = CorpusWriters.create(copy)) {
        Document d;
        while ((d = in.next()) != null) {
          out.write(d);
        }
      }
      copies.add(copy);
    }
    CorpusScanSummary s = sameFiles(copies, CorpusScanSettings.fineweb(0), "corpus seed 23");
    assertTrue(s.documents() > 100, "corpus seed 23: " + s.documents());
  }

  @Test
  void oneShardAndOtherBandsAlsoMatch() throws IOException {
    List<Path> inputs = TestCorpus.write(dir.resolve("in"), 1, 120, 8, 6, 5);
    sameFiles(inputs, new CorpusScanSettings(20, 5, 0.6, 0.01, 5, 3, 9), "corpus seed 5");
  }

  /** Scans {@code inputs} locally and on Spark, checks the three files match, and returns. */
  private CorpusScanSummary sameFiles(List<Path> inputs, CorpusScanSettings settings, String why)
      throws IOException {
    Path local = dir.resolve("local");
    Path spark = dir.resolve("spark");
    CorpusScanSummary expected = new CorpusScan(settings, 2, null).run(inputs, local);
    CorpusScanSummary actual =
        new SparkCorpusScan(sc, settings, null)
            .run(inputs.stream().map(Path::toString).toList(), spark.toString());
    assertEquals(expected, actual, why);
    for (String f : List.of("summary.json", "flags.jsonl", "clusters.jsonl")) {
      assertArrayEquals(
          Files.readAllBytes(local.resolve(f)),
          Files.readAllBytes(spark.resolve(f)),
          why + ": " + f);
    }
    return expected;
  }

  /** Flag lines by the first letter of the flagged record's id and the detector. */
  private static Map<String, Integer> flaggedByKind(Path out) throws IOException {
    Map<String, Integer> n = new HashMap<>();
    for (String line : Files.readAllLines(out.resolve("flags.jsonl"))) {
      var f = Json.mapper().readTree(line);
      String id = f.path("doc").path("record_id").asText();
      n.merge(id.charAt(0) + "/" + f.path("detector").asText(), 1, Integer::sum);
    }
    return n;
  }

  @Test
  void missingInputIsRejectedNamingTheFile() {
    String missing = dir.resolve("nope.jsonl").toString();
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                new SparkCorpusScan(sc, CorpusScanSettings.fineweb(0), null)
                    .run(List.of(missing), dir.resolve("out").toString()));
    assertTrue(e.getMessage().startsWith(missing), e.getMessage());
  }

  @Test
  void unknownFormatIsRejectedBeforeAnyTask() throws IOException {
    Path csv = Files.writeString(dir.resolve("c.csv"), "a,b\n");
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                new SparkCorpusScan(sc, CorpusScanSettings.fineweb(0), null)
                    .run(List.of(csv.toString()), dir.resolve("out").toString()));
    assertTrue(e.getMessage().contains("unknown corpus format"), e.getMessage());
  }
}
