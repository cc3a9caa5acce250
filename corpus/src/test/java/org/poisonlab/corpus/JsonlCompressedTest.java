package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlCompressedTest {
  @TempDir Path dir;

  private static final String PART1 =
      "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n";
  private static final String PART2 =
      "{\"id\":\"c\",\"text\":\"three\"}\n{broken\n{\"id\":\"d\",\"text\":\"four\"}\n";

  private interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  /** PART1 and PART2 compressed separately and concatenated (two gzip members, two zstd frames). */
  private static byte[] twoParts(Compressor c) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String part : List.of(PART1, PART2)) {
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      try (OutputStream out = c.wrap(one)) {
        out.write(part.getBytes(StandardCharsets.UTF_8));
      }
      all.write(one.toByteArray());
    }
    return all.toByteArray();
  }

  private void readsAllPartsWithDecompressedOffsets(Path f) throws IOException {
    List<String> ids = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    try (DocumentStream s = CorpusReaders.open(f)) {
      for (Document d = s.next(); d != null; d = s.next()) {
        ids.add(d.lineage().recordId());
        offsets.add(d.lineage().offset());
      }
      assertEquals(List.of("a", "b", "c", "d"), ids);
      long c = PART1.length();
      long broken = c + "{\"id\":\"c\",\"text\":\"three\"}\n".length();
      long d = broken + "{broken\n".length();
      assertEquals(List.of(0L, (long) PART1.indexOf("{\"id\":\"b\""), c, d), offsets);
      assertEquals(1, s.badRecords().size());
      assertEquals(broken, s.badRecords().get(0).offset());
      assertEquals(f.toString(), s.badRecords().get(0).file());
      assertEquals(new ReadStats(5, 4, 0, 0, 0, 1), s.stats());
    }
  }

  @Test
  void gzipWithSeveralMembersIsReadToTheEnd() throws IOException {
    Path f = dir.resolve("c.jsonl.gz");
    Files.write(f, twoParts(GZIPOutputStream::new));
    readsAllPartsWithDecompressedOffsets(f);
  }

  @Test
  void zstdWithSeveralFramesIsReadToTheEnd() throws IOException {
    Path f = dir.resolve("c.jsonl.zst");
    Files.write(f, twoParts(ZstdOutputStream::new));
    readsAllPartsWithDecompressedOffsets(f);
  }

  @Test
  void aGzipStreamReadsLikeTheFile() throws IOException {
    Path f = dir.resolve("c.jsonl.gz");
    Files.write(f, twoParts(GZIPOutputStream::new));
    try (DocumentStream s = CorpusReaders.open("remote/c.jsonl.gz", Files.newInputStream(f))) {
      int n = 0;
      while (s.next() != null) {
        n++;
      }
      assertEquals(4, n);
      assertEquals("remote/c.jsonl.gz", s.badRecords().get(0).file());
    }
  }
}
