package org.poisonlab.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * The resume state of a download folder: an append-only JSONL file with one line per verdict
 * ({@code url, sha256, status, actual_sha256, bytes}). A line is appended, in one write, only after
 * its file is in place, so a crash loses at most the verdict being written; a torn last line is
 * dropped (and the file rewritten without it) when the journal is opened.
 */
final class FetchJournal {
  @JsonPropertyOrder({"url", "sha256", "status", "actual_sha256", "bytes"})
  record Verdict(
      String url,
      String sha256,
      String status,
      @JsonProperty("actual_sha256") String actualSha256,
      long bytes) {
    String key() {
      return key(url, sha256);
    }

    static String key(String url, String sha256) {
      return sha256 + " " + url;
    }
  }

  private static final ObjectMapper JSON = Json.mapper();

  private final Path file;
  private final Map<String, Verdict> verdicts;

  private FetchJournal(Path file, Map<String, Verdict> verdicts) {
    this.file = file;
    this.verdicts = verdicts;
  }

  static FetchJournal open(Path file) {
    Map<String, Verdict> out = new HashMap<>();
    if (!Files.exists(file)) {
      return new FetchJournal(file, out);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String> lines = text.lines().toList();
    boolean torn = !text.isEmpty() && !text.endsWith("\n");
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank()) {
        continue;
      }
      if (torn && i == lines.size() - 1) {
        break; // the verdict being written when a run stopped
      }
      try {
        JsonNode n = JSON.readTree(l);
        Verdict v =
            new Verdict(
                n.get("url").textValue(),
                n.get("sha256").textValue(),
                n.get("status").textValue(),
                n.get("actual_sha256").textValue(),
                n.get("bytes").longValue());
        out.put(v.key(), v);
        kept.append(l).append('\n');
      } catch (IOException | RuntimeException e) {
        throw new BadInputException(
            file, i + 1, "not a download verdict; delete the file to start over");
      }
    }
    if (torn) {
      AtomicFiles.writeString(file, kept.toString());
    }
    return new FetchJournal(file, out);
  }

  synchronized Verdict get(String url, String sha256) {
    return verdicts.get(Verdict.key(url, sha256));
  }

  synchronized void append(Verdict v) {
    try {
      byte[] line = (JSON.writeValueAsString(v) + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    verdicts.put(v.key(), v);
  }
}
