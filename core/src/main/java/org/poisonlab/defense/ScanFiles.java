package org.poisonlab.defense;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.poisonlab.data.Dataset;
import org.poisonlab.eval.Rankings;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * Scan files (docs/reference.md): {@code {"method", "scores": [{"id", "score", "flagged",
 * "source"}, ...], "flagged": [ids], "sources": [{"source", "flagged", "total"}, ...]}}. Scores are
 * sorted highest first, ties by dataset position; sources by flagged share (highest first), then
 * name, the examples without a source ({@code "source": null}) last. A single detection also writes
 * its {@code details}; several are written as method {@code "combined"} (see {@link #combine}) with
 * {@code "detectors": {name: {"flagged": [ids], "details": {...}}}} keeping each one's own result.
 * Trace files have the same layout, so {@link #read} serves purge for both. The same detections
 * always give the same bytes.
 */
public final class ScanFiles {
  /** The method name of a combination of several detections. */
  public static final String COMBINED = "combined";

  private ScanFiles() {}

  /** One example's line in a scan file. */
  public record Entry(String id, double score, boolean flagged, String source) {}

  /** An example's line as written: a score that is not finite is written as null. */
  record ScoreLine(String id, Double score, boolean flagged, String source) {}

  /**
   * One detector of a combination as written: its flagged ids, highest score first, and details.
   */
  record DetectorPart(List<String> flagged, DetectionDetails details) {}

  /** How many of a source's examples were flagged. {@code source} null for "no source". */
  public record SourceCount(String source, int flagged, int total) {
    /** flagged / total. */
    public double share() {
      return total == 0 ? 0 : (double) flagged / total;
    }
  }

  /**
   * A scan (or trace) file as read.
   *
   * @param scores highest first, as in the file; unmodifiable
   * @param flagged flagged ids; unmodifiable
   * @param sources as in the file; unmodifiable
   */
  public record ScanFile(
      String method, List<Entry> scores, List<String> flagged, List<SourceCount> sources) {
    public ScanFile {
      scores = List.copyOf(scores);
      flagged = List.copyOf(flagged);
      sources = List.copyOf(sources);
    }
  }

  /**
   * Combines detections of one data set into one, method {@link #COMBINED}, at the default
   * false-discovery rate {@value Findings#DEFAULT_FDR} (see {@link #combine(List, double)}).
   */
  public static Detection combine(List<Detection> detections) {
    return combine(detections, Findings.DEFAULT_FDR);
  }

  /**
   * Combines detections of one data set into one, method {@link #COMBINED}. Flags: the union of the
   * flags of the detectors whose finding holds after the control at {@code fdr} ({@link
   * Findings#control}; of several on the same target, a looser one only when the sharper ones did
   * not already flag most of its examples, {@link Findings#used}); none when no finding holds (the
   * detectors' own candidates stay in their parts of the scan file). Scores: the mean over those
   * detectors (over all when none holds) of each example's rank-normalised score {@code rank / n}
   * (ranks 1..n from the lowest score, ties sharing their mean rank, so the most suspicious example
   * of a detector gets 1); detectors that found nothing do not outvote the one that did. A single
   * detection is returned as is.
   *
   * @param detections not modified; at least one, all of the same size
   * @throws IllegalArgumentException if empty, the sizes differ, or {@code fdr} is not in (0, 1)
   */
  public static Detection combine(List<Detection> detections, double fdr) {
    if (detections.isEmpty()) {
      throw new IllegalArgumentException("no detections to combine");
    }
    List<Finding> findings = Findings.control(detections, fdr);
    if (detections.size() == 1) {
      return detections.get(0);
    }
    int n = detections.get(0).size();
    boolean anyHolds = findings.stream().anyMatch(Finding::significant);
    boolean[] uses = Findings.used(findings, detections.stream().map(Detection::flagged).toList());
    double[] sum = new double[n];
    boolean[] flagged = new boolean[n];
    int used = 0;
    Map<String, DetectionDetails.CombinedPart> perDetector = new LinkedHashMap<>();
    for (int k = 0; k < detections.size(); k++) {
      Detection d = detections.get(k);
      if (d.size() != n) {
        throw new IllegalArgumentException(
            d.method() + " scored " + d.size() + " examples, not " + n);
      }
      boolean holds = uses[k];
      boolean[] f = d.flagged();
      int count = Filtering.count(f);
      if (holds || !anyHolds) {
        double[] r = normalisedRanks(d.scores());
        used++;
        for (int i = 0; i < n; i++) {
          sum[i] += r[i];
          flagged[i] |= holds && f[i];
        }
      }
      perDetector.put(d.method(), new DetectionDetails.CombinedPart(count, holds));
    }
    for (int i = 0; i < n; i++) {
      sum[i] /= used;
    }
    DetectionDetails details =
        new DetectionDetails.Combined(
            "flagged by the detectors whose finding holds at false-discovery rate "
                + fdr
                + " (Benjamini-Hochberg across detectors; of several on one target, a looser one only where the sharper did not flag most of its examples);"
                + " scored by the mean of their rank/n"
                + " (of every detector's when none holds)",
            perDetector);
    return new Detection(COMBINED, sum, flagged, details);
  }

  /**
   * The scan file of {@code detections} over {@code data} as a JSON-ready map. When a detection
   * carries a finding (a detector's, not a trace's), the map also holds {@code "verdict"} and
   * {@code "findings"} (each detector's, after the control at {@code fdr}, with the sources of the
   * flags of those that hold).
   *
   * @param data not modified; the detections' examples, in order
   * @param detections not modified; at least one
   * @throws IllegalArgumentException if empty or a detection's size is not the data's
   */
  public static Map<String, Object> toJson(Dataset data, List<Detection> detections, double fdr) {
    Detection main = combine(detections, fdr);
    if (main.size() != data.size()) {
      throw new IllegalArgumentException(
          main.method() + " scored " + main.size() + " examples, data has " + data.size());
    }
    double[] scores = main.scores();
    boolean[] flagged = main.flagged();
    List<ScoreLine> lines = new ArrayList<>(data.size());
    List<String> flaggedIds = new ArrayList<>();
    for (int i : Rankings.descending(scores)) {
      lines.add(
          new ScoreLine(
              data.get(i).id(),
              Double.isFinite(scores[i]) ? scores[i] : null,
              flagged[i],
              data.get(i).source()));
      if (flagged[i]) {
        flaggedIds.add(data.get(i).id());
      }
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("method", main.method());
    if (detections.stream().anyMatch(d -> d.finding() != null)) {
      List<Finding> findings = new ArrayList<>(Findings.control(detections, fdr));
      boolean[] used =
          Findings.used(findings, detections.stream().map(Detection::flagged).toList());
      for (int k = 0; k < findings.size(); k++) {
        Finding f = Findings.withSources(findings.get(k), data, detections.get(k).flagged());
        findings.set(k, f.significant() && !used[k] ? f.withNote(Findings.SUPERSEDED) : f);
      }
      root.put("verdict", Findings.verdict(findings));
      root.put("fdr", fdr);
      root.put("findings", findings);
    }
    root.put("scores", lines);
    root.put("flagged", flaggedIds);
    root.put("sources", sources(data, flagged));
    if (detections.size() == 1) {
      root.put("details", main.details());
    } else {
      root.put("combination", main.details());
      Map<String, DetectorPart> each = new LinkedHashMap<>();
      for (Detection d : detections) {
        boolean[] f = d.flagged();
        List<String> ids = new ArrayList<>();
        for (int i : Rankings.descending(d.scores())) {
          if (f[i]) {
            ids.add(data.get(i).id());
          }
        }
        each.put(d.method(), new DetectorPart(ids, d.details()));
      }
      root.put("detectors", each);
    }
    return root;
  }

  /** How many of the highest-scored examples {@link #addTopExamples} keeps. */
  public static final int EXAMPLES_KEPT = 12;

  /**
   * Adds {@code "examples"} to a scan or trace map made by {@link #toJson}: the full content
   * (Example JSON, as in Example JSONL) of its {@value #EXAMPLES_KEPT} highest-scored examples, in
   * rank order, so that the file alone shows what was flagged ({@code poisonlab report} draws text
   * with the trigger highlighted and image thumbnails from it). Modifies {@code root}; {@code data}
   * is not modified.
   *
   * @param data the examples the map scores
   * @throws IllegalArgumentException if {@code root} has no {@code "scores"} list
   */
  public static void addTopExamples(Map<String, Object> root, Dataset data) {
    if (!(root.get("scores") instanceof List<?> scores)) {
      throw new IllegalArgumentException("no \"scores\" list in the scan map");
    }
    Map<String, org.poisonlab.data.Example> byId = new LinkedHashMap<>();
    for (Object o : scores) {
      if (byId.size() == EXAMPLES_KEPT) {
        break;
      }
      if (o instanceof ScoreLine line) {
        byId.put(line.id(), null);
      } else if (o instanceof Map<?, ?> m && m.get("id") instanceof String id) {
        byId.put(id, null);
      }
    }
    for (org.poisonlab.data.Example e : data) {
      if (byId.containsKey(e.id()) && byId.get(e.id()) == null) {
        byId.put(e.id(), e);
      }
    }
    List<org.poisonlab.data.Example> kept =
        byId.values().stream().filter(Objects::nonNull).toList();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    org.poisonlab.data.ExampleJsonl.write(bytes, kept);
    List<JsonNode> nodes = new ArrayList<>(kept.size());
    try {
      for (String line : bytes.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n", -1)) {
        if (!line.isEmpty()) {
          nodes.add(Json.mapper().readTree(line));
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Example JSONL written here is JSON", e);
    }
    root.put("examples", nodes);
  }

  /**
   * Writes the scan file of {@code detections} over {@code data} to {@code file}, atomically.
   *
   * @throws java.io.UncheckedIOException if it cannot be written; the file is then untouched
   * @throws IllegalArgumentException as {@link #toJson}
   */
  public static void write(Path file, Dataset data, List<Detection> detections) {
    Json.write(file, toJson(data, detections, Findings.DEFAULT_FDR));
  }

  /**
   * Per source: flagged and total examples, by flagged share (highest first), then name, with the
   * examples that have no source last.
   *
   * @param flagged one per example of {@code data}; not modified
   */
  public static List<SourceCount> sources(Dataset data, boolean[] flagged) {
    Map<String, int[]> counts = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
    for (int i = 0; i < data.size(); i++) {
      int[] c = counts.computeIfAbsent(data.get(i).source(), k -> new int[2]);
      c[0] += flagged[i] ? 1 : 0;
      c[1]++;
    }
    List<SourceCount> out = new ArrayList<>();
    counts.forEach((s, c) -> out.add(new SourceCount(s, c[0], c[1])));
    out.sort(
        Comparator.comparing((SourceCount s) -> s.source() == null)
            .thenComparing(Comparator.comparingDouble(SourceCount::share).reversed())
            .thenComparing(SourceCount::source, Comparator.nullsLast(Comparator.naturalOrder())));
    return out;
  }

  /**
   * The named sources of {@code sources} ranked for a reader: by flagged count (highest first),
   * then flagged share, then name; the examples without a source left out. A source with one
   * flagged example of one says little, so count comes before share. {@code sources} is not
   * modified.
   */
  public static List<SourceCount> rankedByFlags(List<SourceCount> sources) {
    return sources.stream()
        .filter(c -> c.source() != null)
        .sorted(
            Comparator.comparingInt(SourceCount::flagged)
                .reversed()
                .thenComparing(Comparator.comparingDouble(SourceCount::share).reversed())
                .thenComparing(SourceCount::source))
        .toList();
  }

  /**
   * Reads a scan or trace file.
   *
   * @throws BadInputException naming the file (and the line, for malformed JSON) if it is missing,
   *     not JSON, or lacks {@code method}, a {@code scores} array of objects with a string {@code
   *     id}, or a {@code flagged} array of strings
   */
  public static ScanFile read(Path file) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new BadInputException(file, 0, "flags file does not exist");
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new BadInputException(
          file, Math.max(line, 0), "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read flags file: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(
          file, 0, "a scan file is a JSON object with \"method\", \"scores\" and \"flagged\"");
    }
    JsonNode method = root.get("method");
    if (method == null || !method.isTextual()) {
      throw new BadInputException(file, 0, "missing \"method\" string");
    }
    JsonNode scores = root.get("scores");
    if (scores == null || !scores.isArray()) {
      throw new BadInputException(file, 0, "missing \"scores\" array");
    }
    List<Entry> entries = new ArrayList<>(scores.size());
    for (int i = 0; i < scores.size(); i++) {
      JsonNode e = scores.get(i);
      JsonNode id = e.get("id");
      if (!e.isObject() || id == null || !id.isTextual()) {
        throw new BadInputException(file, 0, "\"scores\" entry " + i + " has no string \"id\"");
      }
      JsonNode s = e.get("score");
      JsonNode src = e.get("source");
      entries.add(
          new Entry(
              id.asText(),
              s == null || !s.isNumber() ? Double.NaN : s.asDouble(),
              e.path("flagged").asBoolean(false),
              src == null || src.isNull() ? null : src.asText()));
    }
    JsonNode flagged = root.get("flagged");
    if (flagged == null || !flagged.isArray()) {
      throw new BadInputException(file, 0, "missing \"flagged\" array");
    }
    List<String> ids = new ArrayList<>(flagged.size());
    for (int i = 0; i < flagged.size(); i++) {
      if (!flagged.get(i).isTextual()) {
        throw new BadInputException(file, 0, "\"flagged\" entry " + i + " is not a string");
      }
      ids.add(flagged.get(i).asText());
    }
    List<SourceCount> sources = new ArrayList<>();
    for (JsonNode s : root.path("sources")) {
      JsonNode name = s.get("source");
      sources.add(
          new SourceCount(
              name == null || name.isNull() ? null : name.asText(),
              s.path("flagged").asInt(),
              s.path("total").asInt()));
    }
    return new ScanFile(method.asText(), entries, ids, sources);
  }

  /** Ranks 1..n from the lowest score (ties share their mean rank, NaN lowest), divided by n. */
  static double[] normalisedRanks(double[] scores) {
    int n = scores.length;
    int[] desc = Rankings.descending(scores);
    double[] out = new double[n];
    for (int a = 0; a < n; ) {
      int b = a;
      while (b + 1 < n && Objects.equals(scores[desc[b + 1]], scores[desc[a]])) {
        b++;
      }
      // positions a..b (from the top) hold ranks n-b .. n-a
      double rank = n - (a + b) / 2.0;
      for (int j = a; j <= b; j++) {
        out[desc[j]] = rank / n;
      }
      a = b + 1;
    }
    return out;
  }
}
