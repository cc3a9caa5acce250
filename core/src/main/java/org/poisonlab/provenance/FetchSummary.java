package org.poisonlab.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.poisonlab.provenance.FetchResult.Verdict;

/**
 * The outcome of a verified download run, in memory that grows with the number of domains and
 * sources, not of rows: every row's result is in {@code results.jsonl} ({@link VerifiedDownloads}).
 *
 * @param tolerant whether re-encoded content was told from substitution ({@code --tolerant})
 * @param rows the index rows
 * @param ok rows whose content matched its recorded hash
 * @param reencoded rows whose content matched after normalisation (0 unless tolerant)
 * @param substituted rows whose content is not what the index recorded
 * @param missing rows where nothing usable was received
 * @param bytes bytes received over all rows with content (kept or quarantined)
 * @param downloaded rows this run requested (the rest kept an earlier run's verdict)
 * @param domains counts per URL host, sorted by host; unmodifiable
 * @param sources counts per row source, sorted by source; unmodifiable
 * @param substitutions the first {@link #LISTED} substituted rows, in index order; unmodifiable
 * @param substitutionsOmitted substituted rows beyond those listed
 */
public record FetchSummary(
    boolean tolerant,
    long rows,
    long ok,
    long reencoded,
    long substituted,
    long missing,
    long bytes,
    long downloaded,
    List<Counts> domains,
    List<Counts> sources,
    List<FetchResult> substitutions,
    long substitutionsOmitted) {

  /** Substituted rows listed in the summary; all of them are in {@code results.jsonl}. */
  public static final int LISTED = 1000;

  /**
   * The outcomes of the rows of one domain (or source).
   *
   * @param name the URL host, or the source
   * @param rows its rows
   * @param ok rows whose content matched its recorded hash
   * @param reencoded rows whose content matched after normalisation
   * @param substituted rows whose content is not what the index recorded
   * @param missing rows where nothing usable was received
   * @param bytes bytes received for its rows
   */
  public record Counts(
      String name,
      long rows,
      long ok,
      long reencoded,
      long substituted,
      long missing,
      long bytes) {}

  public FetchSummary {
    domains = List.copyOf(domains);
    sources = List.copyOf(sources);
    substitutions = List.copyOf(substitutions);
  }

  /** True when any row's content is not what the index recorded. */
  public boolean hasSubstitution() {
    return substituted > 0;
  }

  /** Builds a summary from results handed over in index order. Not thread-safe. */
  static final class Builder {
    private final boolean tolerant;
    private final long[] totals = new long[6]; // the verdicts in order, bytes, downloaded
    private final Map<String, long[]> domains = new TreeMap<>();
    private final Map<String, long[]> sources = new TreeMap<>();
    private final List<FetchResult> substitutions = new ArrayList<>();
    private long rows;
    private long omitted;

    Builder(boolean tolerant) {
      this.tolerant = tolerant;
    }

    void add(FetchResult r) {
      rows++;
      totals[r.verdict().ordinal()]++;
      totals[4] += r.bytes();
      if (r.downloaded()) {
        totals[5]++;
      }
      count(domains.computeIfAbsent(r.domain(), k -> new long[6]), r);
      count(sources.computeIfAbsent(r.source(), k -> new long[6]), r);
      if (r.verdict() == Verdict.SUBSTITUTED) {
        if (substitutions.size() < LISTED) {
          substitutions.add(r);
        } else {
          omitted++;
        }
      }
    }

    private static void count(long[] c, FetchResult r) {
      c[0]++;
      c[1 + r.verdict().ordinal()]++;
      c[5] += r.bytes();
    }

    /** The summary of the results so far; the builder is not modified. */
    FetchSummary snapshot() {
      return new FetchSummary(
          tolerant,
          rows,
          totals[0],
          totals[1],
          totals[2],
          totals[3],
          totals[4],
          totals[5],
          counts(domains),
          counts(sources),
          substitutions,
          omitted);
    }

    private static List<Counts> counts(Map<String, long[]> by) {
      List<Counts> out = new ArrayList<>(by.size());
      by.forEach((k, c) -> out.add(new Counts(k, c[0], c[1], c[2], c[3], c[4], c[5])));
      return out;
    }
  }

  /**
   * The summary as written to {@code fetch.json}: totals, {@code domains} and {@code sources} (each
   * with {@code rows, ok, reencoded, substituted, missing, bytes}), and {@code substitutions} (the
   * possible split-view poisoning, at most {@link #LISTED}). Holds nothing that depends on timing
   * or on how many runs it took, so the same outcome gives the same file.
   */
  public Report asJson() {
    List<DomainJson> d = new ArrayList<>(domains.size());
    for (Counts c : domains) {
      d.add(
          new DomainJson(
              c.name(), c.rows(), c.ok(), c.reencoded(), c.substituted(), c.missing(), c.bytes()));
    }
    List<SourceJson> s = new ArrayList<>(sources.size());
    for (Counts c : sources) {
      s.add(
          new SourceJson(
              c.name(), c.rows(), c.ok(), c.reencoded(), c.substituted(), c.missing(), c.bytes()));
    }
    return new Report(
        tolerant,
        rows,
        ok,
        reencoded,
        substituted,
        missing,
        bytes,
        d,
        s,
        substitutions.stream().map(ResultJson::of).toList(),
        substitutionsOmitted);
  }

  /** {@code fetch.json}: the components are its fields, in this order (see {@link #asJson()}). */
  @JsonPropertyOrder({
    "tolerant",
    "rows",
    "ok",
    "reencoded",
    "substituted",
    "missing",
    "bytes",
    "domains",
    "sources",
    "substitutions",
    "substitutions_omitted"
  })
  public record Report(
      boolean tolerant,
      long rows,
      long ok,
      long reencoded,
      long substituted,
      long missing,
      long bytes,
      List<DomainJson> domains,
      List<SourceJson> sources,
      List<ResultJson> substitutions,
      @JsonProperty("substitutions_omitted") long substitutionsOmitted) {}

  /** One domain's counts as JSON. */
  @JsonPropertyOrder({"domain", "rows", "ok", "reencoded", "substituted", "missing", "bytes"})
  public record DomainJson(
      String domain,
      long rows,
      long ok,
      long reencoded,
      long substituted,
      long missing,
      long bytes) {}

  /** One source's counts as JSON. */
  @JsonPropertyOrder({"source", "rows", "ok", "reencoded", "substituted", "missing", "bytes"})
  public record SourceJson(
      String source,
      long rows,
      long ok,
      long reencoded,
      long substituted,
      long missing,
      long bytes) {}

  /**
   * One row's outcome as JSON, a line of {@code results.jsonl} ({@link FetchResult} with the
   * verdict in lower case and without {@code downloaded}, which depends on the run).
   */
  @JsonPropertyOrder({
    "line",
    "url",
    "domain",
    "source",
    "sha256",
    "normalized_sha256",
    "verdict",
    "reason",
    "detail",
    "actual_sha256",
    "bytes",
    "path"
  })
  public record ResultJson(
      long line,
      String url,
      String domain,
      String source,
      String sha256,
      @JsonProperty("normalized_sha256") String normalizedSha256,
      String verdict,
      String reason,
      String detail,
      @JsonProperty("actual_sha256") String actualSha256,
      long bytes,
      String path) {
    static ResultJson of(FetchResult r) {
      return new ResultJson(
          r.line(),
          r.url(),
          r.domain(),
          r.source(),
          r.sha256(),
          r.normalizedSha256(),
          r.verdict().name().toLowerCase(Locale.ROOT),
          r.reason(),
          r.detail(),
          r.actualSha256(),
          r.bytes(),
          r.path());
    }
  }
}
