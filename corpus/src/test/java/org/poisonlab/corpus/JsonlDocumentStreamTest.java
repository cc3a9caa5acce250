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

  @Test
  void base32MatchesRfc4648Vectors() {
    assertEquals("MZXW6YQ", Sha1.base32Of("foob".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("MZXW6YTBOI", Sha1.base32Of("foobar".getBytes(StandardCharsets.US_ASCII)));
  }
}
