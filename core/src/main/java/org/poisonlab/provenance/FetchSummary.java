package org.poisonlab.provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
   * The summary as the ordered map written to {@code fetch.json}: totals, {@code sources} ({@code
   * source, ok, mismatch, failed, total}), {@code mismatches} (the possible split-view poisoning),
   * and {@code results} (every row). Holds no times, so the same outcome gives the same file.
   */
  public Map<String, Object> asJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", results.size());
    m.put("ok", count(Status.OK));
    m.put("mismatch", count(Status.MISMATCH));
    m.put("failed", count(Status.FAILED));
    m.put("downloaded", downloaded());
    List<Map<String, Object>> src = new ArrayList<>();
    for (SourceCounts s : sources) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("source", s.source());
      x.put("ok", s.ok());
      x.put("mismatch", s.mismatch());
      x.put("failed", s.failed());
      x.put("total", s.total());
      src.add(x);
    }
    m.put("sources", src);
    List<Map<String, Object>> mis = new ArrayList<>();
    List<Map<String, Object>> all = new ArrayList<>();
    for (FetchResult r : results) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("line", r.line());
      x.put("url", r.url());
      x.put("source", r.source());
      x.put("sha256", r.sha256());
      x.put("status", r.status().name().toLowerCase(Locale.ROOT));
      x.put("reason", r.reason());
      x.put("detail", r.detail());
      x.put("actual_sha256", r.actualSha256());
      x.put("bytes", r.bytes());
      x.put("path", r.path());
      x.put("downloaded", r.downloaded());
      all.add(x);
      if (r.status() == Status.MISMATCH) {
        mis.add(x);
      }
    }
    m.put("mismatches", mis);
    m.put("results", all);
    return m;
  }
}
