package org.poisonlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;

/**
 * Downloads one URL to a file with {@code java.net.http}: a connect timeout, a timeout for the
 * response headers, a size cap, and redirects followed only to the same host and scheme family
 * (http/https), at most five.
 */
final class HttpDownloader {
  private static final int MAX_REDIRECTS = 5;

  private final long maxBytes;
  private final Duration timeout;

  HttpDownloader(long maxBytes, Duration timeout) {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
  }

  static boolean isUrl(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return l.startsWith("http://") || l.startsWith("https://");
  }

  /**
   * Writes the body of {@code url} to {@code target} (replaced).
   *
   * @throws BadInputException for a bad URL, a refused redirect, a status other than 200, a body
   *     over the cap, a timeout or a connection failure
   */
  void download(String url, Path target, Consumer<String> progress) throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(url + ": not a valid URL (" + e.getMessage() + ")");
    }
    if (uri.getHost() == null) {
      throw new BadInputException(url + ": not a valid URL (no host)");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    for (int hop = 0; ; hop++) {
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
      HttpResponse<InputStream> resp;
      try {
        resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new BadInputException(url + ": download failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while downloading " + url, e);
      }
      int status = resp.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        resp.body().close();
        String loc = resp.headers().firstValue("Location").orElse(null);
        if (loc == null) {
          throw new BadInputException(url + ": HTTP " + status + " without a Location");
        }
        if (hop + 1 > MAX_REDIRECTS) {
          throw new BadInputException(url + ": more than " + MAX_REDIRECTS + " redirects");
        }
        URI next = uri.resolve(loc);
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (next.getHost() == null
            || !next.getHost().toLowerCase(Locale.ROOT).equals(host)
            || !(scheme.equals("http") || scheme.equals("https"))) {
          throw new BadInputException(url + ": redirect to another host refused: " + next);
        }
        uri = next;
        continue;
      }
      if (status != 200) {
        resp.body().close();
        throw new BadInputException(url + ": HTTP " + status);
      }
      long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > maxBytes) {
        resp.body().close();
        throw new BadInputException(
            url + ": " + declared + " bytes is over the cap of " + maxBytes);
      }
      copyCapped(url, resp.body(), target, declared, progress);
      return;
    }
  }

  private void copyCapped(
      String url, InputStream body, Path target, long declared, Consumer<String> progress)
      throws IOException {
    long total = 0;
    long nextReport = 8L << 20;
    try (InputStream in = body;
        OutputStream out = Files.newOutputStream(target)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > maxBytes) {
          throw new BadInputException(url + ": body is over the cap of " + maxBytes + " bytes");
        }
        out.write(buf, 0, n);
        if (total >= nextReport) {
          progress.accept(String.format(Locale.ROOT, "downloaded %.1f MB", total / 1e6));
          nextReport += 8L << 20;
        }
      }
    } catch (IOException e) {
      throw new BadInputException(url + ": download failed after " + total + " bytes: " + e);
    }
    if (declared >= 0 && total != declared) {
      throw new BadInputException(
          url + ": body has " + total + " bytes, Content-Length said " + declared);
    }
  }
}
