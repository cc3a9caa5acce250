package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ExampleJsonlTest {
  @TempDir Path dir;

  /** Any string of valid code points: lone surrogates cannot be written as UTF-8. */
  private static Gen<String> text(int maxLength) {
    return strings()
        .betweenCodePoints(0, 0x10FFFF)
        .ofLengthBetween(0, maxLength)
        .map(
            s -> {
              StringBuilder b = new StringBuilder();
              s.codePoints()
                  .forEach(
                      cp ->
                          b.appendCodePoint(
                              Character.getType(cp) == Character.SURROGATE ? 0xFFFD : cp));
              return b.toString();
            });
  }

  private static Gen<JsonNode> extraValue() {
    Gen<JsonNode> ints = integers().all().map(i -> (JsonNode) IntNode.valueOf(i));
    Gen<JsonNode> texts = text(8).map(s -> (JsonNode) TextNode.valueOf(s));
    Gen<JsonNode> bools = booleans().all().map(b -> (JsonNode) BooleanNode.valueOf(b));
    // scale >= 1: a decimal of scale 0 is written as an integer and read back as one
    Gen<JsonNode> decimals =
        integers()
            .between(-100000, 100000)
            .zip(
                integers().between(1, 6),
                (u, scale) -> (JsonNode) DecimalNode.valueOf(BigDecimal.valueOf(u, scale)));
    Gen<JsonNode> arrays =
        lists()
            .of(integers().between(-5, 5))
            .ofSizeBetween(0, 4)
            .map(
                l -> {
                  ArrayNode a = JsonNodeFactory.instance.arrayNode();
                  l.forEach(a::add);
                  return (JsonNode) a;
                });
    return Generate.oneOf(
        ints, texts, bools, decimals, arrays, Generate.constant((JsonNode) NullNode.getInstance()));
  }

  private static Gen<Map<String, JsonNode>> extras() {
    return lists()
        .of(
            strings()
                .basicLatinAlphabet()
                .ofLengthBetween(0, 5)
                .zip(extraValue(), (k, v) -> Map.entry("x_" + k, v)))
        .ofSizeBetween(0, 3)
        .map(
            l -> {
              Map<String, JsonNode> m = new LinkedHashMap<>();
              l.forEach(e -> m.put(e.getKey(), e.getValue()));
              return m;
            });
  }

  private static Gen<String> source() {
    return Generate.oneOf(Generate.constant((String) null), text(6));
  }

  private static Gen<String> id() {
    return Generate.oneOf(Generate.constant((String) null), text(10));
  }

  private static Gen<Example> textExample() {
    Gen<Example> plain =
        text(40)
            .zip(
                text(5),
                source(),
                id(),
                (t, l, s, i) -> Example.of(i, t, null, null, null, null, l, s, null));
    Gen<Example> pc =
        text(20)
            .zip(
                text(20),
                text(5),
                id(),
                (p, c, l, i) -> Example.of(i, null, p, c, null, null, l, null, null));
    return Generate.oneOf(plain, pc).zip(extras(), ExampleJsonlTest::withExtra);
  }

  private static Gen<Example> imageExample() {
    Gen<int[]> shapes =
        integers().between(1, 4).zip(integers().between(1, 4), (h, w) -> new int[] {h, w});
    return shapes
        .zip(
            integers().between(0, Integer.MAX_VALUE),
            (shape, seed) -> {
              byte[] px = new byte[shape[0] * shape[1]];
              java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
              for (int i = 0; i < px.length; i++) {
                px[i] = (byte) r.nextInt(256);
              }
              return Example.ofImage(
                  px,
                  shape,
                  "c" + r.nextInt(3),
                  r.nextBoolean() ? null : "contributor-" + r.nextInt(9));
            })
        .zip(extras(), ExampleJsonlTest::withExtra);
  }

  private static Example withExtra(Example e, Map<String, JsonNode> extra) {
    return Example.of(
        e.id(),
        e.text(),
        e.prompt(),
        e.completion(),
        e.pixels(),
        e.shape(),
        e.label(),
        e.source(),
        extra);
  }

  /** Lists of up to {@code max} examples, all text or all images. */
  static Gen<List<Example>> files(int max) {
    return booleans()
        .all()
        .flatMap(image -> lists().of(image ? imageExample() : textExample()).ofSizeBetween(0, max));
  }

  @Test
  void writeThenReadGivesEqualExamples() {
    Gen<List<Example>> files = files(6);
    Path file = dir.resolve("round.jsonl");
    qt().withFixedSeed(20240601L)
        .withExamples(300)
        .forAll(files)
        .checkAssert(
            examples -> {
              ExampleJsonl.write(file, examples);
              List<Example> back = ExampleJsonl.read(file).examples();
              assertEquals(examples, back);
              for (int i = 0; i < examples.size(); i++) {
                assertEquals(
                    List.copyOf(examples.get(i).extra().keySet()),
                    List.copyOf(back.get(i).extra().keySet()));
              }
            });
  }

  @Test
  void streamWriterUsesTheContractFieldOrderAndOmitsNullSource() {
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    extra.put("zeta", IntNode.valueOf(1));
    extra.put("alpha", TextNode.valueOf("a"));
    Example img =
        Example.of(
            null, null, null, null, new byte[] {0, (byte) 255}, new int[] {1, 2}, "7", null, extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExampleJsonl.write(out, List.of(img));
    String line = out.toString(StandardCharsets.UTF_8);
    assertEquals(
        "{\"id\":\""
            + img.id()
            + "\",\"pixels\":[0,255],\"shape\":[1,2],\"label\":\"7\",\"zeta\":1,\"alpha\":\"a\"}\n",
        line);
    Example pc = Example.ofPromptCompletion("p", "c", "ok", "s");
    out.reset();
    ExampleJsonl.write(out, List.of(pc));
    assertEquals(
        "{\"id\":\""
            + pc.id()
            + "\",\"prompt\":\"p\",\"completion\":\"c\",\"label\":\"ok\",\"source\":\"s\"}\n",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyLineStartsWithItsObject() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExampleJsonl.write(
        out,
        List.of(
            Example.ofText("a", "ham", null),
            Example.ofText("b", "spam", null),
            Example.ofText("c", "ham", null)));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertEquals(4, lines.length);
    for (int i = 0; i < 3; i++) {
      assertEquals('{', lines[i].charAt(0), "line " + (i + 1) + ": " + lines[i]);
    }
    assertEquals("", lines[3]);
  }

  @Test
  void unknownFieldsAreKeptInOrderAndWrittenBackUnchanged() throws Exception {
    Path in =
        write(
            "{\"text\":\"hi\",\"meta\":{\"b\":[1,2.50]},\"label\":\"ham\",\"url\":\"http://x\",\"score\":0.1000000000000000055511151231257827}\n");
    Example e = ExampleJsonl.read(in).get(0);
    assertEquals(List.of("meta", "url", "score"), List.copyOf(e.extra().keySet()));
    Path out = dir.resolve("out.jsonl");
    ExampleJsonl.write(out, List.of(e));
    String written = Files.readString(out);
    assertTrue(
        written.contains(
            "\"meta\":{\"b\":[1,2.50]},\"url\":\"http://x\",\"score\":0.1000000000000000055511151231257827}"),
        written);
  }

  @Test
  void idIsKeptWhenGivenAndDerivedFromContentOtherwise() throws Exception {
    Path in =
        write(
            "{\"id\":\"mine-1\",\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"a\",\"label\":\"x\"}\n");
    Dataset d = ExampleJsonl.read(in);
    assertEquals("mine-1", d.get(0).id());
    assertEquals(Example.ofText("a", "x", null).id(), d.get(1).id());
    assertEquals("in.jsonl", d.name());
  }

  @Test
  void blankLinesAreSkippedAndLineNumbersStillCountThem() throws Exception {
    Path in =
        write(
            "\n{\"text\":\"a\",\"label\":\"x\"}\n   \n\r\n{\"text\":\"b\",\"label\":\"y\"}\n{oops\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ExampleJsonl.read(in));
    assertEquals(6, e.line());
    List<BadInputException> skipped = new ArrayList<>();
    Dataset d = ExampleJsonl.read(in, skipped::add);
    assertEquals(2, d.size());
    assertEquals(1, skipped.size());
    assertEquals(6, skipped.get(0).line());
  }

  @Test
  void malformedLineIsReportedWithFileAndLine() throws Exception {
    Path in =
        write(
            "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\",\"label\":\"y\"}\n{\"text\": \"c\", \"label\": \n");
    BadInputException e = assertThrows(BadInputException.class, () -> ExampleJsonl.read(in));
    assertTrue(e.getMessage().startsWith(in + ":3: malformed JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("in.jsonl:3:"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void eachStrictRuleNamesTheField() throws Exception {
    assertProblem("[1,2]", "expected a JSON object, found an array");
    assertProblem("{\"text\":\"a\"}", "missing field \"label\"");
    assertProblem(
        "{\"text\":\"a\",\"label\":3}", "field \"label\" must be a string, found a number");
    assertProblem(
        "{\"text\":\"a\",\"pixels\":[1],\"shape\":[1],\"label\":\"x\"}",
        "field \"pixels\" beside \"text\"");
    assertProblem("{\"label\":\"x\"}", "no content");
    assertProblem(
        "{\"pixels\":[1,256],\"shape\":[2],\"label\":\"x\"}",
        "field \"pixels\"[1] must be an integer 0..255, found 256");
    assertProblem(
        "{\"pixels\":[1,2.5],\"shape\":[2],\"label\":\"x\"}",
        "field \"pixels\"[1] must be an integer 0..255, found 2.5");
    assertProblem("{\"pixels\":[1,-1],\"shape\":[2],\"label\":\"x\"}", "field \"pixels\"[1]");
    assertProblem(
        "{\"pixels\":[1,2,3],\"shape\":[2,2],\"label\":\"x\"}",
        "field \"shape\" [2, 2] holds 4 pixels, but \"pixels\" has 3");
    assertProblem("{\"pixels\":[1],\"label\":\"x\"}", "field \"pixels\" without \"shape\"");
    assertProblem(
        "{\"pixels\":[1],\"shape\":[0],\"label\":\"x\"}",
        "field \"shape\"[0] must be a positive integer");
    assertProblem("{\"prompt\":\"p\",\"label\":\"x\"}", "field \"prompt\" without \"completion\"");
    assertProblem(
        "{\"text\":\"t\",\"prompt\":\"p\",\"completion\":\"c\",\"label\":\"x\"}",
        "field \"text\" beside \"prompt\"");
    assertProblem("{\"text\":5,\"label\":\"x\"}", "field \"text\" must be a string");
    assertProblem(
        "{\"text\":\"a\",\"label\":\"x\",\"label\":\"y\"}",
        "malformed JSON: Duplicate field 'label'");
    assertProblem("{\"text\":\"a\",\"label\":\"x\"} {}", "malformed JSON");
  }

  @Test
  void textAndImageExamplesCannotBeMixedInOneFile() throws Exception {
    Path in =
        write("{\"text\":\"a\",\"label\":\"x\"}\n{\"pixels\":[1],\"shape\":[1],\"label\":\"x\"}\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ExampleJsonl.read(in));
    assertEquals(2, e.line());
    assertTrue(e.problem().contains("image example in a file of text examples"), e.problem());
  }

  @Test
  void invalidUtf8IsAMalformedLine() throws Exception {
    Path in = dir.resolve("in.jsonl");
    byte[] bad =
        "{\"text\":\"a\u00e9\",\"label\":\"x\"}\n{\"text\":\"\u00ff\u00ff\",\"label\":\"x\"}\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(in, bad);
    BadInputException e = assertThrows(BadInputException.class, () -> ExampleJsonl.read(in));
    assertEquals(1, e.line());
    assertTrue(e.problem().startsWith("malformed JSON"), e.problem());
  }

  @Test
  void missingFileIsLineZeroNoSuchFile() {
    Path missing = dir.resolve("nope.jsonl");
    BadInputException e = assertThrows(BadInputException.class, () -> ExampleJsonl.read(missing));
    assertEquals(0, e.line());
    assertEquals("no such file", e.problem());
    assertEquals(missing, e.file());
  }

  @Test
  void jsonNullSourceReadsAsAbsentAndImagesKeepPixels() throws Exception {
    Path in = write("{\"pixels\":[0,128,255,7],\"shape\":[2,2],\"label\":\"3\",\"source\":null}\n");
    Example e = ExampleJsonl.read(in).get(0);
    assertNull(e.source());
    assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, 7}, e.pixels());
    assertArrayEquals(new int[] {2, 2}, e.shape());
  }

  @Test
  void writingAnExtraNamedLikeAKnownFieldIsRefused() {
    Example e =
        Example.of(
            null, "t", null, null, null, null, "x", null, Map.of("label", TextNode.valueOf("y")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ExampleJsonl.write(new ByteArrayOutputStream(), List.of(e)));
  }

  private void assertProblem(String line, String expected) throws Exception {
    Path in = write("{\"text\":\"ok\",\"label\":\"x\"}\n" + line + "\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ExampleJsonl.read(in), line);
    assertEquals(2, e.line(), line);
    assertTrue(e.problem().contains(expected), "for " + line + ": " + e.problem());
  }

  private Path write(String content) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, content, StandardCharsets.UTF_8);
    return in;
  }
}
