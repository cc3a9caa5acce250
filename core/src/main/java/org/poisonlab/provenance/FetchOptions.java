package org.poisonlab.provenance;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a verified download run.
 *
 * @param maxBytes the largest body accepted per download; a larger one fails as {@code too_large}
 *     (a declared {@code Content-Length} above it is refused before any byte is read)
 * @param connectTimeout the time allowed to open a connection
 * @param timeout the time allowed for one whole download, redirects and body included
 * @param threads downloads run at once, 1 to 16
 * @param maxRedirects redirects followed per download (each to the same host only)
 * @param tolerant whether content whose hash differs is judged by its normal form ({@link
 *     Normalizations}): re-encoded (kept) or substituted (quarantined); without it every difference
 *     is a substitution
 */
public record FetchOptions(
    long maxBytes,
    Duration connectTimeout,
    Duration timeout,
    int threads,
    int maxRedirects,
    boolean tolerant) {
  /** The default cap: 50 MB (50,000,000 bytes). */
  public static final long DEFAULT_MAX_BYTES = 50_000_000L;

  /**
   * @throws IllegalArgumentException for a cap below 1, a non-positive timeout, threads outside 1
   *     to 16, or a negative redirect limit
   */
  public FetchOptions {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("size cap " + maxBytes + " must be at least 1 byte");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(timeout, "timeout");
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || timeout.isNegative()
        || timeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (threads < 1 || threads > 16) {
      throw new IllegalArgumentException("threads " + threads + " is not between 1 and 16");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("redirect limit " + maxRedirects + " is negative");
    }
  }

  /** These limits for one download. */
  public org.poisonlab.io.Downloader.Limits limits() {
    return new org.poisonlab.io.Downloader.Limits(maxBytes, connectTimeout, timeout, maxRedirects);
  }

  /** Downloads in flight at once, running or waiting: four per thread. */
  public int window() {
    return 4 * threads;
  }

  /** 50 MB cap, 10 s to connect, 60 s per download, 2 threads, 5 redirects, not tolerant. */
  public static FetchOptions defaults() {
    return new FetchOptions(
        DEFAULT_MAX_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(60), 2, 5, false);
  }

  public FetchOptions withMaxBytes(long newMaxBytes) {
    return new FetchOptions(newMaxBytes, connectTimeout, timeout, threads, maxRedirects, tolerant);
  }

  public FetchOptions withTimeout(Duration newTimeout) {
    return new FetchOptions(maxBytes, connectTimeout, newTimeout, threads, maxRedirects, tolerant);
  }

  public FetchOptions withThreads(int newThreads) {
    return new FetchOptions(maxBytes, connectTimeout, timeout, newThreads, maxRedirects, tolerant);
  }

  public FetchOptions withTolerant(boolean newTolerant) {
    return new FetchOptions(maxBytes, connectTimeout, timeout, threads, maxRedirects, newTolerant);
  }
}
