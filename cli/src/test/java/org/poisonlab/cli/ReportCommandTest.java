package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.Json;
import org.poisonlab.report.Section;

/** {@code poisonlab report} on the command line, without a browser. */
class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void aMissingRunFolderIsOneLineAndExitCodeTwo() {
    Cli.Run r = Cli.run("report", dir.resolve("nope").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("nope"), r.err());
  }

  @Test
  void aMalformedTableIsNamedWithFileAndLine() throws Exception {
    Files.writeString(dir.resolve("table.json"), "{\n  \"rows\": [\n    oops\n");
    Cli.Run r = Cli.run("report", dir.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("table.json:3"), r.err());
    assertFalse(Files.exists(dir.resolve("report.html")), "nothing written on bad input");
  }

  @Test
  void jsonListsTheRenderedAndTheAbsentSections() throws Exception {
    Files.writeString(dir.resolve("run.json"), "{\"command\": \"x\", \"seed\": 1}");
    Path out = dir.resolve("sub").resolve("r.html");
    Cli.Run r = Cli.run("report", dir.toString(), "--out", out.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(out.toString(), j.path("out").asText());
    assertEquals(Files.size(out), j.path("bytes").asLong());
    assertEquals("[\"run\"]", j.path("rendered").toString());
    assertEquals(Section.values().length - 1, j.path("absent").size());
  }
}
