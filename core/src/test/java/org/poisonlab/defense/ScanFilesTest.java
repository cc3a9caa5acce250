package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        new DetectionDetails.CvLoss(1, "rule", 5, 2));
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

  /** {@code d} with a tested trigger finding of p-value {@code p}, significant on its own. */
  private static Detection withFinding(Detection d, double p) {
    return withFinding(d, p, true, "ham");
  }

  /** {@code d} with a tested trigger finding on {@code target}. */
  private static Detection withFinding(Detection d, double p, boolean significant, String target) {
    return new Detection(
        d.method(),
        d.scores(),
        d.flagged(),
        d.details(),
        Finding.tested(d.method(), Finding.TRIGGER, significant, p, 3.0, "t", 2, "tok", target));
  }

  @Test
  void combinedFlagsComeOnlyFromFindingsThatHoldAndTheirScoresRank() throws IOException {
    Detection c = ScanFiles.combine(List.of(withFinding(single(), 0.001), other()));
    assertEquals(ScanFiles.COMBINED, c.method());
    // only d1's finding holds: its ranks (ties share) .25, .875, .5, .875 are the scores
    assertArrayEquals(new double[] {0.25, 0.875, 0.5, 0.875}, c.scores(), 1e-12);
    // d2 has no finding: its flags are its own, not the scan's
    assertArrayEquals(new boolean[] {false, true, false, true}, c.flagged());

    Path f = dir.resolve("c.json");
    ScanFiles.write(f, DATA, List.of(withFinding(single(), 0.001), other()));
    JsonNode root = Json.mapper().readTree(f.toFile());
    assertEquals("combined", root.get("method").asText());
    assertEquals(Findings.POISON_FOUND, root.get("verdict").asText());
    assertEquals(ids(1, 3), toList(root.get("flagged")));
    JsonNode f1 = root.get("findings").get(0);
    assertEquals("d1", f1.get("detector").asText());
    assertTrue(f1.get("significant").asBoolean());
    assertEquals(0.001, f1.get("p_value").asDouble(), 1e-12);
    assertEquals(0.001, f1.get("q_value").asDouble(), 1e-12);
    assertEquals("a.org", f1.get("sources").get(0).get("source").asText());
    assertEquals(Finding.UNTESTED, root.get("findings").get(1).get("kind").asText());
    assertEquals(ids(1, 3), toList(root.get("detectors").get("d1").get("flagged")));
    assertEquals(ids(2, 0, 1), toList(root.get("detectors").get("d2").get("flagged")));
  }

  @Test
  void withoutAFindingThatHoldsNothingIsFlaggedAndEveryDetectorRanks() {
    // d1 at p = 0.03 is significant alone, but not after Benjamini-Hochberg over three findings
    Detection third =
        withFinding(new Detection("d3", new double[4], new boolean[4]), 0.5, false, null);
    Detection second = withFinding(other(), 0.6, false, null);
    List<Detection> ds = List.of(withFinding(single(), 0.03), second, third);
    List<Finding> f = Findings.control(ds, 0.05);
    assertEquals(0.09, f.get(0).qValue(), 1e-12);
    assertFalse(f.get(0).significant());
    assertEquals(Findings.NOTHING_SIGNIFICANT, Findings.verdict(f));
    Detection c = ScanFiles.combine(ds, 0.05);
    assertArrayEquals(new boolean[4], c.flagged());
    // every detector's ranks: d1 .25 .875 .5 .875, d2 .375 .375 1 .75, d3 all tied .625
    assertArrayEquals(new double[] {1.25 / 3, 1.875 / 3, 2.125 / 3, 2.25 / 3}, c.scores(), 1e-12);
    // at a looser rate it holds
    assertTrue(Findings.control(ds, 0.1).get(0).significant());
  }

  @Test
  void aLooserFindingThatFlagsMostlyNewExamplesAddsThem() {
    // the sharp scan saw one of three poisons; the looser finding's flags are mostly beyond it
    Detection content =
        withFinding(
            new Detection(
                "ngram-association",
                new double[] {1, 0, 0, 0},
                new boolean[] {true, false, false, false}),
            1e-6,
            true,
            "ham");
    Detection group =
        withFinding(
            new Detection(
                "activation-clustering",
                new double[] {1, 1, 1, 0},
                new boolean[] {true, true, true, false}),
            1e-6,
            true,
            "ham");
    assertArrayEquals(
        new boolean[] {true, true, true, false},
        ScanFiles.combine(List.of(content, group)).flagged());
  }

  @Test
  void aLooserFindingWhoseFlagsTheSharperMostlyHoldIsSetAsideAndOneLevelUnites() {
    // the content-level finding is used even with the larger p-value; a looser one on its target
    // is set aside, and two of the same level are united
    Detection content =
        withFinding(
            new Detection(
                "pixel-association",
                new double[] {0, 1, 0, 0, 0},
                new boolean[] {false, true, false, false, false}),
            1e-3,
            true,
            "ham");
    Detection inversion =
        withFinding(
            new Detection(
                "neural-cleanse",
                new double[] {0, 1, 1, 0, 0},
                new boolean[] {false, true, true, false, false}),
            1e-9,
            true,
            "ham");
    Detection groupA =
        withFinding(
            new Detection(
                "spectral",
                new double[] {1, 0, 0, 0, 0},
                new boolean[] {true, false, false, false, false}),
            1e-4,
            true,
            "spam");
    Detection groupB =
        withFinding(
            new Detection(
                "activation-clustering",
                new double[] {0, 0, 0, 1, 0},
                new boolean[] {false, false, false, true, false}),
            1e-6,
            true,
            "spam");
    List<Detection> all = List.of(inversion, content, groupA, groupB);
    List<Finding> f = Findings.control(all, 0.05);
    assertArrayEquals(
        new boolean[] {false, true, true, true},
        Findings.used(f, all.stream().map(Detection::flagged).toList()));
    assertArrayEquals(
        new boolean[] {true, true, false, true, false}, ScanFiles.combine(all).flagged());
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
