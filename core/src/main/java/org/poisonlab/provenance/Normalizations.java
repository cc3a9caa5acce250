package org.poisonlab.provenance;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * The normal form of downloaded content, which tells a benign re-encoding of what an index recorded
 * from a substitution. Two bodies have the same content when their normal forms are equal; {@code
 * provenance fetch --tolerant} compares the SHA-256 of the normal form with the index row's {@code
 * normalized_sha256} (or its {@code sha256}, when the recorded content was already in normal form).
 *
 * <p>The normal form is a function of the bytes alone (no HTTP header is consulted), so an index
 * maker computes it offline with {@link #sha256(Path, long)} and a verdict can be re-checked from
 * the stored file. In order:
 *
 * <ol>
 *   <li><b>Transfer encoding.</b> A body that starts with the gzip magic ({@code 1f 8b}) and
 *       decompresses cleanly is replaced by its decompressed bytes; likewise a body with a zlib
 *       header (first byte {@code 0x78}, first two bytes a multiple of 31 as a big-endian number:
 *       HTTP's {@code deflate}). One layer only; decompressed content over the size cap has no
 *       normal form.
 *   <li><b>Binary or text.</b> Content with a NUL byte and no UTF-16 byte-order mark is binary: its
 *       normal form is the (decompressed) bytes themselves. Otherwise it is text, decoded by: a
 *       byte-order mark (UTF-8, UTF-16BE, UTF-16LE; the mark is dropped); else UTF-8 when the bytes
 *       are valid UTF-8; else the charset named by {@code <meta ... charset=X>} or {@code <?xml
 *       encoding="X"?>} in the first 1,024 bytes; else windows-1252. The labels {@code iso-8859-1},
 *       {@code latin1}, {@code us-ascii}, {@code ascii}, {@code cp1252} mean windows-1252, as in
 *       browsers, decoded with the WHATWG table (bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D to the C1
 *       controls of the same value, so no two byte strings decode alike).
 *   <li><b>Plain text.</b> CR LF and lone CR become LF; spaces, tabs, vertical tabs and form feeds
 *       at the end of each line are removed, as are line feeds at the end of the text.
 *   <li><b>HTML</b> (text that begins, after white space, with {@code <!doctype html} or {@code
 *       <html}, any case): character references {@code &name;}, {@code &#N;} and {@code &#xH;} are
 *       resolved (names: HTML 4's 96 Latin-1 names and 40 common others); a reference to one of the
 *       five characters that mean markup ({@code & < > " '}) is not resolved but spelt one way
 *       ({@code &amp; &lt; &gt; &quot; &#39;}), so escaped text never equals live markup; a
 *       reference without its {@code ;}, to an unknown name or to an invalid code point is left as
 *       written. Then every run of white space (space, tab, LF, CR, form feed, vertical tab,
 *       no-break space) becomes one space, and white space at the start and end is removed.
 *   <li>The text is encoded as UTF-8 without a byte-order mark.
 * </ol>
 *
 * <p>The normal form is idempotent. What it does not unify: Unicode normalisation forms (NFC and
 * NFD spellings differ), a literal {@code "} against {@code &quot;}, white space inside HTML {@code
 * <pre>} (collapsed like any other: a change of indentation there passes as benign), and any
 * re-encoding of binary content (a recompressed image is a substitution).
 *
 * <p>Memory: constant, whatever the size; the content is streamed from its file two or three times.
 */
public final class Normalizations {
  private static final int HEAD = 1024;
  private static final Pattern META_CHARSET =
      Pattern.compile("<meta[^>]*charset\\s*=\\s*[\"']?\\s*([a-z0-9_:.\\-]+)");
  private static final Pattern XML_ENCODING =
      Pattern.compile("^\\s*<\\?xml[^>]*encoding\\s*=\\s*[\"']([a-z0-9_:.\\-]+)");

  private Normalizations() {}

  /**
   * What the normal form of one body is.
   *
   * @param sha256 the SHA-256 of the normal form, 64 lower-case hex digits, or null when there is
   *     none (decompressed content over the cap)
   * @param form {@code binary}, {@code text} or {@code html}
   * @param charset the charset the text was decoded with, or null for binary content
   * @param compression {@code gzip} or {@code deflate} when a layer was removed, else null
   */
  record Normalized(String sha256, String form, String charset, String compression) {
    /** A short description for a report line: "html, windows-1252, gzip". */
    String describe() {
      StringBuilder sb = new StringBuilder(form);
      if (charset != null) {
        sb.append(", ").append(charset);
      }
      if (compression != null) {
        sb.append(", ").append(compression);
      }
      return sb.toString();
    }
  }

  /**
   * The SHA-256 of the normal form of the file's content, as {@code normalized_sha256} in an index
   * row expects it: 64 lower-case hex digits. The file is not modified.
   *
   * @param maxBytes the largest decompressed size accepted
   * @throws IllegalArgumentException if the content decompresses to more than {@code maxBytes}
   * @throws UncheckedIOException if the file cannot be read
   */
  public static String sha256(Path file, long maxBytes) {
    Normalized n = normalize(() -> Files.newInputStream(file), maxBytes);
    if (n.sha256() == null) {
      throw new IllegalArgumentException(
          file + " decompresses to more than " + maxBytes + " bytes");
    }
    return n.sha256();
  }

  /** The normal form of bytes held in memory (not modified), as SHA-256 and description. */
  static Normalized normalize(byte[] content, long maxBytes) {
    return normalize(() -> new ByteArrayInputStream(content), maxBytes);
  }

  /** The normal form of a file's content. */
  static Normalized normalize(Path file, long maxBytes) {
    return normalize(() -> Files.newInputStream(file), maxBytes);
  }

  /** The normal form itself, as text (binary content as ISO-8859-1): for tests. */
  static String normalText(byte[] content) {
    Opener raw = () -> new ByteArrayInputStream(content);
    try {
      Plan p = plan(raw, Long.MAX_VALUE);
      if (p.charset == null) {
        return new String(p.content.open().readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      StringWriter w = new StringWriter();
      p.write(w);
      return w.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  private static Normalized normalize(Opener raw, long maxBytes) {
    try {
      Plan p;
      try {
        p = plan(raw, maxBytes);
      } catch (OverCap e) {
        return new Normalized(null, "binary", null, e.compression);
      }
      MessageDigest sha = Merkle.sha256();
      try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
        if (p.charset == null) {
          try (InputStream in = p.content.open()) {
            in.transferTo(out);
          }
        } else {
          Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
          p.write(w);
          w.flush();
        }
      }
      return new Normalized(
          HexFormat.of().formatHex(sha.digest()),
          p.charset == null ? "binary" : p.html ? "html" : "text",
          p.charset,
          p.compression);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read content: " + e.getMessage(), e);
    }
  }

  /** Decompressed content over the cap. */
  private static final class OverCap extends IOException {
    private static final long serialVersionUID = 1L;
    final transient String compression;

    OverCap(String compression) {
      super("over the cap");
      this.compression = compression;
    }
  }

  /** How to read one body's text: where its bytes come from, and how they decode. */
  private static final class Plan {
    Opener content;
    String compression;
    String charset; // null: binary
    int skip; // byte-order mark length
    boolean html;

    void write(Writer w) throws IOException {
      try (InputStream in = content.open()) {
        in.skipNBytes(skip);
        Reader r = reader(in, charset);
        new TextNormalizer(w, html).run(new PushbackReader(r, 64));
      }
    }
  }

  private static Plan plan(Opener raw, long maxBytes) throws IOException {
    Plan p = new Plan();
    p.content = () -> capped(new BufferedInputStream(raw.open(), 1 << 16), maxBytes, null);
    byte[] two;
    try (InputStream in = raw.open()) {
      two = in.readNBytes(2);
    }
    String layer = null;
    if (two.length == 2 && (two[0] & 0xff) == 0x1f && (two[1] & 0xff) == 0x8b) {
      layer = "gzip";
    } else if (two.length == 2
        && (two[0] & 0xff) == 0x78
        && (((two[0] & 0xff) << 8) | (two[1] & 0xff)) % 31 == 0) {
      layer = "deflate";
    }
    if (layer != null) {
      String l = layer;
      Opener decoded =
          () -> {
            InputStream in = new BufferedInputStream(raw.open(), 1 << 16);
            return capped(
                l.equals("gzip") ? new GZIPInputStream(in, 1 << 16) : new InflaterInputStream(in),
                maxBytes,
                l);
          };
      if (cleanly(decoded)) {
        p.content = decoded;
        p.compression = layer;
      }
    }
    byte[] head;
    boolean nul = false;
    try (InputStream in = p.content.open()) {
      head = in.readNBytes(HEAD);
      nul = indexOfNul(head, head.length) >= 0;
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n >= 0 && !nul; n = in.read(buf)) {
        nul = indexOfNul(buf, n) >= 0;
      }
    }
    if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
      p.charset = "UTF-8";
      p.skip = 3;
    } else if (startsWith(head, 0xFE, 0xFF)) {
      p.charset = "UTF-16BE";
      p.skip = 2;
    } else if (startsWith(head, 0xFF, 0xFE)) {
      p.charset = "UTF-16LE";
      p.skip = 2;
    } else if (nul) {
      return p; // binary
    } else if (validUtf8(p.content)) {
      p.charset = "UTF-8";
    } else {
      p.charset = declared(head);
    }
    try (InputStream in = p.content.open()) {
      in.skipNBytes(p.skip);
      char[] start = new char[64];
      int n = reader(in, p.charset).read(start);
      p.html = n > 0 && isHtml(new String(start, 0, n));
    }
    return p;
  }

  /** Reads a decompressing stream to its end: false if it is not what its header promised. */
  private static boolean cleanly(Opener decoded) throws IOException {
    try (InputStream in = decoded.open()) {
      in.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (OverCap e) {
      throw e;
    } catch (IOException e) {
      return false;
    }
  }

  private static InputStream capped(InputStream in, long maxBytes, String compression) {
    return new FilterInputStream(in) {
      private long n;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && ++n > maxBytes) {
          throw new OverCap(compression);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int r = super.read(b, off, len);
        if (r > 0 && (n += r) > maxBytes) {
          throw new OverCap(compression);
        }
        return r;
      }
    };
  }

  private static int indexOfNul(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean validUtf8(Opener content) throws IOException {
    try (InputStream in = content.open();
        Reader r =
            new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT))) {
      char[] buf = new char[1 << 14];
      while (r.read(buf) >= 0) {
        // reading is the check
      }
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** The charset the first bytes declare, as a name {@link #reader} knows; else windows-1252. */
  static String declared(byte[] head) {
    String s = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    Matcher m = XML_ENCODING.matcher(s);
    String label = m.find() ? m.group(1) : null;
    if (label == null) {
      m = META_CHARSET.matcher(s);
      label = m.find() ? m.group(1) : null;
    }
    if (label == null) {
      return "windows-1252";
    }
    switch (label) {
      case "iso-8859-1",
          "iso8859-1",
          "latin1",
          "l1",
          "us-ascii",
          "ascii",
          "cp1252",
          "windows-1252" -> {
        return "windows-1252";
      }
      case "utf-8", "utf8" -> {
        return "UTF-8";
      }
      default -> {
        try {
          return Charset.isSupported(label) ? Charset.forName(label).name() : "windows-1252";
        } catch (IllegalArgumentException e) {
          return "windows-1252";
        }
      }
    }
  }

  private static Reader reader(InputStream in, String charset) {
    if (charset.equals("windows-1252")) {
      return new Windows1252Reader(in);
    }
    return new InputStreamReader(
        in,
        Charset.forName(charset)
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  private static boolean isHtml(String start) {
    String s = start.stripLeading().toLowerCase(Locale.ROOT);
    return s.startsWith("<!doctype html") || s.startsWith("<html");
  }
}
