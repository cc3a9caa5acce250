package org.poisonlab.provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Downloader;
import org.poisonlab.io.Json;
import org.poisonlab.provenance.FetchResult.Status;

/**
 * Downloads an index of {@code {url, sha256, source}} rows and keeps only content that matches its
 * recorded hash: the defense against split-view poisoning of Carlini et al., "Poisoning Web-Scale
 * Training Datasets is Practical" (IEEE S&amp;P 2024), where the content behind a URL changes after
 * the index was made (for instance when its domain expires and is bought).
 *
 * <p>Layout of the output folder {@code DIR}:
 *
 * <ul>
 *   <li>{@code data/SHA256}: verified content, named by its hash;
 *   <li>{@code quarantine/SHA256}: content that did not match its row's hash, named by its own
 *       hash, reported as possible split-view poisoning;
 *   <li>{@code partial/}: downloads in progress; left over by an interrupted run, removed by the
 *       next;
 *   <li>{@code state.jsonl}: the verdicts so far (see below);
 *   <li>{@code fetch.json}: the summary of the last run ({@link FetchSummary#asJson()}).
 * </ul>
 *
 * <p>Resuming: a row whose verdict (ok or mismatch) is in {@code state.jsonl} and whose file is
 * still in place with the recorded size is not downloaded again; failed rows are retried. A file
 * counts as verified only after its bytes are hashed; it is moved into {@code data/} only then.
 */
public final class VerifiedDownloads {
  static final String DATA = "data";
  static final String QUARANTINE = "quarantine";
  static final String PARTIAL = "partial";
  static final String STATE = "state.jsonl";
  static final String SUMMARY = "fetch.json";

  private VerifiedDownloads() {}

  /**
   * Downloads every row of {@code index} into {@code dir} under {@code options}, writes {@code
   * dir/fetch.json}, and returns the summary. Rows run on {@code options.threads()} threads; the
   * results are in index order whatever the timing. The index is not modified.
   *
   * @param progress receives one line per row as it finishes (called from one thread at a time)
   * @throws BadInputException if the index is missing or a row is bad (naming file and line), or
   *     the state file is corrupt
   * @throws UncheckedIOException if the output folder cannot be written
   */
  public static FetchSummary fetch(
      Path index, Path dir, FetchOptions options, Consumer<String> progress) {
    List<IndexFile.Row> rows = IndexFile.read(index);
    Path partial = dir.resolve(PARTIAL);
    try {
      Files.createDirectories(dir.resolve(DATA));
      Files.createDirectories(dir.resolve(QUARANTINE));
      Files.createDirectories(partial);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(partial)) {
        for (Path p : old) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    FetchJournal journal = FetchJournal.open(dir.resolve(STATE));
    HttpClient client = Downloader.client(options.limits());
    Run run = new Run(dir, journal, new Downloader(client, options.limits()), progress);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.threads(),
            r -> {
              Thread t = new Thread(r, "poisonlab-fetch");
              t.setDaemon(true);
              return t;
            });
    List<FetchResult> results = new ArrayList<>(rows.size());
    try {
      List<Future<FetchResult>> futures = new ArrayList<>(rows.size());
      for (IndexFile.Row row : rows) {
        futures.add(pool.submit(() -> run.one(row)));
      }
      for (Future<FetchResult> f : futures) {
        results.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    FetchSummary summary = FetchSummary.of(results);
    Json.write(dir.resolve(SUMMARY), summary.asJson());
    return summary;
  }

  /** The work of one run, shared by its threads. */
  private record Run(
      Path dir, FetchJournal journal, Downloader downloader, Consumer<String> progress) {
    FetchResult one(IndexFile.Row row) {
      FetchResult r = kept(row);
      if (r == null) {
        r = download(row);
      }
      synchronized (progress) {
        progress.accept(
            "line "
                + row.line()
                + ": "
                + r.status().name().toLowerCase(java.util.Locale.ROOT)
                + (r.downloaded() ? "" : " (kept)")
                + " "
                + row.url()
                + (r.detail() == null ? "" : ": " + r.detail()));
      }
      return r;
    }

    /** An earlier verdict whose file is still in place, or null. */
    private FetchResult kept(IndexFile.Row row) {
      FetchJournal.Verdict v = journal.get(row.url(), row.sha256());
      if (v == null || v.actualSha256() == null) {
        return null;
      }
      boolean ok = v.status().equals("ok");
      String rel = (ok ? DATA : QUARANTINE) + "/" + v.actualSha256();
      try {
        Path p = dir.resolve(rel);
        if (!Files.isRegularFile(p) || Files.size(p) != v.bytes()) {
          return null;
        }
      } catch (IOException e) {
        return null;
      }
      return ok
          ? new FetchResult(
              row.line(),
              row.url(),
              row.source(),
              row.sha256(),
              Status.OK,
              null,
              null,
              v.actualSha256(),
              v.bytes(),
              rel,
              false)
          : mismatch(row, v.actualSha256(), v.bytes(), rel, false);
    }

    private FetchResult download(IndexFile.Row row) {
      Path tmp = dir.resolve(PARTIAL).resolve("line-" + row.line() + ".part");
      Downloader.Outcome o = downloader.fetch(row.uri(), tmp);
      if (o.received() == null) {
        delete(tmp);
        return new FetchResult(
            row.line(),
            row.url(),
            row.source(),
            row.sha256(),
            Status.FAILED,
            o.reason(),
            o.detail(),
            null,
            0,
            null,
            true);
      }
      String actual = o.received().sha256();
      long bytes = o.received().bytes();
      boolean ok = actual.equals(row.sha256());
      String rel = (ok ? DATA : QUARANTINE) + "/" + actual;
      move(tmp, dir.resolve(rel));
      journal.append(
          new FetchJournal.Verdict(row.url(), row.sha256(), ok ? "ok" : "mismatch", actual, bytes));
      return ok
          ? new FetchResult(
              row.line(),
              row.url(),
              row.source(),
              row.sha256(),
              Status.OK,
              null,
              null,
              actual,
              bytes,
              rel,
              true)
          : mismatch(row, actual, bytes, rel, true);
    }

    private static FetchResult mismatch(
        IndexFile.Row row, String actual, long bytes, String rel, boolean downloaded) {
      return new FetchResult(
          row.line(),
          row.url(),
          row.source(),
          row.sha256(),
          Status.MISMATCH,
          null,
          "possible split-view poisoning: the content's sha256 is "
              + actual
              + ", the index recorded "
              + row.sha256(),
          actual,
          bytes,
          rel,
          downloaded);
    }

    private static void move(Path from, Path to) {
      try {
        try {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot move " + from + " to " + to + ": " + e.getMessage(), e);
      }
    }

    private static void delete(Path p) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover partial file is removed by the next run
      }
    }
  }
}
