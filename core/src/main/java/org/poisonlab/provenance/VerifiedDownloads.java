package org.poisonlab.provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Downloader;
import org.poisonlab.io.Json;
import org.poisonlab.provenance.FetchResult.Verdict;

/**
 * Downloads an index of {@code {url, sha256, source, normalized_sha256}} rows and keeps only
 * content that is what the index recorded: the defense against split-view poisoning of Carlini et
 * al., "Poisoning Web-Scale Training Datasets is Practical" (IEEE S&amp;P 2024), where the content
 * behind a URL changes after the index was made (for instance when its domain expires and is
 * bought).
 *
 * <p>Each row gets a verdict: {@code ok} (the bytes hash to {@code sha256}), {@code reencoded}
 * (only with {@link FetchOptions#tolerant()}: the bytes differ but their normal form, {@link
 * Normalizations}, hashes to the row's {@code normalized_sha256}, or to its {@code sha256} when the
 * recorded content was already in normal form), {@code substituted} (anything else), or {@code
 * missing} (nothing usable received).
 *
 * <p>Layout of the output folder {@code DIR}:
 *
 * <ul>
 *   <li>{@code data/SHA256}: ok and reencoded content as received, named by its own hash;
 *   <li>{@code quarantine/SHA256}: substituted content, named by its own hash;
 *   <li>{@code partial/}: downloads and the results file in progress; removed by the next run;
 *   <li>{@code state.jsonl}: the resume journal ({@link FetchJournal});
 *   <li>{@code results.jsonl}: one line per row, in index order ({@link FetchSummary.ResultJson}),
 *       renamed into place when the run completes;
 *   <li>{@code fetch.json}: the summary ({@link FetchSummary#asJson()}), with counts by domain.
 * </ul>
 *
 * <p><b>Scale.</b> The index is read twice, one row at a time: once to check every row (a bad row
 * stops the run before any download), once to fetch. At most {@link FetchOptions#window()} rows are
 * in flight; results are handed on in index order. Memory grows with the window, the number of
 * domains and sources (the summary's counts) and the number of interrupted runs the journal merges,
 * not with the number of rows.
 *
 * <p><b>Resuming.</b> A row whose decided verdict (ok, reencoded, substituted) an earlier run
 * recorded for the same line, URL and hashes, and whose file is still in place with the recorded
 * size, is not downloaded again; missing rows are retried. A substituted verdict reached in the
 * other mode (strict or tolerant) is redone. A rerun after an interruption gives the same {@code
 * data/}, {@code results.jsonl} and {@code fetch.json} as one uninterrupted run.
 */
public final class VerifiedDownloads {
  static final String DATA = "data";
  static final String QUARANTINE = "quarantine";
  static final String PARTIAL = "partial";
  static final String STATE = "state.jsonl";
  static final String RESULTS = "results.jsonl";
  static final String SUMMARY = "fetch.json";

  /** Rows between two progress messages. */
  private static final int PROGRESS_EVERY = 1000;

  private VerifiedDownloads() {}

  /** One download: what it received into the file, or why nothing usable. */
  record Fetched(long bytes, String sha256, String reason, String detail) {
    static Fetched failed(String reason, String detail) {
      return new Fetched(0, null, reason, detail);
    }
  }

  /** Downloads one URL into a file; thread-safe. */
  @FunctionalInterface
  interface Fetcher {
    Fetched fetch(URI uri, Path file);
  }

  /**
   * Downloads every row of {@code index} into {@code dir} under {@code options}, writes {@code
   * dir/results.jsonl} and {@code dir/fetch.json}, and returns the summary. The index is not
   * modified.
   *
   * @param progress receives a line every 1,000 rows and for each substituted row (called from one
   *     thread)
   * @throws BadInputException if the index is missing or a row is bad (naming file and line), or
   *     the journal is corrupt
   * @throws UncheckedIOException if the output folder cannot be written
   */
  public static FetchSummary fetch(
      Path index, Path dir, FetchOptions options, Consumer<String> progress) {
    Downloader d = new Downloader(Downloader.client(options.limits()), options.limits());
    return fetch(
        index,
        dir,
        options,
        progress,
        (uri, file) -> {
          Downloader.Outcome o = d.fetch(uri, file);
          return o.received() == null
              ? Fetched.failed(o.reason(), o.detail())
              : new Fetched(o.received().bytes(), o.received().sha256(), null, null);
        });
  }

  /** {@link #fetch(Path, Path, FetchOptions, Consumer)} with another way to download. */
  static FetchSummary fetch(
      Path index, Path dir, FetchOptions options, Consumer<String> progress, Fetcher fetcher) {
    long total = IndexFile.check(index);
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
    Run run = new Run(dir, options, fetcher);
    FetchSummary.Builder summary = new FetchSummary.Builder(options.tolerant());
    Path resultsPart = partial.resolve(RESULTS);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.threads(),
            r -> {
              Thread t = new Thread(r, "poisonlab-fetch");
              t.setDaemon(true);
              return t;
            });
    FetchJournal journal = FetchJournal.open(dir.resolve(STATE));
    boolean complete = false;
    try (IndexFile rows = IndexFile.open(index);
        Writer results = Files.newBufferedWriter(resultsPart, StandardCharsets.UTF_8)) {
      Emitter emit = new Emitter(journal, results, summary, options.tolerant(), total, progress);
      ArrayDeque<Future<FetchResult>> window = new ArrayDeque<>();
      for (IndexFile.Row row = rows.next(); row != null; row = rows.next()) {
        FetchResult kept = run.kept(row, journal.previous(row.line()));
        IndexFile.Row r = row;
        window.add(
            kept != null ? CompletableFuture.completedFuture(kept) : pool.submit(() -> run.one(r)));
        if (window.size() >= options.window()) {
          emit.accept(window.poll().get());
        }
      }
      while (!window.isEmpty()) {
        emit.accept(window.poll().get());
      }
      emit.last();
      complete = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + resultsPart + ": " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
      if (complete) {
        journal.finish();
      } else {
        journal.close();
      }
    }
    move(resultsPart, dir.resolve(RESULTS));
    FetchSummary s = summary.snapshot();
    Json.write(dir.resolve(SUMMARY), s.asJson());
    return s;
  }

  /** Hands results on in index order: journal, results file, summary, progress. */
  private static final class Emitter {
    private final FetchJournal journal;
    private final Writer results;
    private final FetchSummary.Builder summary;
    private final boolean tolerant;
    private final long total;
    private final Consumer<String> progress;
    private long n;

    Emitter(
        FetchJournal journal,
        Writer results,
        FetchSummary.Builder summary,
        boolean tolerant,
        long total,
        Consumer<String> progress) {
      this.journal = journal;
      this.results = results;
      this.summary = summary;
      this.tolerant = tolerant;
      this.total = total;
      this.progress = progress;
    }

    void accept(FetchResult r) throws IOException {
      if (r.verdict() != Verdict.MISSING) {
        journal.append(
            new FetchJournal.Entry(
                r.line(),
                r.url(),
                r.sha256(),
                r.normalizedSha256(),
                r.verdict().name().toLowerCase(Locale.ROOT),
                r.actualSha256(),
                r.bytes(),
                r.detail(),
                tolerant));
      }
      results.write(Json.mapper().writeValueAsString(FetchSummary.ResultJson.of(r)));
      results.write('\n');
      summary.add(r);
      n++;
      if (r.verdict() == Verdict.SUBSTITUTED) {
        progress.accept("line " + r.line() + ": substituted " + r.url() + ": " + r.detail());
      }
      if (n % PROGRESS_EVERY == 0) {
        last();
      }
    }

    void last() {
      FetchSummary s = summary.snapshot();
      progress.accept(
          String.format(
              Locale.ROOT,
              "row %d of %d: %d ok, %d reencoded, %d substituted, %d missing",
              n,
              total,
              s.ok(),
              s.reencoded(),
              s.substituted(),
              s.missing()));
    }
  }

  /** The work of one run, shared by its threads. */
  private record Run(Path dir, FetchOptions options, Fetcher fetcher) {
    /** An earlier run's verdict for this row whose file is still in place, or null. */
    FetchResult kept(IndexFile.Row row, FetchJournal.Entry e) {
      if (e == null
          || !e.url().equals(row.url())
          || !e.sha256().equals(row.sha256())
          || !Objects.equals(e.normalizedSha256(), row.normalizedSha256())
          || e.actualSha256() == null) {
        return null;
      }
      Verdict v;
      try {
        v = Verdict.valueOf(e.verdict().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException x) {
        return null;
      }
      if (v == Verdict.MISSING || (v != Verdict.OK && e.tolerant() != options.tolerant())) {
        return null;
      }
      String rel = (v.kept() ? DATA : QUARANTINE) + "/" + e.actualSha256();
      try {
        Path p = dir.resolve(rel);
        if (!Files.isRegularFile(p) || Files.size(p) != e.bytes()) {
          return null;
        }
      } catch (IOException x) {
        return null;
      }
      return result(row, v, null, e.detail(), e.actualSha256(), e.bytes(), rel, false);
    }

    FetchResult one(IndexFile.Row row) {
      Path tmp = dir.resolve(PARTIAL).resolve("line-" + row.line() + ".part");
      Fetched f = fetcher.fetch(row.uri(), tmp);
      if (f.sha256() == null) {
        delete(tmp);
        return result(row, Verdict.MISSING, f.reason(), f.detail(), null, 0, null, true);
      }
      Verdict v;
      String detail;
      if (f.sha256().equals(row.sha256())) {
        v = Verdict.OK;
        detail = null;
      } else if (options.tolerant()) {
        Normalizations.Normalized n = Normalizations.normalize(tmp, options.maxBytes());
        if (n.sha256() != null
            && (n.sha256().equals(row.normalizedSha256()) || n.sha256().equals(row.sha256()))) {
          v = Verdict.REENCODED;
          detail = "the same content after normalisation (" + n.describe() + ")";
        } else {
          v = Verdict.SUBSTITUTED;
          detail =
              substitution(f, row)
                  + (n.sha256() == null
                      ? "; it decompresses to more than the size cap"
                      : "; its normal form ("
                          + n.describe()
                          + ") has sha256 "
                          + n.sha256()
                          + (row.normalizedSha256() == null
                              ? ", the row has no normalized_sha256"
                              : ", the index recorded " + row.normalizedSha256()));
        }
      } else {
        v = Verdict.SUBSTITUTED;
        detail = substitution(f, row);
      }
      String rel = (v.kept() ? DATA : QUARANTINE) + "/" + f.sha256();
      move(tmp, dir.resolve(rel));
      return result(row, v, null, detail, f.sha256(), f.bytes(), rel, true);
    }

    private static String substitution(Fetched f, IndexFile.Row row) {
      return "possible split-view poisoning: the content's sha256 is "
          + f.sha256()
          + ", the index recorded "
          + row.sha256();
    }

    private static FetchResult result(
        IndexFile.Row row,
        Verdict v,
        String reason,
        String detail,
        String actual,
        long bytes,
        String path,
        boolean downloaded) {
      return new FetchResult(
          row.line(),
          row.url(),
          row.domain(),
          row.source(),
          row.sha256(),
          row.normalizedSha256(),
          v,
          reason,
          detail,
          actual,
          bytes,
          path,
          downloaded);
    }

    private static void delete(Path p) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover partial file is removed by the next run
      }
    }
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
}
