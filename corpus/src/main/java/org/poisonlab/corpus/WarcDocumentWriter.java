package org.poisonlab.corpus;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.poisonlab.io.Sha1;

/**
 * WARC/1.0, one {@code response} or {@code resource} record per document (see {@link
 * CorpusWriters}), plain or with a gzip member per record so that record offsets can be seeked to.
 */
final class WarcDocumentWriter extends AtomicDocumentWriter {
  private static final String FIXED_DATE = "1970-01-01T00:00:00Z";
  private static final String TEXT_TYPE = "text/plain; charset=utf-8";

  private final OutputStream out;
  private final boolean gzip;
  private long ordinal;

  WarcDocumentWriter(Path target, boolean gzip) throws IOException {
    super(target);
    this.out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
    this.gzip = gzip;
  }

  @Override
  void append(Document d) throws IOException {
    Lineage l = d.lineage();
    byte[] payload = d.text().getBytes(StandardCharsets.UTF_8);
    boolean http = isHttp(l.url());
    byte[] block = payload;
    if (http) {
      String head =
          "HTTP/1.1 200 OK\r\nContent-Type: "
              + TEXT_TYPE
              + "\r\nContent-Length: "
              + payload.length
              + "\r\n\r\n";
      ByteArrayOutputStream b = new ByteArrayOutputStream(head.length() + payload.length);
      b.write(head.getBytes(StandardCharsets.US_ASCII));
      b.write(payload);
      block = b.toByteArray();
    }
    String id = recordId(l.recordId(), payload);
    StringBuilder h = new StringBuilder(512);
    h.append("WARC/1.0\r\n");
    header(h, "WARC-Type", http ? "response" : "resource");
    header(h, "WARC-Record-ID", "<" + id + ">");
    header(h, "WARC-Date", date(l.fetchTime()));
    header(h, "WARC-Target-URI", http || l.url() != null ? l.url() : madeUpTarget(d, id));
    header(h, "Content-Type", http ? "application/http; msgtype=response" : TEXT_TYPE);
    header(h, "WARC-Block-Digest", Sha1.base32(block));
    header(h, "WARC-Payload-Digest", Sha1.base32(payload));
    if (d.source() != null && !d.source().equals(hostOf(l.url()))) {
      header(h, WarcDocumentStream.SOURCE_HEADER, encode(d.source()));
    }
    header(h, "Content-Length", Long.toString(block.length));
    h.append("\r\n");
    OutputStream target = gzip ? new GZIPOutputStream(new Unclosed(out), 1 << 16) : out;
    target.write(h.toString().getBytes(StandardCharsets.UTF_8));
    target.write(block);
    target.write(new byte[] {'\r', '\n', '\r', '\n'});
    if (gzip) {
      target.close();
    }
    ordinal++;
  }

  private static void header(StringBuilder h, String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException(name + " value contains a line break: " + value);
      }
    }
    h.append(name).append(": ").append(value).append("\r\n");
  }

  private String recordId(String recordId, byte[] payload) {
    if (recordId == null) {
      String name = "poisonlab:" + ordinal + ":" + Sha1.base32(payload);
      return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
    if (isAbsoluteUri(recordId)) {
      return recordId;
    }
    return WarcDocumentStream.ID_URN + encode(recordId);
  }

  private static String madeUpTarget(Document d, String id) {
    String source = d.source() == null ? "" : d.source();
    return WarcDocumentStream.TARGET_URN + encode(source) + ":" + encode(id);
  }

  private static boolean isAbsoluteUri(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '<' || c == '>' || c == '"' || c > '~') {
        return false;
      }
    }
    try {
      return new URI(s).isAbsolute();
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static boolean isHttp(String url) {
    if (url == null || !isAbsoluteUri(url)) {
      return false;
    }
    String scheme = URI.create(url).getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("http") || scheme.equals("https");
  }

  private static String hostOf(String url) {
    if (url == null) {
      return null;
    }
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String date(String fetchTime) {
    if (fetchTime != null) {
      try {
        return Instant.parse(fetchTime).truncatedTo(ChronoUnit.SECONDS).toString();
      } catch (DateTimeParseException e) {
        // not an instant: the fixed date below
      }
    }
    return FIXED_DATE;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  void finish() throws IOException {
    out.close();
  }

  /** Lets a gzip member be finished without closing the file under it. */
  private static final class Unclosed extends FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
