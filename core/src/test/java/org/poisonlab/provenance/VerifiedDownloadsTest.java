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
import org.poisonlab.provenance.FetchResult.Status;

/** Verified downloads against a real HTTP server on the loopback address. */
class VerifiedDownloadsTest {
  private static final Consumer<String> QUIET = s -> {};
  private static final byte[] GOOD_1 = "first good file\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] GOOD_2 = "second good file\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ORIGINAL = "what the index saw".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHANGED =
      "what the new domain owner serves".getBytes(StandardCharsets.UTF_8);
  private static final int CAP = 1000;

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

  private static FetchResult at(FetchSummary s, String pathSuffix) {
    return s.results().stream().filter(r -> r.url().endsWith(pathSuffix)).findFirst().orElseThrow();
  }

  @Test
  void verifiesQuarantinesAndRefusesAsRecorded() throws Exception {
    Path out = dir.resolve("out");
    FetchSummary s = VerifiedDownloads.fetch(index(), out, options(), QUIET);

    assertEquals(9, s.results().size());
    List<Long> lines = s.results().stream().map(FetchResult::line).toList();
    assertEquals(
        List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), lines, "index order, blank line skipped");

    assertEquals(Status.OK, at(s, "/good/1").status());
    assertEquals(Status.OK, at(s, "/good/2").status());
    assertEquals(Status.OK, at(s, "/same-host").status());
    assertTrue(Files.exists(out.resolve("data").resolve(sha(GOOD_1))));
    assertEquals("second good file\n", Files.readString(out.resolve("data").resolve(sha(GOOD_2))));

    FetchResult changed = at(s, "/changed");
    assertEquals(Status.MISMATCH, changed.status());
    assertEquals(sha(CHANGED), changed.actualSha256());
    assertTrue(changed.detail().contains("split-view"), changed.detail());
    assertTrue(Files.exists(out.resolve("quarantine").resolve(sha(CHANGED))));
    assertFalse(Files.exists(out.resolve("data").resolve(sha(CHANGED))), "never counted as data");

    assertEquals("too_large", at(s, "/big").reason());
    assertEquals("too_large", at(s, "/big-chunked").reason());
    assertEquals("redirect_refused", at(s, "/other-host").reason());
    assertTrue(at(s, "/other-host").detail().contains("localhost"), at(s, "/other-host").detail());
    assertEquals("timeout", at(s, "/slow").reason());
    assertEquals("http_404", at(s, "/missing").reason());
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

    assertEquals(3, s.count(Status.OK)); // /good/1, /good/2, /same-host
    assertEquals(1, s.count(Status.MISMATCH));
    assertEquals(5, s.count(Status.FAILED));
    assertTrue(s.hasMismatch());
    FetchSummary.SourceCounts good =
        s.sources().stream()
            .filter(c -> c.source().equals("good.example"))
            .findFirst()
            .orElseThrow();
    assertEquals(3, good.ok());
    assertEquals(3, good.total());
    FetchSummary.SourceCounts expired =
        s.sources().stream()
            .filter(c -> c.source().equals("expired.example"))
            .findFirst()
            .orElseThrow();
    assertEquals(1, expired.mismatch());

    JsonNode json = Json.mapper().readTree(out.resolve("fetch.json").toFile());
    assertEquals(1, json.get("mismatch").asInt());
    assertEquals(1, json.get("mismatches").size());
    assertEquals(base + "/changed", json.get("mismatches").get(0).get("url").asText());
    assertEquals(
        "big.example", json.get("sources").get(0).get("source").asText(), "sources sorted");
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
    assertEquals(first.count(Status.OK), second.count(Status.OK));
    assertEquals(first.count(Status.MISMATCH), second.count(Status.MISMATCH));
    assertFalse(at(second, "/good/1").downloaded());
    assertFalse(at(second, "/changed").downloaded());
    assertTrue(at(second, "/missing").downloaded(), "failed rows are retried");
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
    assertTrue(s.results().get(0).downloaded());
    assertEquals(2, hits.get("/good/1").get());
    assertTrue(Files.exists(out.resolve("data").resolve(sha(GOOD_1))));
  }

  @Test
  void tornLastStateLineIsDroppedAndTheRowRedone() throws Exception {
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
    assertFalse(s.results().get(0).downloaded());
    assertTrue(s.results().get(1).downloaded());
    assertEquals(2, Files.readAllLines(state).size());
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
    assertEquals(
        0,
        hits.values().stream().mapToInt(AtomicInteger::get).sum(),
        "nothing fetched from a bad index");
  }
}
