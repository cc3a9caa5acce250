package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/** Verified downloads against a real HTTP server on the loopback address. */
class VerifiedDownloadsTest {
  private static final Consumer<String> QUIET = s -> {};
  private static final byte[] GOOD_1 = "first good file\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] GOOD_2 = "second good file\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ORIGINAL = "what the index saw".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHANGED =
      "what the new domain owner serves".getBytes(StandardCharsets.UTF_8);
  private static final int CAP = 1000;

  /** What an index recorded: UTF-8 text with LF line ends, in normal form. */
  private static final byte[] LF_UTF8 =
      "caf\u00e9 menu\nsoup of the day".getBytes(StandardCharsets.UTF_8);

  /** The same text re-encoded: Latin-1, CR LF, trailing blanks. */
  private static final byte[] CRLF_LATIN1 =
      "caf\u00e9 menu  \r\nsoup of the day\t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private static final byte[] HTML_RECORDED =
      "<!DOCTYPE html>\n<p>Caf&eacute; &amp; bar</p>\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] HTML_SERVED =
      "<!DOCTYPE html>  <p>Caf\u00e9   &#38; bar</p>".getBytes(StandardCharsets.UTF_8);

  /** Text whose whitespace-normalised form is the recorded one's but whose words changed. */
  private static final byte[] SWAPPED =
      "caf\u00e9 menu\r\nsoup of the night\r\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private HttpServer server;
  private ExecutorService serverThreads;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    int port = server.getAddress().getPort();
    base = "http://127.0.0.1:" + port;
    serve("/good/1", ex -> send(ex, 200, GOOD_1));
    serve("/good/2", ex -> send(ex, 200, GOOD_2));
    serve("/changed", ex -> send(ex, 200, CHANGED));
    serve("/big", ex -> send(ex, 200, new byte[CAP + 1]));
    serve(
        "/big-chunked",
        ex -> {
          ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse early
          try (OutputStream o = ex.getResponseBody()) {
            for (int i = 0; i < 3; i++) {
              o.write(new byte[CAP / 2]);
              o.flush();
            }
          } catch (IOException expected) {
            // the client hangs up once over the cap
          }
        });
    serve("/same-host", ex -> redirect(ex, "/good/2"));
    serve("/other-host", ex -> redirect(ex, "http://localhost:" + port + "/good/1"));
    serve(
        "/slow",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream o = ex.getResponseBody()) {
            o.write("a trickle".getBytes(StandardCharsets.UTF_8));
            o.flush();
            for (int i = 0; i < 100 && !Thread.currentThread().isInterrupted(); i++) {
              Thread.sleep(50); // at most 5 s, far past the client's 1 s
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException expected) {
            // the client gave up
          }
        });
    serve("/missing", ex -> send(ex, 404, new byte[0]));
    serve("/crlf", ex -> send(ex, 200, CRLF_LATIN1));
    serve("/gzip", ex -> send(ex, 200, gzip(LF_UTF8)));
    serve("/html", ex -> send(ex, 200, HTML_SERVED));
    serve("/swapped", ex -> send(ex, 200, SWAPPED));
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }

  private void serve(String path, Handler h) {
    server.createContext(
        path,
        ex -> {
          hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
          try {
            h.handle(ex);
          } finally {
            ex.close();
          }
        });
  }

  private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
    ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private static byte[] gzip(byte[] b) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String sha(byte[] b) {
    return HexFormat.of().formatHex(Merkle.sha256().digest(b));
  }

  private static String row(String url, String sha, String source) {
    return "{\"url\": \""
        + url
        + "\", \"sha256\": \""
        + sha
        + "\", \"source\": \""
        + source
        + "\"}";
  }

  private Path index() throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add(row(base + "/good/1", sha(GOOD_1), "good.example"));
    rows.add(row(base + "/good/2", "sha256:" + sha(GOOD_2).toUpperCase(), "good.example"));
    rows.add("");
    rows.add(row(base + "/changed", sha(ORIGINAL), "expired.example"));
    rows.add(row(base + "/big", sha(new byte[CAP + 1]), "big.example"));
    rows.add(row(base + "/big-chunked", sha(new byte[CAP / 2 * 3]), "big.example"));
    rows.add(row(base + "/same-host", sha(GOOD_2), "good.example"));
    rows.add(row(base + "/other-host", sha(GOOD_1), "moved.example"));
    rows.add(row(base + "/slow", sha(GOOD_1), "slow.example"));
    rows.add(row(base + "/missing", sha(GOOD_1), "gone.example"));
    Path index = dir.resolve("index.jsonl");
    Files.write(index, rows);
    return index;
  }

  private static FetchOptions options() {
    return FetchOptions.defaults().withMaxBytes(CAP).withTimeout(Duration.ofSeconds(1));
  }

  /** Every line of {@code results.jsonl}, in order. */
  private static List<JsonNode> results(Path out) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String l : Files.readAllLines(out.resolve("results.jsonl"))) {
      rows.add(Json.mapper().readTree(l));
    }
    return rows;
  }

  private static JsonNode at(Path out, String pathSuffix) throws IOException {
    return results(out).stream()
        .filter(r -> r.get("url").asText().endsWith(pathSuffix))
        .findFirst()
        .orElseThrow();
  }

  private static FetchSummary.Counts counts(List<FetchSummary.Counts> cs, String name) {
    return cs.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void verifiesQuarantinesAndRefusesAsRecorded() throws Exception {
    Path out = dir.resolve("out");
    FetchSummary s = VerifiedDownloads.fetch(index(), out, options(), QUIET);

    List<JsonNode> rs = results(out);
    assertEquals(9, rs.size());
    assertEquals(
        List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
        rs.stream().map(r -> r.get("line").asLong()).toList(),
        "index order, blank line skipped");

    assertEquals("ok", at(out, "/good/1").get("verdict").asText());
    assertEquals("ok", at(out, "/good/2").get("verdict").asText());
    assertEquals("ok", at(out, "/same-host").get("verdict").asText());
    assertTrue(Files.exists(out.resolve("data").resolve(sha(GOOD_1))));
    assertEquals("second good file\n", Files.readString(out.resolve("data").resolve(sha(GOOD_2))));

    JsonNode changed = at(out, "/changed");
    assertEquals("substituted", changed.get("verdict").asText());
    assertEquals(sha(CHANGED), changed.get("actual_sha256").asText());
    assertTrue(changed.get("detail").asText().contains("split-view"), changed.toString());
    assertTrue(Files.exists(out.resolve("quarantine").resolve(sha(CHANGED))));
    assertFalse(Files.exists(out.resolve("data").resolve(sha(CHANGED))), "never counted as data");

    assertEquals("too_large", at(out, "/big").get("reason").asText());
    assertEquals("too_large", at(out, "/big-chunked").get("reason").asText());
    assertEquals("redirect_refused", at(out, "/other-host").get("reason").asText());
    assertTrue(at(out, "/other-host").get("detail").asText().contains("localhost"));
    assertEquals("timeout", at(out, "/slow").get("reason").asText());
    assertEquals("http_404", at(out, "/missing").get("reason").asText());
    assertEquals("missing", at(out, "/missing").get("verdict").asText());
    assertEquals(
        1,
        hits.get("/good/1").get(),
        "only row 1 reached /good/1: the redirect to localhost was not followed");
    try (var files = Files.list(out.resolve("data"))) {
      assertEquals(2, files.count(), "only the two verified contents are data");
    }
    try (var files = Files.list(out.resolve("partial"))) {
      assertEquals(0, files.count(), "no partial file left behind");
    }

    assertEquals(9, s.rows());
    assertEquals(3, s.ok()); // /good/1, /good/2, /same-host
    assertEquals(1, s.substituted());
    assertEquals(5, s.missing());
    assertEquals(0, s.reencoded());
    assertTrue(s.hasSubstitution());
    FetchSummary.Counts good = counts(s.sources(), "good.example");
    assertEquals(3, good.ok());
    assertEquals(3, good.rows());
    assertEquals(1, counts(s.sources(), "expired.example").substituted());
    FetchSummary.Counts host = counts(s.domains(), "127.0.0.1");
    assertEquals(9, host.rows());
    assertEquals(
        GOOD_1.length + 2L * GOOD_2.length + CHANGED.length, host.bytes(), "bytes received");

    JsonNode json = Json.mapper().readTree(out.resolve("fetch.json").toFile());
    assertEquals(1, json.get("substituted").asInt());
    assertEquals(1, json.get("substitutions").size());
    assertEquals(base + "/changed", json.get("substitutions").get(0).get("url").asText());
    assertEquals(
        "big.example", json.get("sources").get(0).get("source").asText(), "sources sorted");
    assertEquals("127.0.0.1", json.get("domains").get(0).get("domain").asText());
  }

  @Test
  void tolerantModeTellsReencodingFromSubstitution() throws Exception {
    Path index = dir.resolve("tolerant.jsonl");
    Files.write(
        index,
        List.of(
            row(base + "/good/1", sha(GOOD_1), "a"),
            // recorded in normal form: the sha256 alone lets the re-encoded copy through
            row(base + "/crlf", sha(LF_UTF8), "a"),
            row(base + "/gzip", sha(LF_UTF8), "a"),
            // recorded with a hash of the normal form beside the hash of the bytes
            "{\"url\": \""
                + base
                + "/html\", \"sha256\": \""
                + sha(HTML_RECORDED)
                + "\", \"normalized_sha256\": \""
                + Normalizations.normalize(HTML_RECORDED, CAP).sha256()
                + "\"}",
            row(base + "/swapped", sha(LF_UTF8), "b"),
            row(base + "/changed", sha(ORIGINAL), "b"),
            row(base + "/missing", sha(GOOD_1), "b")));

    Path strict = dir.resolve("strict");
    FetchSummary st = VerifiedDownloads.fetch(index, strict, options(), QUIET);
    assertEquals(1, st.ok());
    assertEquals(0, st.reencoded());
    assertEquals(5, st.substituted(), "without --tolerant every difference is a substitution");

    Path out = dir.resolve("tolerant");
    FetchSummary s = VerifiedDownloads.fetch(index, out, options().withTolerant(true), QUIET);
    assertEquals("ok", at(out, "/good/1").get("verdict").asText());
    for (String p : List.of("/crlf", "/gzip", "/html")) {
      JsonNode r = at(out, p);
      assertEquals("reencoded", r.get("verdict").asText(), p + ": " + r);
      assertTrue(Files.exists(out.resolve(r.get("path").asText())), p);
      assertTrue(r.get("path").asText().startsWith("data/"), p);
    }
    assertTrue(at(out, "/gzip").get("detail").asText().contains("gzip"));
    assertTrue(at(out, "/crlf").get("detail").asText().contains("windows-1252"));
    for (String p : List.of("/swapped", "/changed")) {
      JsonNode r = at(out, p);
      assertEquals("substituted", r.get("verdict").asText(), p + ": " + r);
      assertTrue(r.get("path").asText().startsWith("quarantine/"), p);
    }
    assertEquals("missing", at(out, "/missing").get("verdict").asText());
    assertEquals(1, s.ok());
    assertEquals(3, s.reencoded());
    assertEquals(2, s.substituted());
    assertEquals(1, s.missing());
    assertTrue(s.tolerant());

    FetchSummary.Counts a = counts(s.sources(), "a");
    assertEquals(3, a.rows());
    assertEquals(1, a.ok());
    assertEquals(2, a.reencoded());
    assertEquals(1, counts(s.sources(), "127.0.0.1").reencoded(), "no source: the host");
    FetchSummary.Counts b = counts(s.sources(), "b");
    assertEquals(2, b.substituted());
    assertEquals(1, b.missing());
    assertEquals(
        List.of("127.0.0.1"), s.domains().stream().map(FetchSummary.Counts::name).toList());
    FetchSummary.Counts d = s.domains().get(0);
    assertEquals(
        List.of(7L, 1L, 3L, 2L, 1L),
        List.of(d.rows(), d.ok(), d.reencoded(), d.substituted(), d.missing()));

    // a strict verdict of substitution is redone in tolerant mode; content verdicts are kept
    int crlfHits = hits.get("/crlf").get();
    FetchSummary again =
        VerifiedDownloads.fetch(index, strict, options().withTolerant(true), QUIET);
    assertEquals(3, again.reencoded());
    assertEquals(crlfHits + 1, hits.get("/crlf").get());
    assertEquals(2, hits.get("/good/1").get(), "ok rows are kept whatever the mode");
    assertEquals(
        Files.readString(out.resolve("results.jsonl")),
        Files.readString(strict.resolve("results.jsonl")));
  }

  @Test
  void rerunDownloadsNothingAlreadyDecidedAndIgnoresLeftoverPartials() throws Exception {
    Path out = dir.resolve("out");
    Path index = index();
    FetchSummary first = VerifiedDownloads.fetch(index, out, options(), QUIET);
    Map<String, Integer> before = new ConcurrentHashMap<>();
    hits.forEach((k, v) -> before.put(k, v.get()));
    Files.write(
        out.resolve("partial").resolve("line-1.part"), new byte[] {1, 2, 3}); // an interrupted run

    FetchSummary second = VerifiedDownloads.fetch(index, out, options(), QUIET);

    for (String p : List.of("/good/1", "/good/2", "/changed", "/same-host")) {
      assertEquals(before.get(p), hits.get(p).get(), p + " was downloaded again");
    }
    assertEquals(first.ok(), second.ok());
    assertEquals(first.substituted(), second.substituted());
    assertEquals(5, second.downloaded(), "only the missing rows are retried");
    assertEquals(before.get("/missing") + 1, hits.get("/missing").get());
    assertFalse(Files.exists(out.resolve("partial").resolve("line-1.part")));
  }

  @Test
  void removedDataFileIsDownloadedAgain() throws Exception {
    Path out = dir.resolve("out");
    Path index = dir.resolve("one.jsonl");
    Files.writeString(index, row(base + "/good/1", sha(GOOD_1), "good.example") + "\n");
    VerifiedDownloads.fetch(index, out, options(), QUIET);
    Files.delete(out.resolve("data").resolve(sha(GOOD_1)));
    FetchSummary s = VerifiedDownloads.fetch(index, out, options(), QUIET);
    assertEquals(1, s.downloaded());
    assertEquals(2, hits.get("/good/1").get());
    assertTrue(Files.exists(out.resolve("data").resolve(sha(GOOD_1))));
  }

  @Test
  void tornLastStateLineIsCutOffAndTheRowRedone() throws Exception {
    Path out = dir.resolve("out");
    Path index = dir.resolve("two.jsonl");
    Files.writeString(
        index,
        row(base + "/good/1", sha(GOOD_1), "a")
            + "\n"
            + row(base + "/good/2", sha(GOOD_2), "a")
            + "\n");
    VerifiedDownloads.fetch(index, out, options().withThreads(1), QUIET);
    Path state = out.resolve("state.jsonl");
    String text = Files.readString(state);
    Files.writeString(state, text.substring(0, text.length() - 10)); // the second verdict torn
    FetchSummary s = VerifiedDownloads.fetch(index, out, options().withThreads(1), QUIET);
    assertEquals(1, s.downloaded());
    assertEquals(2, hits.get("/good/2").get());
    assertEquals(1, hits.get("/good/1").get());
    assertEquals(text, Files.readString(state), "the journal of a complete run, as before");
  }

  @Test
  void aRunKilledMidwayResumesToTheOutputsOfAnUninterruptedRun() throws Exception {
    // 300 rows over 30 paths of 3 kinds; the first run dies after 120 downloads
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int k = i % 30;
      byte[] body = ("body " + k + "\n").getBytes(StandardCharsets.UTF_8);
      if (i < 30) {
        serve("/n/" + k, ex -> send(ex, k % 10 == 9 ? 404 : 200, k % 10 == 9 ? new byte[0] : body));
      }
      String recorded = k % 10 == 7 ? sha(ORIGINAL) : sha(body);
      rows.add(row(base + "/n/" + k + "?i=" + i, recorded, "s" + (i % 7)));
    }
    Path index = dir.resolve("many.jsonl");
    Files.write(index, rows);
    Path whole = dir.resolve("whole");
    FetchSummary expected = VerifiedDownloads.fetch(index, whole, options().withThreads(4), QUIET);

    Path resumed = dir.resolve("resumed");
    AtomicInteger calls = new AtomicInteger();
    Downloaderless dying = new Downloaderless(options(), calls, 120);
    assertThrows(
        Killed.class,
        () -> VerifiedDownloads.fetch(index, resumed, options().withThreads(4), QUIET, dying));
    assertFalse(Files.exists(resumed.resolve("results.jsonl")), "no results before completion");
    assertFalse(Files.exists(resumed.resolve("fetch.json")));
    long decided = Files.readAllLines(resumed.resolve("state.jsonl")).size();
    assertTrue(decided > 0 && decided < 300, "decided before the kill: " + decided);

    // a second kill, then a complete run: the journal then holds three sorted runs
    calls.set(0);
    assertThrows(
        Killed.class,
        () ->
            VerifiedDownloads.fetch(
                index,
                resumed,
                options().withThreads(4),
                QUIET,
                new Downloaderless(options(), calls, 60)));
    FetchSummary s = VerifiedDownloads.fetch(index, resumed, options().withThreads(4), QUIET);

    assertTrue(s.downloaded() < 300, "the resumed run kept earlier verdicts: " + s.downloaded());
    for (String f : List.of("results.jsonl", "fetch.json", "state.jsonl")) {
      assertEquals(
          -1L, Files.mismatch(whole.resolve(f), resumed.resolve(f)), f + " differs after resuming");
    }
    assertEquals(expected.asJson(), s.asJson());
    for (String sub : List.of("data", "quarantine")) {
      try (var a = Files.list(whole.resolve(sub));
          var b = Files.list(resumed.resolve(sub))) {
        assertEquals(
            a.map(p -> p.getFileName().toString()).sorted().toList(),
            b.map(p -> p.getFileName().toString()).sorted().toList(),
            sub);
      }
    }
    assertEquals(30 * 8, expected.ok());
    assertEquals(30, expected.substituted());
    assertEquals(30, expected.missing());
  }

  /** Thrown by a fetcher standing in for a process that is killed. */
  private static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** The real HTTP download, until the process "dies" at its n-th call. */
  private static final class Downloaderless implements VerifiedDownloads.Fetcher {
    private final org.poisonlab.io.Downloader real;
    private final AtomicInteger calls;
    private final int dieAt;

    Downloaderless(FetchOptions o, AtomicInteger calls, int dieAt) {
      this.real =
          new org.poisonlab.io.Downloader(
              org.poisonlab.io.Downloader.client(o.limits()), o.limits());
      this.calls = calls;
      this.dieAt = dieAt;
    }

    @Override
    public VerifiedDownloads.Fetched fetch(java.net.URI uri, Path file) {
      if (calls.incrementAndGet() >= dieAt) {
        throw new Killed();
      }
      org.poisonlab.io.Downloader.Outcome o = real.fetch(uri, file);
      return o.received() == null
          ? VerifiedDownloads.Fetched.failed(o.reason(), o.detail())
          : new VerifiedDownloads.Fetched(o.received().bytes(), o.received().sha256(), null, null);
    }
  }

  @Test
  void badIndexRowNamesFileAndLine() throws Exception {
    Path index = dir.resolve("bad.jsonl");
    Files.writeString(
        index,
        row(base + "/good/1", sha(GOOD_1), "a")
            + "\n"
            + "{\"url\": \"ftp://x/y\", \"sha256\": \""
            + sha(GOOD_1)
            + "\"}\n");
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> VerifiedDownloads.fetch(index, dir.resolve("o"), options(), QUIET));
    assertTrue(e.getMessage().startsWith(index + ":2:"), e.getMessage());
    Files.writeString(index, "{\"url\": \"http://x/y\", \"sha256\": \"abc\"}\n");
    e =
        assertThrows(
            BadInputException.class,
            () -> VerifiedDownloads.fetch(index, dir.resolve("o"), options(), QUIET));
    assertTrue(
        e.getMessage().startsWith(index + ":1:") && e.getMessage().contains("64 hex"),
        e.getMessage());
    Files.writeString(
        index,
        "{\"url\": \"http://x/y\", \"sha256\": \""
            + sha(GOOD_1)
            + "\", \"normalized_sha256\": \"sha256:12\"}\n");
    e =
        assertThrows(
            BadInputException.class,
            () -> VerifiedDownloads.fetch(index, dir.resolve("o"), options(), QUIET));
    assertTrue(e.getMessage().contains("normalized_sha256"), e.getMessage());
    assertEquals(
        0,
        hits.values().stream().mapToInt(AtomicInteger::get).sum(),
        "nothing fetched from a bad index");
  }
}
