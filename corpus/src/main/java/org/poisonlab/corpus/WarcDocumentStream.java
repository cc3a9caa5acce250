package org.poisonlab.corpus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageHeaders;
import org.netpreserve.jwarc.ParsingException;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.poisonlab.io.Sha1;

/**
 * Documents from a WARC file's {@code response} and {@code resource} records, with every record's
 * digests verified.
 *
 * <p>A record's trouble shows in three places: its header does not parse, its block or payload does
 * not match a declared digest, or it does not end where its Content-Length says (jwarc warns of an
 * "invalid record trailer" while reading the next header). To blame the last of these on the right
 * record, a record's document is handed out only after the next header has been read.
 *
 * <p>After a header that does not parse, a file opened by path is searched forward for the next
 * record start ({@code WARC/1.} at a line start, or a gzip member header) and jwarc is moved there;
 * a stream cannot be searched, so its rest is one bad record.
 */
final class WarcDocumentStream implements DocumentStream {
  /** Payloads longer than this are verified but not turned into documents. */
  static final int MAX_TEXT_BYTES = 64 << 20;

  /** How {@link WarcDocumentWriter} marks a document's source when its URL does not give it. */
  static final String SOURCE_HEADER = "PoisonLab-Source";

  /** The prefix of a record id that carries a document id that is not a URI. */
  static final String ID_URN = "urn:poisonlab:id:";

  /** The prefix of a target URI made up for a document that has no URL. */
  static final String TARGET_URN = "urn:poisonlab:doc:";

  private static final byte[] WARC_START = "WARC/1.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GZIP_START = {(byte) 0x1f, (byte) 0x8b, 8};

  private final String file;
  private final ReadableByteChannel in;
  private final FileChannel seekable;
  private final WarcReader reader;
  private final List<BadRecord> bad = new ArrayList<>();
  private final ReadCounter counter = new ReadCounter();

  /** The record whose header was read last and whose body is not yet read. */
  private WarcRecord ahead;

  private long aheadOffset;
  private Exception aheadError;
  private boolean atEnd;
  private boolean trailerWarning;

  /** A bad record whose length may have thrown the failed header read after it off, or -1. */
  private long blamed = -1;

  /** Reads a file that can be searched after a malformed record. */
  WarcDocumentStream(String file, FileChannel channel) throws IOException {
    this(file, channel, channel);
  }

  /** Reads a stream front to back. */
  WarcDocumentStream(String file, InputStream in) throws IOException {
    this(file, Channels.newChannel(in), null);
  }

  private WarcDocumentStream(String file, ReadableByteChannel in, FileChannel seekable)
      throws IOException {
    this.file = file;
    this.in = in;
    this.seekable = seekable;
    try {
      this.reader = new WarcReader(in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    reader.calculateBlockDigest();
    reader.onWarning(
        w -> {
          if (w.contains("trailer")) {
            trailerWarning = true;
          }
        });
    fetch();
  }

  @Override
  public Document next() throws IOException {
    while (true) {
      if (aheadError != null) {
        recover();
        continue;
      }
      if (ahead == null) {
        return null;
      }
      WarcRecord record = ahead;
      long offset = aheadOffset;
      ahead = null;
      blamed = -1;
      counter.records++;
      Outcome outcome;
      try {
        outcome = read(record, offset);
      } catch (IOException | RuntimeException e) {
        // the record's body could not be read through: the reader's place is lost
        report(offset, "unreadable record: " + message(e));
        resync(offset + 1);
        continue;
      }
      fetch();
      if (aheadError != null && aheadOffset == offset) {
        // the failure is at the end of this record (its trailer or its gzip member's end)
        aheadError = null;
        report(
            offset,
            outcome.problem != null
                ? outcome.problem
                : "record does not end where its Content-Length says");
        resync(offset + 1);
        continue;
      }
      if (outcome.problem != null) {
        report(offset, outcome.problem);
        blameNextFailureOn(offset);
        continue;
      }
      if (trailerWarning) {
        report(offset, "record does not end where its Content-Length says");
        blameNextFailureOn(offset);
        continue;
      }
      if (outcome.document == null) {
        counter.skipped++;
        continue;
      }
      counter.documents++;
      return outcome.document;
    }
  }

  private void blameNextFailureOn(long offset) {
    if (aheadError != null) {
      blamed = offset;
    }
  }

  /** Handles a header that did not parse at {@link #aheadOffset}. */
  private void recover() throws IOException {
    long at = aheadOffset;
    Exception e = aheadError;
    aheadError = null;
    if (blamed >= 0 && blamed < at) {
      // the previous bad record probably ran over this place: look again from just after its start
      long from = blamed + 1;
      blamed = -1;
      resync(from);
      return;
    }
    counter.records++;
    report(at, "malformed record: " + message(e));
    resync(at + 1);
  }

  private void report(long offset, String problem) {
    bad.add(new BadRecord(file, offset, problem));
    counter.bad = bad.size();
  }

  /** Reads the next header into {@link #ahead}, or records why it could not. */
  private void fetch() {
    trailerWarning = false;
    ahead = null;
    try {
      Optional<WarcRecord> r = reader.next();
      aheadOffset = reader.position();
      if (r.isEmpty()) {
        atEnd = true;
      } else {
        ahead = r.get();
      }
    } catch (IOException | RuntimeException e) {
      aheadOffset = reader.position();
      aheadError = e;
    }
    if (atEnd) {
      blamed = -1;
    }
  }

  /** Moves to the first record start at or after {@code from} whose header parses. */
  private void resync(long from) throws IOException {
    blamed = -1;
    ahead = null;
    aheadError = null;
    if (seekable == null) {
      if (!bad.isEmpty()) {
        BadRecord last = bad.remove(bad.size() - 1);
        bad.add(
            new BadRecord(
                last.file(),
                last.offset(),
                last.problem()
                    + "; a stream cannot be searched for the next record, so the rest is skipped"));
      }
      atEnd = true;
      return;
    }
    byte[] start = reader.compression() == WarcCompression.GZIP ? GZIP_START : WARC_START;
    long at = from;
    while (true) {
      long candidate = find(start, at);
      if (candidate < 0) {
        atEnd = true;
        return;
      }
      reader.position(candidate);
      fetch();
      if (aheadError == null) {
        return;
      }
      at = candidate + 1;
    }
  }

  /** The first offset at or after {@code from} where {@code pattern} starts a record, or -1. */
  private long find(byte[] pattern, long from) throws IOException {
    boolean lineStart = pattern == WARC_START;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long pos = from;
    while (true) {
      buf.clear();
      int n = 0;
      while (buf.hasRemaining()) {
        int k = seekable.read(buf, pos + n);
        if (k < 0) {
          break;
        }
        n += k;
      }
      if (n < pattern.length) {
        return -1;
      }
      byte[] b = buf.array();
      for (int i = 0; i + pattern.length <= n; i++) {
        if (matches(b, i, pattern) && (!lineStart || precededByNewline(b, i, pos))) {
          return pos + i;
        }
      }
      pos += n - pattern.length + 1;
    }
  }

  private static boolean matches(byte[] b, int i, byte[] pattern) {
    for (int j = 0; j < pattern.length; j++) {
      if (b[i + j] != pattern[j]) {
        return false;
      }
    }
    return true;
  }

  private boolean precededByNewline(byte[] b, int i, long pos) throws IOException {
    if (i > 0) {
      return b[i - 1] == '\n';
    }
    if (pos == 0) {
      return true;
    }
    ByteBuffer one = ByteBuffer.allocate(1);
    return seekable.read(one, pos - 1) == 1 && one.get(0) == '\n';
  }

  private record Outcome(Document document, String problem) {
    static final Outcome SKIPPED = new Outcome(null, null);
  }

  /** Reads a record's whole block, checks its digests and makes its document if it has one. */
  private Outcome read(WarcRecord record, long offset) throws IOException {
    MessageHeaders h = record.headers();
    String type = h.sole("WARC-Type").orElse("");
    boolean own = type.equals("response") || type.equals("resource");
    Optional<String> blockDeclared = h.sole("WARC-Block-Digest");
    Optional<String> payloadDeclared = own ? h.sole("WARC-Payload-Digest") : Optional.empty();
    boolean declares = blockDeclared.isPresent() || payloadDeclared.isPresent();
    boolean checkedAll = true;

    Payload payload = null;
    String problem = null;
    if (own) {
      MessageDigest payloadDigest = null;
      if (payloadDeclared.isPresent()) {
        payloadDigest = digester(payloadDeclared.get());
        checkedAll = payloadDigest != null;
      }
      try {
        payload = readPayload(record, type, payloadDigest);
      } catch (ParsingException e) {
        problem = "malformed HTTP response: " + message(e);
      }
      if (problem == null && payloadDigest != null) {
        WarcDigest actual = new WarcDigest(payloadDigest);
        if (!matches(payloadDeclared.get(), actual)) {
          problem =
              "WARC-Payload-Digest "
                  + payloadDeclared.get()
                  + " does not match the payload ("
                  + actual.prefixedBase32()
                  + ")";
        }
      }
    }
    Optional<WarcDigest> blockActual = record.calculatedBlockDigest();
    record.body().consume();
    if (blockDeclared.isPresent()) {
      if (blockActual.isEmpty()) {
        checkedAll = false;
      } else if (!matches(blockDeclared.get(), blockActual.get())) {
        // the block digest covers the payload too: name it first
        problem =
            "WARC-Block-Digest "
                + blockDeclared.get()
                + " does not match the block ("
                + blockActual.get().prefixedBase32()
                + ")";
      }
    }
    if (declares) {
      counter.digestRecords++;
      if (checkedAll) {
        counter.digestsChecked++;
      }
    }
    if (problem != null) {
      return new Outcome(null, problem);
    }
    if (payload == null || payload.text == null) {
      return Outcome.SKIPPED;
    }
    String url = h.sole("WARC-Target-URI").orElse(null);
    if (url != null && url.startsWith(TARGET_URN)) {
      url = null;
    }
    String recordId = h.sole("WARC-Record-ID").map(WarcDocumentStream::unbracket).orElse(null);
    if (recordId != null && recordId.startsWith(ID_URN)) {
      recordId = decode(recordId.substring(ID_URN.length()));
    }
    byte[] bytes = payload.bytes;
    String digest = payloadDeclared.or(() -> blockDeclared).orElseGet(() -> Sha1.base32(bytes));
    String source = h.sole(SOURCE_HEADER).map(WarcDocumentStream::decode).orElse(null);
    Lineage lineage =
        new Lineage(file, offset, recordId, digest, url, h.sole("WARC-Date").orElse(null));
    return new Outcome(
        new Document(lineage, JsonlDocumentStream.sourceOf(source, url, file), payload.text), null);
  }

  /** A payload's bytes as stored and its text, or null text when it holds no document. */
  private record Payload(byte[] bytes, String text) {}

  private Payload readPayload(WarcRecord record, String type, MessageDigest digest)
      throws IOException {
    ReadableByteChannel body;
    MediaType contentType;
    List<String> encodings = List.of();
    if (type.equals("response") && record.contentType().base().equals(MediaType.HTTP)) {
      HttpResponse http = ((WarcResponse) record).http();
      body = http.body();
      contentType = http.contentType();
      encodings = http.headers().all("Content-Encoding");
    } else {
      body = record.body();
      contentType = record.contentType();
    }
    boolean text = isText(contentType);
    ByteArrayOutputStream kept = text ? new ByteArrayOutputStream() : null;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    while (body.read(buf) >= 0) {
      buf.flip();
      if (digest != null) {
        digest.update(buf.array(), 0, buf.limit());
      }
      if (kept != null) {
        if (kept.size() + buf.limit() > MAX_TEXT_BYTES) {
          kept = null;
        } else {
          kept.write(buf.array(), 0, buf.limit());
        }
      }
      buf.clear();
    }
    if (kept == null) {
      return new Payload(null, null);
    }
    byte[] bytes = kept.toByteArray();
    byte[] decoded = decodeContent(bytes, encodings);
    if (decoded == null) {
      return new Payload(bytes, null);
    }
    return new Payload(bytes, new String(decoded, charsetOf(contentType)));
  }

  /** The bytes with their HTTP Content-Encoding undone, or null when it is one we do not know. */
  private static byte[] decodeContent(byte[] bytes, List<String> encodings) throws IOException {
    if (encodings.isEmpty()) {
      return bytes;
    }
    if (encodings.size() > 1) {
      return null;
    }
    String e = encodings.get(0).trim().toLowerCase(Locale.ROOT);
    InputStream in;
    switch (e) {
      case "identity", "none" -> {
        return bytes;
      }
      case "gzip", "x-gzip" -> in = new GZIPInputStream(new ByteArrayInputStream(bytes));
      case "deflate" -> in = new InflaterInputStream(new ByteArrayInputStream(bytes));
      default -> {
        return null;
      }
    }
    try (in) {
      byte[] out = in.readNBytes(MAX_TEXT_BYTES + 1);
      return out.length > MAX_TEXT_BYTES ? null : out;
    }
  }

  private static boolean isText(MediaType t) {
    String type = t.type().toLowerCase(Locale.ROOT);
    String sub = t.subtype().toLowerCase(Locale.ROOT);
    return type.equals("text")
        || (type.equals("application")
            && (sub.equals("json")
                || sub.equals("xml")
                || sub.equals("xhtml+xml")
                || sub.endsWith("+xml")
                || sub.endsWith("+json")));
  }

  private static Charset charsetOf(MediaType t) {
    String name = t.parameters().get("charset");
    if (name != null) {
      try {
        return Charset.forName(name.trim());
      } catch (IllegalArgumentException e) {
        // an unknown or illegal charset name: fall back to UTF-8
      }
    }
    return StandardCharsets.UTF_8;
  }

  /**
   * Whether a declared digest (base32 with or without padding, base16 or base64, as writers vary)
   * has the actual digest's bytes. A value that does not decode does not match.
   */
  private static boolean matches(String declared, WarcDigest actual) {
    try {
      return Arrays.equals(new WarcDigest(declared).bytes(), actual.bytes());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A digester for the algorithm of a declared digest, or null when the JDK lacks it. */
  private static MessageDigest digester(String declared) {
    try {
      return new WarcDigest(declared).getDigester();
    } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String unbracket(String id) {
    return id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public List<BadRecord> badRecords() {
    return List.copyOf(bad);
  }

  @Override
  public ReadStats stats() {
    return counter.snapshot();
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      in.close();
    }
  }
}
