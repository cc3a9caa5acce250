package org.poisonlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Downloader;

/**
 * Fetches the artifacts of pinned datasets into the cache of {@link DatasetRegistry}: by their
 * default routes (those that one client run can serve, in batches), or from a file, folder or URL;
 * each verified against its pin and moved into place, a cached copy that verifies kept as it is.
 */
final class ArtifactFetcher {
  /** Artifacts fetched together in one run of their client, at most. */
  static final int BATCH = 64;

  private final Downloader.Limits limits;

  ArtifactFetcher(Downloader.Limits limits) {
    this.limits = limits;
  }

  /**
   * Fetches every artifact of {@code e} that is not cached or does not verify, and returns {@link
   * DatasetRegistry#artifactPath(Path, PinnedEntry)}. An artifact cached and verified is not
   * fetched again, so an interrupted fetch of many artifacts resumes where it stopped.
   *
   * @param from null for each artifact's default route; for one artifact a file or URL; for several
   *     a folder or base URL under which each artifact is at its path (a Maven repository layout)
   *     or, in a folder, under its file name
   */
  Path fetch(PinnedEntry e, String from, Path home, Consumer<String> progress) {
    Consumer<String> p = progress == null ? s -> {} : progress;
    if (e.single()) {
      return fetch(e, e.artifacts().get(0), e.name(), from, home, p);
    }
    List<PinnedArtifact> all = e.artifacts();
    long t0 = System.nanoTime();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (!verifiedCopy(
          DatasetRegistry.artifactPath(home, e, all.get(i)), all.get(i), label(e, i), p)) {
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
    return DatasetRegistry.artifactPath(home, e);
  }

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
    Path dir = DatasetRegistry.datasetDir(home, e);
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
            DatasetRegistry.artifactPath(home, e, batch.get(k)),
            label(e, indices.get(k)),
            null,
            p);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot fetch " + e.name() + " into " + dir + ": " + ex.getMessage(), ex);
    } finally {
      try {
        DatasetRegistry.deleteRecursively(work);
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
    Path target = DatasetRegistry.artifactPath(home, e, a);
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
        DatasetRegistry.deleteRecursively(work);
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

  private static void moveIntoPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException ex) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
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
