package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.Sha1;

class WarcDocumentStreamTest {
  @TempDir Path dir;

  private static final int N = 5;

  /** Five resource/response records; returns their offsets in the plain file. */
  private long[] writePlain(Path f) throws IOException {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      String url = i % 2 == 0 ? "https://site" + i + ".org/p" : null;
      docs.add(
          new Document(
              new Lineage("in", 0, "doc-" + i, null, url, null), "src" + i, "text of doc " + i));
    }
    CorpusRoundTripTest.write(f, docs);
    long[] offsets = new long[N];
    try (DocumentStream s = CorpusReaders.open(f)) {
      for (int i = 0; i < N; i++) {
        offsets[i] = s.next().lineage().offset();
      }
    }
    return offsets;
  }

  private static List<Document> readAll(DocumentStream s) throws IOException {
    List<Document> out = new ArrayList<>();
    for (Document d = s.next(); d != null; d = s.next()) {
      out.add(d);
    }
    return out;
  }

  private static List<String> ids(List<Document> docs) {
    return docs.stream().map(d -> d.lineage().recordId()).toList();
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Each record's bytes (plain file split at the offsets) gzipped as its own member. */
  private static byte[] gzipPerRecord(byte[] plain, long[] offsets, long[] gzOffsets)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < offsets.length; i++) {
      int from = (int) offsets[i];
      int to = i + 1 < offsets.length ? (int) offsets[i + 1] : plain.length;
      gzOffsets[i] = out.size();
      ByteArrayOutputStream member = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(member)) {
        gz.write(plain, from, to - from);
      }
      out.write(member.toByteArray());
    }
    return out.toByteArray();
  }

  @Test
  void gzipOffsetsPointAtEachRecordsMember() throws IOException {
    Path f = dir.resolve("c.warc.gz");
    CorpusRoundTripTest.write(f, CorpusRoundTripTest.documents());
    byte[] bytes = Files.readAllBytes(f);
    try (DocumentStream s = CorpusReaders.open(f)) {
      long last = -1;
      for (Document d = s.next(); d != null; d = s.next()) {
        int o = (int) d.lineage().offset();
        assertTrue(o > last);
        assertEquals(0x1f, bytes[o] & 0xff);
        assertEquals(0x8b, bytes[o + 1] & 0xff);
        last = o;
      }
    }
  }

  @Test
  void aCorruptedPayloadIsReportedAtItsRecordAndTheOthersAreRead() throws IOException {
    Path plain = dir.resolve("c.warc");
    long[] offsets = writePlain(plain);
    byte[] bytes = Files.readAllBytes(plain);
    // flip bytes of record 3's text, keeping its length and its digest headers
    int at = indexOf(bytes, "text of doc 3".getBytes(StandardCharsets.US_ASCII), 0);
    bytes[at] ^= 0x20;
    bytes[at + 5] ^= 0x01;
    Files.write(plain, bytes);
    long[] gzOffsets = new long[N];
    Path gz = dir.resolve("c.warc.gz");
    Files.write(gz, gzipPerRecord(bytes, offsets, gzOffsets));

    for (Path f : List.of(plain, gz)) {
      long expected = f == plain ? offsets[3] : gzOffsets[3];
      try (DocumentStream s = CorpusReaders.open(f)) {
        assertEquals(List.of("doc-0", "doc-1", "doc-2", "doc-4"), ids(readAll(s)), f.toString());
        assertEquals(1, s.badRecords().size());
        BadRecord b = s.badRecords().get(0);
        assertEquals(f.toString(), b.file());
        assertEquals(expected, b.offset());
        assertTrue(b.problem().contains("Digest"), b.problem());
        ReadStats st = s.stats();
        assertEquals(N, st.records());
        assertEquals(N, st.digestRecords());
        assertEquals(N, st.digestsChecked());
        assertEquals(1, st.bad());
      }
    }
  }

  @Test
  void aTruncatedRecordInTheMiddleIsReportedAndReadingResumesAfterIt() throws IOException {
    Path plain = dir.resolve("c.warc");
    long[] offsets = writePlain(plain);
    byte[] bytes = Files.readAllBytes(plain);
    // cut 6 bytes from the end of record 2's body (just before its CRLFCRLF trailer)
    int end = (int) offsets[3] - 4;
    byte[] cut = new byte[bytes.length - 6];
    System.arraycopy(bytes, 0, cut, 0, end - 6);
    System.arraycopy(bytes, end, cut, end - 6, bytes.length - end);
    Files.write(plain, cut);
    try (DocumentStream s = CorpusReaders.open(plain)) {
      assertEquals(List.of("doc-0", "doc-1", "doc-3", "doc-4"), ids(readAll(s)));
      assertEquals(List.of(offsets[2]), s.badRecords().stream().map(BadRecord::offset).toList());
    }
  }

  @Test
  void aTruncatedGzipMemberInTheMiddleIsReportedAndReadingResumesAfterIt() throws IOException {
    Path plain = dir.resolve("c.warc");
    long[] offsets = writePlain(plain);
    long[] gzOffsets = new long[N];
    byte[] gz = gzipPerRecord(Files.readAllBytes(plain), offsets, gzOffsets);
    // drop the last 12 bytes of member 2 (part of its deflate data and its trailer)
    int end = (int) gzOffsets[3];
    byte[] cut = new byte[gz.length - 12];
    System.arraycopy(gz, 0, cut, 0, end - 12);
    System.arraycopy(gz, end, cut, end - 12, gz.length - end);
    Path f = dir.resolve("c.warc.gz");
    Files.write(f, cut);
    try (DocumentStream s = CorpusReaders.open(f)) {
      assertEquals(List.of("doc-0", "doc-1", "doc-3", "doc-4"), ids(readAll(s)));
      assertEquals(List.of(gzOffsets[2]), s.badRecords().stream().map(BadRecord::offset).toList());
    }
  }

  @Test
  void aMalformedHeaderIsReportedAndAFileIsSearchedForTheNextRecord() throws IOException {
    Path plain = dir.resolve("c.warc");
    long[] offsets = writePlain(plain);
    byte[] bytes = Files.readAllBytes(plain);
    int h = (int) offsets[2];
    // "WARC/1.0" becomes "WARX/1.0": record 2 no longer parses
    bytes[h + 3] = 'X';
    Files.write(plain, bytes);
    try (DocumentStream s = CorpusReaders.open(plain)) {
      assertEquals(List.of("doc-0", "doc-1", "doc-3", "doc-4"), ids(readAll(s)));
      assertEquals(List.of(offsets[2]), s.badRecords().stream().map(BadRecord::offset).toList());
      assertEquals(N, s.stats().records());
    }
    // a stream cannot be searched: the rest is one bad record
    try (DocumentStream s = CorpusReaders.open("c.warc", Files.newInputStream(plain))) {
      assertEquals(List.of("doc-0", "doc-1"), ids(readAll(s)));
      assertEquals(1, s.badRecords().size());
      assertEquals(offsets[2], s.badRecords().get(0).offset());
      assertTrue(s.badRecords().get(0).problem().contains("rest"));
      assertNull(s.next());
    }
  }

  @Test
  void responsesAreDecodedByTheirCharsetNonTextIsSkippedAndSha256DigestsAreChecked()
      throws Exception {
    byte[] latin = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3};
    ByteArrayOutputStream w = new ByteArrayOutputStream();
    w.write(
        record(
            "warcinfo",
            "<urn:x:0>",
            null,
            "application/warc-fields",
            "a: b\r\n".getBytes(StandardCharsets.US_ASCII),
            null,
            "SHA-1"));
    w.write(response("<urn:x:1>", "text/html; charset=ISO-8859-1", latin, "SHA-256", false));
    w.write(response("<urn:x:2>", "image/png", png, "SHA-1", false));
    long bad = w.size();
    w.write(response("<urn:x:3>", "text/plain", latin, "SHA-256", true));
    w.write(
        response("<urn:x:4>", "text/plain", "ok".getBytes(StandardCharsets.UTF_8), "MD5", false));
    Path f = dir.resolve("h.warc");
    Files.write(f, w.toByteArray());
    try (DocumentStream s = CorpusReaders.open(f)) {
      List<Document> docs = readAll(s);
      assertEquals(List.of("urn:x:1", "urn:x:4"), ids(docs));
      assertEquals("caf\u00e9", docs.get(0).text());
      assertEquals("example.org", docs.get(0).source());
      assertEquals("2024-01-02T03:04:05Z", docs.get(0).lineage().fetchTime());
      assertEquals(List.of(bad), s.badRecords().stream().map(BadRecord::offset).toList());
      ReadStats st = s.stats();
      assertEquals(5, st.records());
      assertEquals(2, st.skipped());
      assertEquals(5, st.digestRecords());
      assertEquals(5, st.digestsChecked());
    }
  }

  private static byte[] response(
      String id, String contentType, byte[] payload, String algorithm, boolean wrongPayloadDigest)
      throws Exception {
    byte[] head =
        ("HTTP/1.1 200 OK\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + payload.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] block = Arrays.copyOf(head, head.length + payload.length);
    System.arraycopy(payload, 0, block, head.length, payload.length);
    byte[] digested =
        wrongPayloadDigest ? "something else".getBytes(StandardCharsets.UTF_8) : payload;
    return record(
        "response",
        id,
        "https://example.org/x",
        "application/http; msgtype=response",
        block,
        digested,
        algorithm);
  }

  private static byte[] record(
      String type,
      String id,
      String uri,
      String contentType,
      byte[] block,
      byte[] payload,
      String algorithm)
      throws NoSuchAlgorithmException {
    String alg = algorithm.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    StringBuilder h = new StringBuilder("WARC/1.0\r\n");
    h.append("WARC-Type: ").append(type).append("\r\n");
    h.append("WARC-Record-ID: ").append(id).append("\r\n");
    h.append("WARC-Date: 2024-01-02T03:04:05Z\r\n");
    if (uri != null) {
      h.append("WARC-Target-URI: ").append(uri).append("\r\n");
    }
    h.append("Content-Type: ").append(contentType).append("\r\n");
    h.append("WARC-Block-Digest: ")
        .append(alg)
        .append(':')
        .append(Sha1.base32Of(MessageDigest.getInstance(algorithm).digest(block)))
        .append("\r\n");
    if (payload != null) {
      h.append("WARC-Payload-Digest: ")
          .append(alg)
          .append(':')
          .append(Sha1.base32Of(MessageDigest.getInstance(algorithm).digest(payload)))
          .append("\r\n");
    }
    h.append("Content-Length: ").append(block.length).append("\r\n\r\n");
    byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(hb, hb.length + block.length + 4);
    System.arraycopy(block, 0, out, hb.length, block.length);
    System.arraycopy(new byte[] {'\r', '\n', '\r', '\n'}, 0, out, hb.length + block.length, 4);
    return out;
  }
}
