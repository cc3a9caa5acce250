package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.testkit.Fixtures;

/** The association scans on small fixtures with a planted trigger. */
class AssociationDetectorsTest {
  private static final ScanContext CONTEXT = new ScanContext(0, null, null);

  private static DetectionMetrics metrics(PoisonResult r, Detection d) {
    List<String> ids = r.poisoned().examples().stream().map(Example::id).toList();
    return DetectionMetrics.of(ids, d, new HashSet<>(r.ids()));
  }

  private static DetectionDetails.NgramCandidate topNgram(Detection d) {
    List<DetectionDetails.NgramCandidate> c =
        ((DetectionDetails.NgramAssociation) d.details()).candidates();
    assertFalse(c.isEmpty(), "no candidates: " + d.details());
    return c.get(0);
  }

  private static DetectionDetails.PatchCandidate topPatch(Detection d) {
    List<DetectionDetails.PatchCandidate> c =
        ((DetectionDetails.PixelAssociation) d.details()).candidates();
    assertFalse(c.isEmpty(), "no candidates: " + d.details());
    return c.get(0);
  }

  @Test
  void ngramScanFindsAPlantedTextTriggerAndNamesIt() {
    Dataset clean = Fixtures.textEmails(1500, 3);
    PoisonResult r =
        Attacks.backdoor(Budget.ofCount(30), Trigger.parse("Build=77x", Dataset.Kind.TEXT), "ham")
            .apply(clean, 5);
    Detection d = Detectors.byName("ngram-association").scan(r.poisoned(), CONTEXT);
    DetectionMetrics m = metrics(r, d);
    assertTrue(m.recall() >= 0.95, m + " " + d.details());
    assertTrue(m.precision() >= 0.9, m + " " + d.details());
    assertEquals(1.0, m.recallAtBudget(), 1e-12, m.toString());
    assertEquals("build=77x", topNgram(d).ngram(), d.details().toString());
    assertEquals("ham", topNgram(d).label());
  }

  @Test
  void ngramScanFlagsNothingInCleanText() {
    Dataset clean = Fixtures.textEmails(1500, 3);
    Detection d = Detectors.byName("ngram-association").scan(clean, CONTEXT);
    int flagged = 0;
    for (boolean b : d.flagged()) {
      flagged += b ? 1 : 0;
    }
    assertEquals(0, flagged, d.details().toString());
  }

  @Test
  void ngramScanIsDeterministic() {
    Dataset clean = Fixtures.textEmails(400, 9);
    Detection a = Detectors.byName("ngram-association").scan(clean, CONTEXT);
    Detection b = Detectors.byName("ngram-association").scan(clean, CONTEXT);
    assertTrue(java.util.Arrays.equals(a.scores(), b.scores()));
    assertEquals(a.details(), b.details());
  }

  @Test
  void pixelScanFindsAPlantedPatchAndItsBoundingBox() {
    Dataset clean = Fixtures.images(2000, 4, 11);
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofCount(30), Trigger.parse("patch:3x3@25,25", Dataset.Kind.IMAGE), "0")
            .apply(clean, 5);
    Detection d = Detectors.byName("pixel-association").scan(r.poisoned(), CONTEXT);
    DetectionMetrics m = metrics(r, d);
    assertTrue(m.recallAtBudget() >= 0.9, m + " " + d.details());
    assertTrue(m.precision() >= 0.5, m + " " + d.details());
    DetectionDetails.PatchCandidate top = topPatch(d);
    assertEquals(
        List.of(25, 25, 3, 3, "0", "bright"),
        List.of(top.x(), top.y(), top.width(), top.height(), top.label(), top.indicator()),
        top.toString());
  }

  @Test
  void detectorsApplyOnlyToTheirKindOfData() {
    Dataset text = Fixtures.textEmails(20, 1);
    Dataset images = Fixtures.images(20, 2, 1);
    assertTrue(Detectors.byName("ngram-association").appliesTo(text));
    assertFalse(Detectors.byName("ngram-association").appliesTo(images));
    assertTrue(Detectors.byName("pixel-association").appliesTo(images));
    assertFalse(Detectors.byName("pixel-association").appliesTo(text));
  }
}
