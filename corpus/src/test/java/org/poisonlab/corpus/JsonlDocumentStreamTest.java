package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.Sha1;

class JsonlDocumentStreamTest {
  @TempDir Path dir;

  @Test
  void documentsCarryByteOffsetsSourcesAndBadLinesAreReportedWithTheirOffset() throws IOException {
    String l1 = "{\"id\":\"a\",\"text\":\"héllo\",\"url\":\"https://ex.org/x\"}\n";
    String l2 = "{not json\n";
    String l3 = "\n";
    String l4 = "{\"text\":\"two\",\"source\":\"s2\"}";
    Path f = dir.resolve("c.jsonl");
    Files.writeString(f, l1 + l2 + l3 + l4);
    int o2 = l1.getBytes(StandardCharsets.UTF_8).length;
    int o4 = o2 + l2.length() + l3.length();
    try (DocumentStream s = CorpusReaders.open(f)) {
      Document a = s.next();
      assertEquals(0, a.lineage().offset());
      assertEquals("a", a.lineage().recordId());
      assertEquals("ex.org", a.source());
      assertEquals("héllo", a.text());
      Document b = s.next();
      assertEquals(o4, b.lineage().offset());
      assertEquals("s2", b.source());
      assertEquals(Sha1.base32("two".getBytes(StandardCharsets.UTF_8)), b.lineage().digest());
      assertNull(s.next());
      assertEquals(1, s.badRecords().size());
      assertEquals(o2, s.badRecords().get(0).offset());
    }
  }

  /**
   * A second read gives the same documents at the same offsets without hashing texts: declared
   * digests are carried, none is made.
   */
  @Test
  void aRereadGivesTheSameDocumentsWithoutHashingTheirTexts() throws IOException {
    String sha = Sha1.base32("b\n\"c\"".getBytes(StandardCharsets.UTF_8));
    String lines =
        "{\"id\":\"a\",\"text\":\"plain\"}\n"
            + "{\"text\":\"b\\n\\\"c\\\"\",\"digest\":\""
            + sha
            + "\",\"n\":2}\n"
            + "{\"text\":\"caf\u00e9\",\"source\":\"s\"}\n";
    Path f = dir.resolve("r.jsonl");
    Files.writeString(f, lines);
    try (DocumentStream first = CorpusReaders.open(f);
        DocumentStream again = CorpusReaders.reread(f)) {
      for (int i = 0; i < 3; i++) {
        Document a = first.next();
        Document b = again.next();
        assertEquals(a.text(), b.text());
        assertEquals(a.source(), b.source());
        assertEquals(a.lineage().offset(), b.lineage().offset());
        assertEquals(i == 1 ? a.lineage().digest() : null, b.lineage().digest());
      }
      assertNull(first.next());
      assertNull(again.next());
      assertEquals(1, first.stats().digestsChecked());
      assertEquals(0, again.stats().digestsChecked());
    }
  }

  @Test
  void base32MatchesRfc4648Vectors() {
    assertEquals("MZXW6YQ", Sha1.base32Of("foob".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("MZXW6YTBOI", Sha1.base32Of("foobar".getBytes(StandardCharsets.US_ASCII)));
  }
}
