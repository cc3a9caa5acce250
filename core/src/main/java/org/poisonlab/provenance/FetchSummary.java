package org.poisonlab.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.poisonlab.provenance.FetchResult.Status;

/**
 * The outcome of a verified download run.
 *
 * @param results one result per index row, in index order; unmodifiable
 * @param sources counts per source, sorted by source; unmodifiable
 */
public record FetchSummary(List<FetchResult> results, List<SourceCounts> sources) {
  /**
   * The outcomes of one source's rows.
   *
   * @param source the source
   * @param ok rows whose content verified
   * @param mismatch rows whose content did not match its hash
   * @param failed rows where nothing usable was received
   */
  public record SourceCounts(String source, int ok, int mismatch, int failed) {
    public int total() {
      return ok + mismatch + failed;
    }
  }

  public FetchSummary {
    results = List.copyOf(results);
    sources = List.copyOf(sources);
  }

  /** The summary of the given results (in index order), with counts by source. */
  static FetchSummary of(List<FetchResult> results) {
    Map<String, int[]> by = new TreeMap<>();
    for (FetchResult r : results) {
      by.computeIfAbsent(r.source(), s -> new int[3])[r.status().ordinal()]++;
    }
    List<SourceCounts> sources = new ArrayList<>();
    by.forEach((s, c) -> sources.add(new SourceCounts(s, c[0], c[1], c[2])));
    return new FetchSummary(results, sources);
  }

  public int count(Status status) {
    return (int) results.stream().filter(r -> r.status() == status).count();
  }

  /** Rows this run requested (the rest kept an earlier run's verdict). */
  public int downloaded() {
    return (int) results.stream().filter(FetchResult::downloaded).count();
  }

  /** True when any row's content did not match its hash. */
  public boolean hasMismatch() {
    return count(Status.MISMATCH) > 0;
  }

  /**
   * The summary as written to {@code fetch.json}: totals, {@code sources} ({@code source, ok,
   * mismatch, failed, total}), {@code mismatches} (the possible split-view poisoning), and {@code
   * results} (every row). Holds no times, so the same outcome gives the same file.
   */
  public Report asJson() {
    List<SourceJson> src = new ArrayList<>();
    for (SourceCounts s : sources) {
      src.add(new SourceJson(s.source(), s.ok(), s.mismatch(), s.failed(), s.total()));
    }
    List<ResultJson> mis = new ArrayList<>();
    List<ResultJson> all = new ArrayList<>();
    for (FetchResult r : results) {
      ResultJson x =
          new ResultJson(
              r.line(),
              r.url(),
              r.source(),
              r.sha256(),
              r.status().name().toLowerCase(Locale.ROOT),
              r.reason(),
              r.detail(),
              r.actualSha256(),
              r.bytes(),
              r.path(),
              r.downloaded());
      all.add(x);
      if (r.status() == Status.MISMATCH) {
        mis.add(x);
      }
    }
    return new Report(
        results.size(),
        count(Status.OK),
        count(Status.MISMATCH),
        count(Status.FAILED),
        downloaded(),
        src,
        mis,
        all);
  }

  /** {@code fetch.json}: the components are its fields, in this order (see {@link #asJson()}). */
  public record Report(
      int rows,
      int ok,
      int mismatch,
      int failed,
      int downloaded,
      List<SourceJson> sources,
      List<ResultJson> mismatches,
      List<ResultJson> results) {}

  /** One source's counts as JSON. */
  public record SourceJson(String source, int ok, int mismatch, int failed, int total) {}

  /** One row's outcome as JSON ({@link FetchResult} with the status in lower case). */
  @JsonPropertyOrder({
    "line",
    "url",
    "source",
    "sha256",
    "status",
    "reason",
    "detail",
    "actual_sha256",
    "bytes",
    "path",
    "downloaded"
  })
  public record ResultJson(
      long line,
      String url,
      String source,
      String sha256,
      String status,
      String reason,
      String detail,
      @JsonProperty("actual_sha256") String actualSha256,
      long bytes,
      String path,
      boolean downloaded) {}
}
