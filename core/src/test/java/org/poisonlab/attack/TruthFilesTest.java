package org.poisonlab.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;

class TruthFilesTest {
  @TempDir Path dir;

  @Test
  void writtenTruthReadsBack() {
    PoisonResult r =
        Attacks.backdoor(Budget.ofCount(4), null, "ham").apply(Fixtures.mail(10, 10), 3);
    Path f = dir.resolve("sub/truth.json");
    TruthFiles.write(f, r);
    TruthFiles.Truth t = TruthFiles.read(f);
    assertEquals(r.ids(), t.ids());
    assertEquals("backdoor", t.attack().get("kind").asText());
    assertEquals("ham", t.attack().get("target").asText());
    assertEquals(3, t.attack().get("seed").asInt());
    assertEquals(
        org.poisonlab.io.Json.mapper().valueToTree(r.spec().get("sources")),
        t.attack().get("sources"));
    assertEquals(4, t.idSet().size());
  }

  @Test
  void sameSeedWritesTheSameBytes() throws IOException {
    Attack a = Attacks.labelFlip(Budget.ofRate(0.2), FlipMode.uniform());
    TruthFiles.write(dir.resolve("a.json"), a.apply(Fixtures.threeClasses(30), 77));
    TruthFiles.write(dir.resolve("b.json"), a.apply(Fixtures.threeClasses(30), 77));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.json")), Files.readAllBytes(dir.resolve("b.json")));
  }

  @Test
  void layoutIsSortedIndentedJson() {
    PoisonResult r =
        new PoisonResult(
            Fixtures.mail(1, 1),
            Map.of("seed", 1L, "kind", "x", "budget", Map.of("rate", 0.5, "count", 1)),
            List.of("sha256:aa", "sha256:bb"));
    String expected =
        "{\n"
            + "  \"attack\": {\n"
            + "    \"budget\": {\n"
            + "      \"count\": 1,\n"
            + "      \"rate\": 0.5\n"
            + "    },\n"
            + "    \"kind\": \"x\",\n"
            + "    \"seed\": 1\n"
            + "  },\n"
            + "  \"ids\": [\n"
            + "    \"sha256:aa\",\n"
            + "    \"sha256:bb\"\n"
            + "  ]\n"
            + "}\n";
    assertEquals(expected, TruthFiles.toJson(r));
  }

  @Test
  void malformedJsonIsReportedWithFileAndLine() throws IOException {
    Path f = dir.resolve("bad.json");
    Files.write(
        f,
        "{\n  \"attack\": {},\n  \"ids\": [\n    \"a\",,\n  ]\n}\n"
            .getBytes(StandardCharsets.UTF_8));
    BadInputException e = assertThrows(BadInputException.class, () -> TruthFiles.read(f));
    assertEquals(f, e.file());
    assertEquals(4, e.line());
  }

  @Test
  void missingPartsAndFilesAreReported() throws IOException {
    Path noIds = dir.resolve("noids.json");
    Files.writeString(noIds, "{\"attack\": {\"kind\": \"x\"}}");
    BadInputException e = assertThrows(BadInputException.class, () -> TruthFiles.read(noIds));
    assertTrue(
        e.getMessage().startsWith(noIds.toString()) && e.getMessage().contains("ids"),
        e.getMessage());
    Path numberId = dir.resolve("num.json");
    Files.writeString(numberId, "{\"attack\": {}, \"ids\": [1]}");
    assertThrows(BadInputException.class, () -> TruthFiles.read(numberId));
    BadInputException missing =
        assertThrows(BadInputException.class, () -> TruthFiles.read(dir.resolve("none.json")));
    assertTrue(missing.getMessage().contains("none.json"), missing.getMessage());
  }
}
