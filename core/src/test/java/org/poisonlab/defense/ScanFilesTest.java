package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

class ScanFilesTest {
  @TempDir Path dir;

  private static final Dataset DATA =
      new Dataset(
          "t",
          List.of(
              Example.ofText("zero", "ham", "b.org"),
              Example.ofText("one", "spam", "a.org"),
              Example.ofText("two", "ham", null),
              Example.ofText("three", "spam", "a.org")));

  private static Detection single() {
    return new Detection(
        "d1",
        new double[] {0.1, 0.9, 0.5, 0.9},
        new boolean[] {false, true, false, true},
        new DetectionDetails.CvLoss(1, "rule", 5, 2, 0.5));
  }

  private static List<String> ids(int... positions) {
    List<String> out = new ArrayList<>();
    for (int p : positions) {
      out.add(DATA.get(p).id());
    }
    return out;
  }

  @Test
  void scanFileListsScoresHighestFirstTiesByPositionWithFlagsAndSources() {
    Path f = dir.resolve("flags.json");
    ScanFiles.write(f, DATA, List.of(single()));
    ScanFiles.ScanFile s = ScanFiles.read(f);
    assertEquals("d1", s.method());
    assertEquals(ids(1, 3, 2, 0), s.scores().stream().map(ScanFiles.Entry::id).toList());
    assertEquals(0.9, s.scores().get(0).score(), 0);
    assertEquals("a.org", s.scores().get(0).source());
    assertEquals(ids(1, 3), s.flagged());
    assertEquals(
        List.of(
            new ScanFiles.SourceCount("a.org", 2, 2),
            new ScanFiles.SourceCount("b.org", 0, 1),
            new ScanFiles.SourceCount(null, 0, 1)),
        s.sources());
  }

  @Test
  void sameDetectionsGiveTheSameBytes() throws IOException {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    ScanFiles.write(a, DATA, List.of(single(), other()));
    ScanFiles.write(b, DATA, List.of(single(), other()));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  private static Detection other() {
    return new Detection("d2", new double[] {0, 0, 5, 1}, new boolean[] {true, true, true, false});
  }

  @Test
  void combinedScoreIsTheMeanNormalisedRankAndOverEagerFlagsAreIgnored() throws IOException {
    Detection c = ScanFiles.combine(List.of(single(), other()));
    assertEquals(ScanFiles.COMBINED, c.method());
    // d1 ranks (ties share): .25, .875, .5, .875; d2: .375, .375, 1, .75
    assertArrayEquals(new double[] {0.3125, 0.625, 0.75, 0.8125}, c.scores(), 1e-12);
    // d2 flags 3 of 4 (more than half): only d1's flags count
    assertArrayEquals(new boolean[] {false, true, false, true}, c.flagged());

    Path f = dir.resolve("c.json");
    ScanFiles.write(f, DATA, List.of(single(), other()));
    JsonNode root = Json.mapper().readTree(f.toFile());
    assertEquals("combined", root.get("method").asText());
    assertEquals(DATA.get(3).id(), root.get("scores").get(0).get("id").asText());
    assertEquals(ids(1, 3), toList(root.get("detectors").get("d1").get("flagged")));
    assertEquals(ids(2, 0, 1), toList(root.get("detectors").get("d2").get("flagged")));
  }

  private static List<String> toList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void malformedScanFileIsNamedWithItsLine() throws IOException {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\n  \"method\": \"x\",\n  \"scores\": [,\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ScanFiles.read(f));
    assertEquals(f, e.file());
    assertEquals(3, e.line());
  }

  @Test
  void scanFileWithoutFlaggedIdsIsRejected() throws IOException {
    Path f = dir.resolve("noflags.json");
    Files.writeString(f, "{\"method\": \"x\", \"scores\": []}");
    BadInputException e = assertThrows(BadInputException.class, () -> ScanFiles.read(f));
    assertTrue(e.getMessage().contains("flagged"), e.getMessage());
  }
}
