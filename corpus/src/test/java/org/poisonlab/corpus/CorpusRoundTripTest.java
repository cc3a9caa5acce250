package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.poisonlab.io.BadInputException;

class CorpusRoundTripTest {
  @TempDir Path dir;

  static List<Document> documents() {
    return List.of(
        doc("doc-1", "https://example.org/a?q=1", "example.org", "plain text", null),
        doc(
            "urn:uuid:0b8f5e3a-6a57-4c1e-9d2f-0f1c2d3e4f50",
            "http://ex.net/",
            "feed-7",
            "é ü 中文 🙂",
            null),
        doc(
            "id with spaces/and%",
            null, "forum", "two\r\nlines\n\nand a blank", "2024-03-01T12:00:00Z"),
        doc("sha256:abc", "not a url", "s", "", null),
        doc("x", "file:///tmp/x.txt", "local", "{\"json\": \"inside\"}", "yesterday"));
  }

  private static Document doc(String id, String url, String source, String text, String time) {
    return new Document(new Lineage("in", 0, id, null, url, time), source, text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"c.jsonl", "c.jsonl.gz", "c.jsonl.zst", "c.parquet", "c.warc", "c.warc.gz"})
  void documentsReadBackWithTheirTextIdUrlAndSource(String name) throws IOException {
    Path f = dir.resolve(name);
    write(f, documents());
    List<Document> back = new ArrayList<>();
    try (DocumentStream s = CorpusReaders.open(f)) {
      for (Document d = s.next(); d != null; d = s.next()) {
        back.add(d);
      }
      assertEquals(List.of(), s.badRecords());
      ReadStats st = s.stats();
      assertEquals(documents().size(), st.documents());
      assertEquals(st.records(), st.documents() + st.skipped() + st.bad());
      assertEquals(1.0, st.digestCoverage());
    }
    assertEquals(documents().size(), back.size(), name);
    for (int i = 0; i < back.size(); i++) {
      Document want = documents().get(i);
      Document got = back.get(i);
      assertEquals(want.text(), got.text(), name + " text " + i);
      assertEquals(want.lineage().recordId(), got.lineage().recordId(), name + " id " + i);
      assertEquals(want.lineage().url(), got.lineage().url(), name + " url " + i);
      assertEquals(want.source(), got.source(), name + " source " + i);
      assertEquals(f.toString(), got.lineage().file());
    }
    if (name.startsWith("c.warc")) {
      // every WARC record here declares both digests, and every one was checked
      try (DocumentStream s = CorpusReaders.open(f)) {
        while (s.next() != null) {}
        assertEquals(documents().size(), s.stats().digestRecords());
        assertEquals(documents().size(), s.stats().digestsChecked());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"c.jsonl.gz", "c.jsonl.zst", "c.parquet", "c.warc", "c.warc.gz"})
  void theSameDocumentsGiveTheSameBytes(String name) throws IOException {
    Path a = dir.resolve("a").resolve(name);
    Path b = dir.resolve("b").resolve(name);
    write(a, documents());
    write(b, documents());
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void nothingAppearsUntilCloseAndAbortLeavesNoFile() throws IOException {
    Path f = dir.resolve("c.warc.gz");
    try (DocumentWriter w = CorpusWriters.create(f)) {
      w.write(documents().get(0));
      assertFalse(Files.exists(f));
    }
    assertTrue(Files.exists(f));
    Path g = dir.resolve("d.jsonl");
    try (DocumentWriter w = CorpusWriters.create(g)) {
      w.write(documents().get(0));
      w.abort();
    }
    assertFalse(Files.exists(g));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("c.warc.gz"), left.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void unknownEndingsAreRejectedNamingTheFile() throws IOException {
    Path f = dir.resolve("corpus.txt");
    Files.writeString(f, "hello");
    BadInputException read = assertThrows(BadInputException.class, () -> CorpusReaders.open(f));
    assertTrue(read.getMessage().contains("corpus.txt"), read.getMessage());
    BadInputException stream =
        assertThrows(
            BadInputException.class,
            () -> CorpusReaders.open("hdfs/corpus.csv", Files.newInputStream(f)));
    assertTrue(stream.getMessage().contains("corpus.csv"), stream.getMessage());
    BadInputException write =
        assertThrows(BadInputException.class, () -> CorpusWriters.create(dir.resolve("o.tsv")));
    assertTrue(write.getMessage().contains("o.tsv"), write.getMessage());
  }

  static void write(Path f, List<Document> docs) throws IOException {
    try (DocumentWriter w = CorpusWriters.create(f)) {
      for (Document d : docs) {
        w.write(d);
      }
    }
  }
}
