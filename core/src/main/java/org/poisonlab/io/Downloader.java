package org.poisonlab.io;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Downloads one URL into a file, the one HTTP client of PoisonLab (pinned datasets fetched from a
 * URL, {@code provenance fetch}): one deadline for the whole download (redirects and body
 * included), a byte cap checked against {@code Content-Length} and while reading, the body hashed
 * (SHA-256) as it is written, and redirects followed by hand, only to the same host over http or
 * https.
 */
public final class Downloader {
  /**
   * The limits of a download.
   *
   * @param maxBytes the largest body accepted, at least 1
   * @param connectTimeout to open a connection
   * @param timeout for the whole download, redirects and body included
   * @param maxRedirects redirects followed at most
   */
  public record Limits(
      long maxBytes, Duration connectTimeout, Duration timeout, int maxRedirects) {}

  /**
   * Either a complete body in the file ({@code received}), or a failure: a short reason ({@code
   * timeout}, {@code too_large}, {@code http_404}, {@code redirect_refused}, {@code connect},
   * {@code io}) and a one-line detail.
   */
  public record Outcome(FileSink.Received received, String reason, String detail) {
    static Outcome failed(String reason, String detail) {
      return new Outcome(null, reason, detail);
    }
  }

  private final HttpClient client;
  private final Limits options;

  /** A downloader over {@code client} (made by {@link #client}; it may be shared). */
  public Downloader(HttpClient client, Limits options) {
    this.client = client;
    this.options = options;
  }

  /** Whether {@code s} is an http or https URL, as opposed to a local path. */
  public static boolean isUrl(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return l.startsWith("http://") || l.startsWith("https://");
  }

  /** An HTTP client that follows no redirect by itself, with the connect timeout of the limits. */
  public static HttpClient client(Limits options) {
    return HttpClient.newBuilder()
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * Downloads {@code start} into {@code file} (created or replaced; partial on failure).
   *
   * @param start an absolute http or https URI with a host
   */
  public Outcome fetch(URI start, Path file) {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    String host = start.getHost().toLowerCase(Locale.ROOT);
    URI uri = start;
    for (int hop = 0; ; hop++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return timedOut();
      }
      AtomicReference<FileSink> sink = new AtomicReference<>();
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).GET().build();
      CompletableFuture<HttpResponse<FileSink.Received>> f =
          client.sendAsync(req, info -> handler(info, file, sink));
      HttpResponse<FileSink.Received> resp;
      try {
        resp = f.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        stop(f, sink, e);
        return timedOut();
      } catch (InterruptedException e) {
        stop(f, sink, e);
        Thread.currentThread().interrupt();
        return Outcome.failed("io", "interrupted");
      } catch (ExecutionException e) {
        stop(f, sink, e);
        return classify(e.getCause());
      }
      int code = resp.statusCode();
      if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
        String loc = resp.headers().firstValue("Location").orElse(null);
        if (loc == null) {
          return Outcome.failed("http_" + code, "HTTP " + code + " without a Location");
        }
        URI next;
        try {
          next = uri.resolve(loc);
        } catch (IllegalArgumentException e) {
          return Outcome.failed("redirect_refused", "malformed redirect Location: " + loc);
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (next.getHost() == null
            || !next.getHost().toLowerCase(Locale.ROOT).equals(host)
            || !(scheme.equals("http") || scheme.equals("https"))) {
          return Outcome.failed("redirect_refused", "redirect to another host refused: " + next);
        }
        if (hop + 1 > options.maxRedirects()) {
          return Outcome.failed(
              "redirect_refused", "more than " + options.maxRedirects() + " redirects");
        }
        uri = next;
        continue;
      }
      if (code != 200) {
        return Outcome.failed("http_" + code, "HTTP " + code);
      }
      return new Outcome(resp.body(), null, null);
    }
  }

  private Outcome timedOut() {
    return Outcome.failed(
        "timeout", "no complete download within " + options.timeout().toMillis() + " ms");
  }

  private HttpResponse.BodySubscriber<FileSink.Received> handler(
      HttpResponse.ResponseInfo info, Path file, AtomicReference<FileSink> sink) {
    if (info.statusCode() != 200) {
      return new Refusal(null); // a redirect or an error: its body is not wanted
    }
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > options.maxBytes()) {
      return new Refusal(new FileSink.TooLarge(options.maxBytes()));
    }
    FileSink s = new FileSink(file, options.maxBytes());
    sink.set(s);
    return s;
  }

  private static void stop(CompletableFuture<?> f, AtomicReference<FileSink> sink, Throwable why) {
    f.cancel(true);
    FileSink s = sink.get();
    if (s != null) {
      s.abort(why);
    }
  }

  private Outcome classify(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FileSink.TooLarge) {
        return Outcome.failed("too_large", c.getMessage());
      }
      if (c instanceof HttpConnectTimeoutException) {
        return Outcome.failed(
            "timeout", "no connection within " + options.connectTimeout().toMillis() + " ms");
      }
      if (c instanceof HttpTimeoutException) {
        return timedOut();
      }
      if (c instanceof ConnectException) {
        return Outcome.failed("connect", "connection refused or unreachable");
      }
    }
    String msg =
        t instanceof IOException && t.getMessage() != null ? t.getMessage() : String.valueOf(t);
    return Outcome.failed("io", msg);
  }

  /** Takes no body: cancels at once, completing with null or with the given failure. */
  private static final class Refusal implements HttpResponse.BodySubscriber<FileSink.Received> {
    private final CompletableFuture<FileSink.Received> body = new CompletableFuture<>();
    private final IOException failure;

    Refusal(IOException failure) {
      this.failure = failure;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.cancel();
      if (failure == null) {
        body.complete(null);
      } else {
        body.completeExceptionally(failure);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable t) {
      body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      body.complete(null);
    }

    @Override
    public CompletionStage<FileSink.Received> getBody() {
      return body;
    }
  }
}
