package org.poisonlab.provenance;

import java.util.Objects;

/**
 * What became of one index row.
 *
 * @param line the row's 1-based line in the index
 * @param url the row's URL
 * @param domain the URL's host, lower case
 * @param source the row's source (the URL's host when the row names none)
 * @param sha256 the recorded hash, 64 lower-case hex digits
 * @param normalizedSha256 the recorded hash of the normal form, or null when the row has none
 * @param verdict ok, reencoded, substituted or missing
 * @param reason why nothing usable was received ({@code timeout}, {@code too_large}, {@code
 *     redirect_refused}, {@code http_NNN}, {@code connect}, {@code io}), or null
 * @param detail one human line about the outcome, or null for ok
 * @param actualSha256 the hash of what was received, or null when nothing complete was received
 * @param bytes the bytes received (0 when nothing complete was received)
 * @param path where the content is stored, relative to the output folder ({@code data/HASH} or
 *     {@code quarantine/HASH}), or null
 * @param downloaded true when this run requested it (whatever the outcome); false when an earlier
 *     run's verdict was kept
 */
public record FetchResult(
    long line,
    String url,
    String domain,
    String source,
    String sha256,
    String normalizedSha256,
    Verdict verdict,
    String reason,
    String detail,
    String actualSha256,
    long bytes,
    String path,
    boolean downloaded) {

  /** The outcome of a row. */
  public enum Verdict {
    /** The content matched its recorded hash and is stored under {@code data/}. */
    OK,
    /**
     * Only with {@code --tolerant}: the bytes differ from the recorded hash but the content's
     * normal form ({@link Normalizations}) matches the row; stored under {@code data/}.
     */
    REENCODED,
    /**
     * The content is not what the index recorded: possible split-view poisoning. It is kept under
     * {@code quarantine/} and never under {@code data/}.
     */
    SUBSTITUTED,
    /** Nothing usable was received (timeout, cap, refused redirect, HTTP error, network error). */
    MISSING;

    /** True for the verdicts whose content is kept as data ({@link #OK}, {@link #REENCODED}). */
    public boolean kept() {
      return this == OK || this == REENCODED;
    }
  }

  /**
   * @throws NullPointerException if {@code url}, {@code domain}, {@code source}, {@code sha256} or
   *     {@code verdict} is null
   */
  public FetchResult {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(verdict, "verdict");
  }
}
