package org.poisonlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.poisonlab.io.Json;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: opens a
 * page, collects console errors and uncaught exceptions, evaluates an expression, and takes a
 * full-page screenshot. No download: it runs the machine's {@code chromium}.
 */
final class Chromium implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger nextId = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  /** The chromium binary on the PATH (or in {@code $CHROMIUM}), if any. */
  static Optional<Path> binary() {
    String env = System.getenv("CHROMIUM");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : new String[] {"chromium", "chromium-browser"}) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private Chromium(Path binary, Path profile, int width, int height) throws Exception {
    this.profile = profile;
    this.process =
        new ProcessBuilder(
                binary.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "chromium did not open a DevTools port: "
                + Files.readString(profile.resolve("chromium.log")));
      }
      Thread.sleep(50);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String wsUrl = null;
    while (wsUrl == null) {
      String list =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                      .timeout(TIMEOUT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (JsonNode t : Json.mapper().readTree(list)) {
        if (t.path("type").asText().equals("page")) {
          wsUrl = t.path("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (wsUrl == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("chromium shows no page target: " + list);
        }
        Thread.sleep(50);
      }
    }
    this.socket =
        http.newWebSocketBuilder()
            .connectTimeout(TIMEOUT)
            .buildAsync(URI.create(wsUrl), new Listener())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    call("Page.enable", null);
    call("Runtime.enable", null);
    call("Log.enable", null);
  }

  /** Starts chromium with a fresh profile in {@code profile} and a window of the given size. */
  static Chromium start(Path binary, Path profile, int width, int height) throws Exception {
    Files.createDirectories(profile);
    return new Chromium(binary, profile, width, height);
  }

  /** Opens {@code url} and waits for its load event. */
  void open(URI url) throws Exception {
    synchronized (this) {
      errors.clear();
    }
    loaded = new CompletableFuture<>();
    ObjectNode p = Json.mapper().createObjectNode().put("url", url.toString());
    JsonNode r = call("Page.navigate", p);
    if (r.has("errorText")) {
      throw new IllegalStateException("navigation failed: " + r.path("errorText").asText());
    }
    loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The value of a JavaScript expression (returned by value, promises awaited). */
  JsonNode evaluate(String expression) throws Exception {
    ObjectNode p =
        Json.mapper()
            .createObjectNode()
            .put("expression", expression)
            .put("returnByValue", true)
            .put("awaitPromise", true);
    JsonNode r = call("Runtime.evaluate", p);
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + r.path("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** A PNG of the whole page (beyond the window), at the window's width. */
  byte[] screenshot() throws Exception {
    return screenshot(0, Double.POSITIVE_INFINITY, 1);
  }

  /**
   * A PNG of the page from {@code y} down {@code height} CSS pixels (clipped to the page), scaled
   * by {@code scale}.
   */
  byte[] screenshot(double y, double height, double scale) throws Exception {
    JsonNode m = call("Page.getLayoutMetrics", null);
    JsonNode size = m.has("cssContentSize") ? m.path("cssContentSize") : m.path("contentSize");
    double pageHeight = Math.ceil(size.path("height").asDouble());
    ObjectNode clip =
        Json.mapper()
            .createObjectNode()
            .put("x", 0)
            .put("y", y)
            .put("width", Math.ceil(size.path("width").asDouble()))
            .put("height", Math.max(1, Math.min(height, pageHeight - y)))
            .put("scale", scale);
    ObjectNode p =
        Json.mapper().createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    p.set("clip", clip);
    return Base64.getDecoder().decode(call("Page.captureScreenshot", p).path("data").asText());
  }

  /** Console errors, failed assertions, uncaught exceptions and error log entries so far. */
  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = nextId.incrementAndGet();
    ObjectNode msg = Json.mapper().createObjectNode().put("id", id).put("method", method);
    if (params != null) {
      msg.set("params", params);
    }
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket
        .sendText(Json.mapper().writeValueAsString(msg), true)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.path("error"));
    }
    return reply.path("result");
  }

  private synchronized void event(JsonNode m) {
    JsonNode p = m.path("params");
    switch (m.path("method").asText()) {
      case "Page.loadEventFired" -> loaded.complete(null);
      case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails"));
      case "Runtime.consoleAPICalled" -> {
        String type = p.path("type").asText();
        if (type.equals("error") || type.equals("assert")) {
          errors.add("console." + type + ": " + p.path("args"));
        }
      }
      case "Log.entryAdded" -> {
        if (p.path("entry").path("level").asText().equals("error")) {
          errors.add(
              "log: "
                  + p.path("entry").path("text").asText()
                  + " "
                  + p.path("entry").path("url").asText());
        }
      }
      default -> {}
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        try {
          JsonNode m = Json.mapper().readTree(part.toString());
          if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.path("id").asInt());
            if (f != null) {
              f.complete(m);
            }
          } else {
            event(m);
          }
        } catch (IOException e) {
          synchronized (Chromium.this) {
            errors.add("unreadable DevTools message: " + e.getMessage());
          }
        }
        part.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the browser is being stopped anyway
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
