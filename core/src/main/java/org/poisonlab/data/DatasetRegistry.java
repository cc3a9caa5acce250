package org.poisonlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Downloader;

/**
 * The pinned datasets and their cache. Layout under {@code home}: {@code
 * datasets/NAME/ARTIFACT_FILE} (the verified artifact) and {@code
 * datasets/NAME/derived-HASHPREFIX/} (files derived from it, with a {@code COMPLETE} marker written
 * last). Both are written to temporary names in the same folder and renamed into place, so a reader
 * never sees half of either. The pinned datasets are {@link StandardDatasets}; fetching is {@link
 * ArtifactFetcher}.
 */
final class DatasetRegistry {
  static final long MAX_DOWNLOAD_BYTES = 200L << 20;
  static final String MARKER = "COMPLETE";
  private static final Pattern SPEC = Pattern.compile("[a-z0-9][a-z0-9._-]*:[a-z0-9]+");

  private static final Downloader.Limits LIMITS =
      new Downloader.Limits(MAX_DOWNLOAD_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(60), 5);

  static final DatasetRegistry STANDARD =
      new DatasetRegistry(StandardDatasets.entries(LIMITS), LIMITS);

  private final Map<String, PinnedEntry> entries = new LinkedHashMap<>();
  private final ArtifactFetcher fetcher;

  DatasetRegistry(List<PinnedEntry> entries, Downloader.Limits limits) {
    for (PinnedEntry e : entries) {
      this.entries.put(e.name(), e);
    }
    this.fetcher = new ArtifactFetcher(limits);
  }

  List<DatasetDescription> list(Path home) {
    List<DatasetDescription> out = new ArrayList<>();
    for (PinnedEntry e : entries.values()) {
      boolean cached = true;
      for (PinnedArtifact a : e.artifacts()) {
        Path p = artifactPath(home, e, a);
        try {
          cached &= Files.isRegularFile(p) && Files.size(p) == a.bytes();
        } catch (IOException ex) {
          cached = false;
        }
      }
      out.add(
          new DatasetDescription(
              e.name(),
              e.summary(),
              e.size(),
              e.artifactBytes(),
              e.single()
                  ? e.pin().display()
                  : e.pin().display() + " (list of " + e.artifacts().size() + " sha256 pins)",
              e.routeDescription(),
              e.format().splits(),
              artifactPath(home, e),
              cached));
    }
    return out;
  }

  PinnedEntry entry(String name) {
    PinnedEntry e = entries.get(name);
    if (e == null) {
      throw new BadInputException(
          "unknown dataset '" + name + "'; known: " + String.join(", ", entries.keySet()));
    }
    return e;
  }

  static Path datasetDir(Path home, PinnedEntry e) {
    return home.resolve("datasets").resolve(e.name());
  }

  /** The artifact file of a one-artifact dataset, or the folder holding the artifacts. */
  static Path artifactPath(Path home, PinnedEntry e) {
    return e.single()
        ? artifactPath(home, e, e.artifacts().get(0))
        : datasetDir(home, e).resolve("artifacts");
  }

  static Path artifactPath(Path home, PinnedEntry e, PinnedArtifact a) {
    return e.single()
        ? datasetDir(home, e).resolve(a.path())
        : datasetDir(home, e).resolve("artifacts").resolve(a.path());
  }

  static Path derivedDir(Path home, PinnedEntry e) {
    return datasetDir(home, e).resolve("derived-" + e.pin().hexPrefix(12));
  }

  /** Fetches the artifacts of {@code name}: {@link ArtifactFetcher#fetch}. */
  Path fetch(String name, String from, Path home, Consumer<String> progress) {
    return fetcher.fetch(entry(name), from, home, progress);
  }

  /**
   * The JSONL shards of a document corpus, fetching the artifacts and building the shards when they
   * are not cached.
   */
  PinnedCorpus corpus(String name, Path home, Consumer<String> progress) {
    PinnedEntry e = entry(name);
    if (!e.format().splits().isEmpty()) {
      throw new BadInputException(
          name
              + " is not a document corpus: export a split with 'poisonlab data export "
              + name
              + " --split "
              + e.format().splits().get(0)
              + " --out FILE'");
    }
    Consumer<String> p = progress == null ? s -> {} : progress;
    Path derived = derivedDir(home, e);
    try {
      if (!isComplete(derived, e)) {
        derive(e, home, p);
      }
      List<Path> shards;
      try (Stream<Path> s = Files.list(derived)) {
        shards =
            s.filter(q -> q.getFileName().toString().matches("shard-\\d+\\.jsonl"))
                .sorted()
                .toList();
      }
      SourcesCorpusFormat.Stats st =
          org.poisonlab.io.Json.mapper()
              .readValue(
                  derived.resolve(SourcesCorpusFormat.STATS).toFile(),
                  SourcesCorpusFormat.Stats.class);
      return new PinnedCorpus(
          name,
          derived,
          shards,
          st.artifacts(),
          st.jarBytes(),
          st.documents(),
          st.textBytes(),
          st.sources());
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot build the shards of " + name + " in " + derived + ": " + ex.getMessage(), ex);
    }
  }

  Dataset load(String name, String split, Path home, Consumer<String> progress) {
    return split(name, split, home, progress, ArtifactFormat::load);
  }

  ExampleSource source(String name, String split, Path home, Consumer<String> progress) {
    return split(name, split, home, progress, ArtifactFormat::source);
  }

  /** How one split is read from the derived folder: loaded, or as a source. */
  @FunctionalInterface
  private interface SplitReader<T> {
    T read(ArtifactFormat format, Path derived, String split, String datasetName)
        throws IOException;
  }

  private <T> T split(
      String name, String split, Path home, Consumer<String> progress, SplitReader<T> reader) {
    PinnedEntry e = entry(name);
    if (e.format().splits().isEmpty()) {
      throw new BadInputException(
          name
              + " is a document corpus without splits: 'poisonlab data export "
              + name
              + " --out DIR' writes its JSONL shards");
    }
    if (split == null || !e.format().splits().contains(split)) {
      throw new BadInputException(
          "unknown split '"
              + split
              + "' of "
              + name
              + "; expected "
              + String.join(" or ", e.format().splits()));
    }
    Consumer<String> p = progress == null ? s -> {} : progress;
    Path derived = derivedDir(home, e);
    try {
      if (!isComplete(derived, e)) {
        derive(e, home, p);
      }
      return reader.read(e.format(), derived, split, name + ":" + split);
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot load " + name + ":" + split + " from " + derived + ": " + ex.getMessage(), ex);
    }
  }

  private static String marker(PinnedEntry e) {
    return "format " + e.format().id() + "\nartifact " + e.pin().display() + "\n";
  }

  static boolean isComplete(Path derived, PinnedEntry e) throws IOException {
    Path m = derived.resolve(MARKER);
    return Files.isRegularFile(m) && Files.readString(m, StandardCharsets.UTF_8).equals(marker(e));
  }

  private void derive(PinnedEntry e, Path home, Consumer<String> p) throws IOException {
    Path artifact = fetch(e.name(), null, home, p);
    Path derived = derivedDir(home, e);
    Path tmp = Files.createTempDirectory(datasetDir(home, e), ".derived-");
    try {
      long t0 = System.nanoTime();
      e.format().derive(artifact, tmp, p);
      AtomicFiles.writeString(tmp.resolve(MARKER), marker(e));
      if (Files.exists(derived)) {
        p.accept(e.name() + ": replacing the incomplete or outdated " + derived);
        deleteRecursively(derived);
      }
      try {
        Files.move(tmp, derived, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        if (!isComplete(derived, e)) {
          throw raced;
        }
      }
      p.accept(
          String.format(
              java.util.Locale.ROOT,
              "%s: derived cache written in %.1f s: %s",
              e.name(),
              (System.nanoTime() - t0) / 1e9,
              derived));
    } finally {
      deleteRecursively(tmp);
    }
  }

  Dataset resolve(String spec, Path home, Consumer<String> progress) {
    int colon = pinnedColon(spec);
    return colon < 0
        ? ExampleJsonl.read(file(spec))
        : load(spec.substring(0, colon), spec.substring(colon + 1), home, progress);
  }

  ExampleSource resolveSource(String spec, Path home, Consumer<String> progress) {
    int colon = pinnedColon(spec);
    return colon < 0
        ? ExampleJsonl.source(file(spec))
        : source(spec.substring(0, colon), spec.substring(colon + 1), home, progress);
  }

  /**
   * The position of the colon in a {@code NAME:SPLIT} of a pinned dataset, or -1 for a file.
   *
   * @throws BadInputException for {@code NAME:SPLIT} of an unknown name that is no file either
   */
  private int pinnedColon(String spec) {
    if (SPEC.matcher(spec).matches()) {
      int colon = spec.indexOf(':');
      String name = spec.substring(0, colon);
      if (entries.containsKey(name)) {
        return colon;
      }
      if (!Files.exists(Path.of(spec))) {
        throw new BadInputException(
            "unknown dataset '"
                + name
                + "' in '"
                + spec
                + "'; known: "
                + String.join(", ", entries.keySet())
                + "; or give an Example JSONL file");
      }
    }
    return -1;
  }

  private static Path file(String spec) {
    try {
      return Path.of(spec);
    } catch (InvalidPathException ex) {
      throw new BadInputException("not a dataset name or a file: " + spec);
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    }
  }
}
