package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class DetectorRegistryTest {
  @Test
  void everyRegisteredNameBuildsTheDetectorOfThatName() {
    for (String name : Detectors.names()) {
      assertEquals(name, Detectors.byName(name).name());
      assertEquals(name, Detectors.byName(name, Map.of()).name());
    }
    assertEquals(Detectors.names().size(), Detectors.all().size());
  }

  @Test
  void aDetectorAddedByTheContributingStepsIsFoundByNameAndScans() {
    List<String> names = Detectors.names();
    assertEquals("text-length", names.get(names.size() - 1), names.toString());
    assertEquals(List.of("factor"), Detectors.optionNames("text-length"));
    List<Example> docs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      docs.add(Example.ofText("a short mail number " + i, i % 2 == 0 ? "ham" : "spam", "s"));
    }
    docs.add(Example.ofText("x".repeat(2000), "ham", "odd.example"));
    Dataset d = new Dataset("docs", docs);
    Detector det = Detectors.byName("text-length", Map.of("factor", "10"));
    assertTrue(det.appliesTo(d));
    boolean[] flagged = det.scan(d, new ScanContext(0, null, null)).flagged();
    boolean[] expected = new boolean[41];
    expected[40] = true;
    assertArrayEquals(expected, flagged);
  }

  @Test
  void optionsAreCheckedWithOneLineNamingDetectorOptionAndValue() {
    BadInputException bad =
        assertThrows(
            BadInputException.class, () -> Detectors.byName("spectral", Map.of("epsilon", "1.5")));
    assertEquals("detector spectral option epsilon=1.5 is not in (0, 1)", bad.getMessage());
    BadInputException unknown =
        assertThrows(BadInputException.class, () -> Detectors.byName("knn", Map.of("k", "3")));
    assertEquals("detector knn has no option 'k'; it takes none", unknown.getMessage());
  }

  @Test
  void snakeCaseOptionNamesStillWork() {
    Detector d = Detectors.byName("ngram-association", Map.of("min_docs", "7"));
    assertEquals("ngram-association", d.name());
  }
}
