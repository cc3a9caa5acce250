package org.poisonlab.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * Reads a download index, one row at a time: JSONL rows {@code {"url", "sha256", "source",
 * "normalized_sha256"}} (the LAION / DataComp shape). {@code url} is http or https with a host;
 * {@code sha256} is 64 hex digits, optionally prefixed {@code sha256:}; {@code source} is optional
 * (default: the URL's host); {@code normalized_sha256} is optional, in the same spelling as {@code
 * sha256}: the hash of the content's normal form ({@link Normalizations}). Other fields are
 * ignored, blank lines skipped; the first bad row stops the read.
 *
 * <p>A reader holds one line at a time, so an index of any length reads in constant memory.
 */
final class IndexFile implements Closeable {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final ObjectMapper JSON = Json.strict();

  /**
   * One row.
   *
   * @param line 1-based line in the index
   * @param uri the parsed URL
   * @param url the URL as written
   * @param sha256 the recorded hash, 64 lower-case hex digits
   * @param normalizedSha256 the recorded hash of the normal form, or null when the row has none
   * @param source the row's source, or the URL's host in lower case
   * @param domain the URL's host in lower case
   */
  record Row(
      long line,
      URI uri,
      String url,
      String sha256,
      String normalizedSha256,
      String source,
      String domain) {}

  private final Path file;
  private final BufferedReader in;
  private long lineNo;

  private IndexFile(Path file, BufferedReader in) {
    this.file = file;
    this.in = in;
  }

  /**
   * Opens an index for reading; close it after.
   *
   * @throws BadInputException if the file does not exist
   */
  static IndexFile open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "no such file");
    }
    try {
      return new IndexFile(
          file,
          new BufferedReader(
              new InputStreamReader(
                  Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()),
              1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The next row, or null at the end.
   *
   * @throws BadInputException naming file and line for a bad row or text that is not UTF-8
   */
  Row next() {
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (!line.isBlank()) {
          return row(file, lineNo, line);
        }
      }
      return null;
    } catch (CharacterCodingException e) {
      throw new BadInputException(file, lineNo + 1, "not UTF-8 text (at or after this line)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the whole index once, checking every row, and returns the number of rows; nothing is
   * held.
   *
   * @throws BadInputException for the first bad row
   */
  static long check(Path file) {
    long n = 0;
    try (IndexFile rows = open(file)) {
      while (rows.next() != null) {
        n++;
      }
    }
    return n;
  }

  /** Every row in memory: for small indexes and tests. */
  static List<Row> read(Path file) {
    List<Row> out = new ArrayList<>();
    try (IndexFile rows = open(file)) {
      for (Row r = rows.next(); r != null; r = rows.next()) {
        out.add(r);
      }
    }
    return out;
  }

  private static Row row(Path file, long lineNo, String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file, lineNo, "malformed JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new BadInputException(
          file, lineNo, "expected a JSON object {\"url\", \"sha256\", \"source\"}");
    }
    String url = text(file, lineNo, n, "url", true);
    String sha = hash(file, lineNo, "sha256", text(file, lineNo, n, "sha256", true));
    String normalized =
        hash(file, lineNo, "normalized_sha256", text(file, lineNo, n, "normalized_sha256", false));
    String source = text(file, lineNo, n, "source", false);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new BadInputException(
          file, lineNo, "field \"url\" is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new BadInputException(file, lineNo, "field \"url\" must be http or https: " + url);
    }
    if (uri.getHost() == null) {
      throw new BadInputException(file, lineNo, "field \"url\" has no host: " + url);
    }
    String domain = uri.getHost().toLowerCase(Locale.ROOT);
    return new Row(lineNo, uri, url, sha, normalized, source == null ? domain : source, domain);
  }

  /** 64 lower-case hex digits from {@code [sha256:]HEX}, or null for null. */
  private static String hash(Path file, long lineNo, String field, String sha) {
    if (sha == null) {
      return null;
    }
    String hex = sha.startsWith("sha256:") ? sha.substring(7) : sha;
    if (!HEX64.matcher(hex).matches()) {
      throw new BadInputException(
          file,
          lineNo,
          "field \"" + field + "\" must be 64 hex digits, found \"" + brief(sha) + "\"");
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  private static String text(Path file, long lineNo, JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new BadInputException(file, lineNo, "missing field \"" + field + "\"");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new BadInputException(file, lineNo, "field \"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  private static String brief(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
