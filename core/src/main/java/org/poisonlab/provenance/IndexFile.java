package org.poisonlab.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
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
 * Reads a download index: JSONL rows {@code {"url", "sha256", "source"}} (the LAION / DataComp
 * shape). {@code url} is http or https with a host; {@code sha256} is 64 hex digits, optionally
 * prefixed {@code sha256:}; {@code source} is optional (default: the URL's host). Other fields are
 * ignored, blank lines skipped; the first bad row stops the read.
 */
final class IndexFile {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final ObjectMapper JSON = Json.strict();

  record Row(long line, URI uri, String url, String sha256, String source) {}

  private IndexFile() {}

  static List<Row> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "no such file");
    }
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (!line.isBlank()) {
          rows.add(row(file, lineNo, line));
        }
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new BadInputException(file, 0, "not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return rows;
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
    String sha = text(file, lineNo, n, "sha256", true);
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
    String hex = sha.startsWith("sha256:") ? sha.substring(7) : sha;
    if (!HEX64.matcher(hex).matches()) {
      throw new BadInputException(
          file, lineNo, "field \"sha256\" must be 64 hex digits, found \"" + brief(sha) + "\"");
    }
    if (source == null) {
      source = uri.getHost().toLowerCase(Locale.ROOT);
    }
    return new Row(lineNo, uri, url, hex.toLowerCase(Locale.ROOT), source);
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
