package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;
import org.quicktheories.core.Gen;

class ExampleSourceTest {
  @TempDir Path dir;

  private static final String FIXTURE =
      "{\"id\":\"mine-1\",\"text\":\"a\",\"label\":\"x\",\"meta\":{\"b\":[1,2.50]}}\n"
          + "\n"
          + "{\"prompt\":\"p\",\"completion\":\"c\",\"label\":\"y\",\"source\":\"s\"}\r\n"
          + "   \n"
          + "{\"text\":\"b\",\"label\":\"x\",\"score\":0.1000000000000000055511151231257827,"
          + "\"flag\":null}\n"
          + "{\"text\":\"\u00e9t\u00e9 \ud83d\ude00\",\"label\":\"z\",\"source\":null}";

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  /** One pass through the iterator, the way a streaming consumer reads. */
  static List<Example> stream(ExampleSource s) {
    List<Example> out = new ArrayList<>();
    try (Stream<Example> examples = s.open()) {
      for (Iterator<Example> it = examples.iterator(); it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }

  /** The JSONL bytes of examples: equal bytes mean equal fields, extra fields in the same order. */
  private static String jsonl(List<Example> examples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExampleJsonl.write(out, examples);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The in-memory reading, line by line through {@link ExampleJsonl#parse}. */
  private static List<Example> parsedLineByLine(Path file) throws Exception {
    List<Example> out = new ArrayList<>();
    String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (!line.isBlank()) {
        out.add(ExampleJsonl.parse(file, i + 1, line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  private Path gzipCopy(Path file) throws Exception {
    Path gz = dir.resolve(file.getFileName() + ".gz");
    Files.write(gz, IdxTest.gzip(Files.readAllBytes(file)));
    return gz;
  }

  @Test
  void streamGivesTheExamplesOfTheInMemoryReaderOnAFixture() throws Exception {
    Path in = write("fixture.jsonl", FIXTURE);
    List<Example> streamed = stream(ExampleJsonl.source(in));
    Dataset loaded = ExampleJsonl.read(in);
    assertEquals(4, streamed.size());
    assertEquals(loaded.examples(), streamed);
    assertEquals(parsedLineByLine(in), streamed);
    assertEquals(
        List.of("mine-1", loaded.get(1).id(), loaded.get(2).id(), loaded.get(3).id()),
        streamed.stream().map(Example::id).toList());
    assertEquals(List.of("score", "flag"), List.copyOf(streamed.get(2).extra().keySet()));
    assertEquals(jsonl(loaded.examples()), jsonl(streamed));
    assertEquals(jsonl(streamed), jsonl(stream(ExampleJsonl.source(gzipCopy(in)))));
  }

  @Test
  void streamAgreesWithTheInMemoryReaderOnRandomFiles() {
    Gen<List<Example>> files = ExampleJsonlTest.files(8);
    Path file = dir.resolve("random.jsonl");
    qt().withFixedSeed(20251205L)
        .withExamples(200)
        .forAll(files)
        .checkAssert(
            examples -> {
              ExampleJsonl.write(file, examples);
              List<Example> streamed = stream(ExampleJsonl.source(file));
              try {
                assertEquals(parsedLineByLine(file), streamed);
                assertEquals(jsonl(streamed), jsonl(stream(ExampleJsonl.source(gzipCopy(file)))));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
              assertEquals(examples, streamed);
              assertEquals(jsonl(examples), jsonl(streamed));
              assertEquals(jsonl(ExampleJsonl.read(file).examples()), jsonl(streamed));
            });
  }

  @Test
  void badLineInTheMiddleNamesFileAndLineAfterHandingOverTheLinesBefore() throws Exception {
    Path in =
        write(
            "mid.jsonl",
            "{\"text\":\"a\",\"label\":\"x\"}\n\n{\"text\":\"b\",\"label\":\"y\"}\n"
                + "{\"text\":\"c\"}\n{\"text\":\"d\",\"label\":\"y\"}\n");
    List<Example> seen = new ArrayList<>();
    BadInputException e =
        assertThrows(BadInputException.class, () -> ExampleJsonl.source(in).forEach(seen::add));
    assertEquals(in, e.file());
    assertEquals(4, e.line());
    assertTrue(e.getMessage().startsWith(in + ":4: missing field \"label\""), e.getMessage());
    assertEquals(List.of("a", "b"), seen.stream().map(Example::text).toList());

    BadInputException gz =
        assertThrows(
            BadInputException.class, () -> ExampleJsonl.source(gzipCopy(in)).forEach(x -> {}));
    assertEquals(4, gz.line());

    List<BadInputException> skipped = new ArrayList<>();
    List<Example> kept = stream(ExampleJsonl.source(in, skipped::add));
    assertEquals(List.of("a", "b", "d"), kept.stream().map(Example::text).toList());
    assertEquals(List.of(4L), skipped.stream().map(BadInputException::line).toList());
  }

  @Test
  void missingFileFailsWhenAPassOpensNotBefore() {
    ExampleSource s = ExampleJsonl.source(dir.resolve("absent.jsonl"));
    assertEquals("absent.jsonl", s.name());
    BadInputException e = assertThrows(BadInputException.class, s::open);
    assertEquals(0, e.line());
    assertTrue(e.getMessage().endsWith("no such file"), e.getMessage());
  }

  @Test
  void truncatedGzipIsBadInputNotACrash() throws Exception {
    Path in = write("t.jsonl", FIXTURE);
    byte[] gz = IdxTest.gzip(Files.readAllBytes(in));
    Path cut = Files.write(dir.resolve("cut.jsonl.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
    BadInputException e =
        assertThrows(BadInputException.class, () -> ExampleJsonl.source(cut).forEach(x -> {}));
    assertEquals(cut, e.file());
  }

  @Test
  void everyPassStartsAgainAndKindAndSizeAreUnknownUpFront() throws Exception {
    ExampleSource s = ExampleJsonl.source(write("twice.jsonl", FIXTURE));
    assertTrue(s.knownKind().isEmpty());
    assertTrue(s.knownSize().isEmpty());
    assertEquals(jsonl(stream(s)), jsonl(stream(s)));
    assertEquals(stream(s), s.load().examples());
    assertEquals("twice.jsonl", s.load().name());
  }

  @Test
  void aDatasetIsItsOwnSourceWithKindAndSizeKnown() {
    Dataset d =
        new Dataset("mem", List.of(Example.ofText("a", "x", null), Example.ofText("b", "y", "s")));
    assertSame(d, d.load());
    assertEquals(OptionalLong.of(2), d.knownSize());
    assertEquals(Dataset.Kind.TEXT, d.knownKind().orElseThrow());
    assertEquals(d.examples(), stream(d));
    List<Example> seen = new ArrayList<>();
    d.forEach(seen::add);
    assertEquals(d.examples(), seen);
  }

  @Test
  void contentHashOfAStreamEqualsTheDatasetsHash() {
    Dataset d =
        new Dataset("mem", List.of(Example.ofText("a", "x", null), Example.ofText("b", "y", "s")));
    ContentHash h = new ContentHash();
    d.open().forEach(h);
    assertEquals(2, h.count());
    String fed = d.get(0).id() + "\0x\n" + d.get(1).id() + "\0y\n";
    String expected;
    try {
      expected =
          "sha256:"
              + java.util.HexFormat.of()
                  .formatHex(
                      java.security.MessageDigest.getInstance("SHA-256")
                          .digest(fed.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    assertEquals(expected, h.value());
    assertEquals(expected, d.contentHash());
  }
}
