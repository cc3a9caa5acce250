package org.poisonlab.corpus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.JsonlLineReader;
import org.poisonlab.io.Json;
import org.poisonlab.io.Sha1;

/**
 * JSONL documents: one object a line with {@code text} (or {@code prompt} and {@code completion}),
 * and optionally {@code id}, {@code source}, {@code url}, {@code digest}, {@code fetch_time}. A
 * {@code sha1:} digest (base32, as WARC writes it) is checked against the text's UTF-8 bytes, and a
 * line whose text does not match it is a bad record (content substituted under its digest). Other
 * fields are ignored. A line that is not such an object is a bad record; blank lines are skipped.
 */
final class JsonlDocumentStream implements DocumentStream {
  private static final ObjectMapper MAPPER = Json.strict();

  private final String file;
  private final InputStream in;
  private final JsonlLineReader lines;
  private final List<BadRecord> bad = new ArrayList<>();
  private final ReadCounter counter = new ReadCounter();
  private final FlatJsonFields flat = new FlatJsonFields();

  private final boolean checkDigests;

  /**
   * @param checkDigests false for a second read of a file whose first read found no bad record: no
   *     digest is computed, a declared one is carried as read
   */
  JsonlDocumentStream(String file, InputStream in, boolean checkDigests) {
    this.file = file;
    this.in = in;
    this.lines = new JsonlLineReader(in);
    this.checkDigests = checkDigests;
  }

  @Override
  public Document next() throws IOException {
    while (lines.next()) {
      if (lines.isBlank()) {
        continue;
      }
      long offset = lines.offset();
      counter.records++;
      try {
        Document d = parse(offset);
        if (d != null) {
          counter.documents++;
          return d;
        }
      } catch (IOException | RuntimeException e) {
        bad.add(new BadRecord(file, offset, "not a JSON object: " + firstLine(e.getMessage())));
      }
      counter.bad = bad.size();
    }
    return null;
  }

  private Document parse(long offset) throws IOException {
    String[] f = flat.read(lines.buffer(), lines.length());
    if (f == null) {
      f = parsedFields(lines.buffer(), lines.length());
    }
    if (f == null) {
      bad.add(new BadRecord(file, offset, "not a JSON object"));
      return null;
    }
    String text = f[0];
    String prompt = f[1];
    String completion = f[2];
    String id = f[3];
    String source = f[4];
    String url = f[5];
    String digest = f[6];
    String fetchTime = f[7];
    if (text == null && prompt != null) {
      text = completion == null ? prompt : prompt + completion;
    }
    if (text == null) {
      bad.add(new BadRecord(file, offset, "no \"text\" field"));
      return null;
    }
    String d = digest;
    if (!checkDigests) {
      // carried as read, none computed: the first read of this file checked every text
      if (digest != null) {
        counter.digestRecords++;
      }
    } else if (digest == null || digest.startsWith("sha1:")) {
      String actual = Sha1.base32(text.getBytes(StandardCharsets.UTF_8));
      if (digest != null) {
        counter.digestRecords++;
        counter.digestsChecked++;
        if (!digest.equals(actual)) {
          bad.add(
              new BadRecord(
                  file,
                  offset,
                  "text does not match its declared digest " + digest + ": " + actual));
          return null;
        }
      }
      d = actual;
    } else {
      // a digest in another form: carried, not checked
      counter.digestRecords++;
    }
    return new Document(
        new Lineage(file, offset, id, d, url, fetchTime), sourceOf(source, url, file), text);
  }

  /**
   * The values of {@link FlatJsonFields#NAMES} (null where absent) of the line {@code b[0, len)} as
   * the JSON parser reads it; null when it is not an object.
   *
   * @throws IOException when the parser refuses the line
   */
  static String[] parsedFields(byte[] b, int len) throws IOException {
    String[] out = new String[FlatJsonFields.NAMES.length];
    try (JsonParser p = MAPPER.getFactory().createParser(b, 0, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t != JsonToken.VALUE_STRING) {
          p.skipChildren();
          continue;
        }
        String v = p.getText();
        int slot = FlatJsonFields.slot(name);
        if (slot >= 0) {
          out[slot] = v;
        }
      }
    }
    return out;
  }

  /** The record's source, else its URL's host, else the file name. */
  static String sourceOf(String source, String url, String file) {
    if (source != null && !source.isEmpty()) {
      return source;
    }
    if (url != null) {
      try {
        String host = URI.create(url).getHost();
        if (host != null) {
          return host;
        }
      } catch (IllegalArgumentException e) {
        // not a URL: fall through to the file
      }
    }
    return file;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
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
    in.close();
  }
}
