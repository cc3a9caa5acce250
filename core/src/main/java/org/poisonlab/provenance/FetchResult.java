package org.poisonlab.provenance;

import java.util.Objects;

/**
 * What became of one index row.
 *
 * @param line the row's 1-based line in the index
 * @param url the row's URL
 * @param source the row's source (the URL's host when the row names none)
 * @param sha256 the recorded hash, 64 lower-case hex digits
 * @param status ok, mismatch or failed
 * @param reason why it failed ({@code timeout}, {@code too_large}, {@code redirect_refused}, {@code
 *     http_NNN}, {@code connect}, {@code io}), or null when it did not
 * @param detail one human line about the outcome
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
    String source,
    String sha256,
    Status status,
    String reason,
    String detail,
    String actualSha256,
    long bytes,
    String path,
    boolean downloaded) {

  /** The outcome of a row. */
  public enum Status {
    /** The content matched its recorded hash and is stored under {@code data/}. */
    OK,
    /**
     * The content did not match its recorded hash: possible split-view poisoning; it is kept under
     * {@code quarantine/} and never under {@code data/}.
     */
    MISMATCH,
    /** Nothing usable was received (timeout, cap, refused redirect, HTTP error, network error). */
    FAILED
  }

  /**
   * @throws NullPointerException if {@code url}, {@code source}, {@code sha256} or {@code status}
   *     is null
   */
  public FetchResult {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(status, "status");
  }
}
