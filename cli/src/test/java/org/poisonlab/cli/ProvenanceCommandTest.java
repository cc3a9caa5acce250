package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/**
 * provenance keygen / manifest / verify / fetch through the command line: output and exit codes.
 */
class ProvenanceCommandTest {
  @TempDir Path dir;

  private Path emails(String name) {
    Path p = dir.resolve(name);
    ExampleJsonl.write(p, Fixtures.textEmails(40, 5));
    return p;
  }

  private static void assertOneLineError(Cli.Run r, String fragment) {
    assertEquals(2, r.exitCode(), "stderr: " + r.err());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), err);
    assertFalse(err.contains("Exception"), err);
    assertTrue(err.contains(fragment), "expected '" + fragment + "' in: " + err);
  }

  @Test
  void signedManifestVerifiesAndAnEditedDatasetFailsWithItsChanges() throws Exception {
    Path keys = dir.resolve("keys");
    Cli.Run k = Cli.run("provenance", "keygen", "--out", keys.toString(), "--json");
    assertEquals(0, k.exitCode(), k.err());
    assertTrue(Json.mapper().readTree(k.out()).get("fingerprint").asText().startsWith("sha256:"));

    Path train = emails("train.jsonl");
    Path manifest = dir.resolve("train.manifest.json");
    Cli.Run m =
        Cli.run(
            "provenance",
            "manifest",
            "--in",
            train.toString(),
            "--out",
            manifest.toString(),
            "--key",
            keys.resolve("private.key").toString());
    assertEquals(0, m.exitCode(), m.err());
    assertTrue(m.out().contains("40 examples") && m.out().contains("signed"), m.out());

    String pub = keys.resolve("public.key").toString();
    Cli.Run ok =
        Cli.run(
            "provenance",
            "verify",
            "--in",
            train.toString(),
            "--manifest",
            manifest.toString(),
            "--pub",
            pub);
    assertEquals(0, ok.exitCode(), ok.out() + ok.err());
    assertTrue(ok.out().contains("signature  valid"), ok.out());

    Dataset d = ExampleJsonl.read(train);
    List<Example> es = new ArrayList<>(d.examples());
    Example flipped = es.get(7).withLabel(es.get(7).label().equals("spam") ? "ham" : "spam");
    es.set(7, flipped);
    es.add(Example.ofText("free prize click now", "ham", "evil.example"));
    ExampleJsonl.write(train, es);
    Cli.Run bad =
        Cli.run(
            "provenance",
            "verify",
            "--in",
            train.toString(),
            "--manifest",
            manifest.toString(),
            "--pub",
            pub,
            "--json");
    assertEquals(1, bad.exitCode(), bad.err());
    JsonNode j = Json.mapper().readTree(bad.out());
    assertFalse(j.get("ok").asBoolean());
    assertEquals("valid", j.get("signature").asText());
    assertEquals(1, j.get("changes").get("changed").asInt());
    assertEquals(1, j.get("changes").get("added").asInt());
    JsonNode first = j.get("details").get(0);
    assertEquals("changed", first.get("kind").asText());
    assertEquals(7, first.get("position").asInt());
    assertEquals("label", first.get("fields").get(0).asText());

    Cli.Run human =
        Cli.run(
            "provenance", "verify", "--in", train.toString(), "--manifest", manifest.toString());
    assertEquals(1, human.exitCode());
    assertTrue(
        human
            .out()
            .contains(
                "changed    example 8 (position 7) id " + first.path("actual").path("id").asText()),
        human.out());
    assertTrue(human.out().contains("added      example 41 (position 40) id sha256:"), human.out());
  }

  @Test
  void anotherKeyFailsTheSignature() {
    Path train = emails("train.jsonl");
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    assertEquals(0, Cli.run("provenance", "keygen", "--out", a.toString()).exitCode());
    assertEquals(0, Cli.run("provenance", "keygen", "--out", b.toString()).exitCode());
    Path manifest = dir.resolve("m.json");
    assertEquals(
        0,
        Cli.run(
                "provenance",
                "manifest",
                "--in",
                train.toString(),
                "--out",
                manifest.toString(),
                "--key",
                a.resolve("private.key").toString())
            .exitCode());
    Cli.Run r =
        Cli.run(
            "provenance",
            "verify",
            "--in",
            train.toString(),
            "--manifest",
            manifest.toString(),
            "--pub",
            b.resolve("public.key").toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.out().contains("INVALID"), r.out());
  }

  @Test
  void badInputIsOneLineWithExitCodeTwo() throws Exception {
    Path keys = dir.resolve("keys");
    assertEquals(0, Cli.run("provenance", "keygen", "--out", keys.toString()).exitCode());
    assertOneLineError(Cli.run("provenance", "keygen", "--out", keys.toString()), "private.key");

    Path train = emails("train.jsonl");
    Path manifest = dir.resolve("m.json");
    Files.writeString(
        manifest, "{\"format\": \"poisonlab-manifest\",\n\"version\": 1,\n\"count\": -3}\n");
    assertOneLineError(
        Cli.run(
            "provenance", "verify", "--in", train.toString(), "--manifest", manifest.toString()),
        "m.json:3:");
    assertOneLineError(
        Cli.run(
            "provenance",
            "manifest",
            "--in",
            train.toString(),
            "--out",
            dir.resolve("x.json").toString(),
            "--key",
            keys.resolve("public.key").toString()),
        "public.key");
    assertFalse(Files.exists(dir.resolve("x.json")));
    assertEquals(2, Cli.run("provenance", "verify", "--in", train.toString()).exitCode());

    Path index = dir.resolve("index.jsonl");
    Files.writeString(index, "{\"url\": \"http://127.0.0.1:9/x\"}\n");
    assertOneLineError(
        Cli.run(
            "provenance",
            "fetch",
            "--index",
            index.toString(),
            "--out",
            dir.resolve("o").toString()),
        "index.jsonl:1: missing field \"sha256\"");
  }

  @Test
  void fetchExitsOneOnAMismatchAndZeroWhenAllVerify() throws Exception {
    byte[] good = "good bytes".getBytes(StandardCharsets.UTF_8);
    byte[] changed = "changed bytes".getBytes(StandardCharsets.UTF_8);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/good",
        ex -> {
          ex.sendResponseHeaders(200, good.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(good);
          }
        });
    server.createContext(
        "/changed",
        ex -> {
          ex.sendResponseHeaders(200, changed.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(changed);
          }
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String goodSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(good));
      Path okIndex = dir.resolve("ok.jsonl");
      Files.writeString(
          okIndex,
          "{\"url\": \"" + base + "/good\", \"sha256\": \"" + goodSha + "\", \"source\": \"s\"}\n");
      Cli.Run ok =
          Cli.run(
              "provenance",
              "fetch",
              "--index",
              okIndex.toString(),
              "--out",
              dir.resolve("a").toString());
      assertEquals(0, ok.exitCode(), ok.out() + ok.err());
      assertTrue(Files.exists(dir.resolve("a/data/" + goodSha)));

      Path badIndex = dir.resolve("bad.jsonl");
      Files.writeString(
          badIndex,
          "{\"url\": \""
              + base
              + "/good\", \"sha256\": \""
              + goodSha
              + "\", \"source\": \"s\"}\n"
              + "{\"url\": \""
              + base
              + "/changed\", \"sha256\": \""
              + goodSha
              + "\", \"source\": \"t\"}\n");
      Cli.Run bad =
          Cli.run(
              "provenance",
              "fetch",
              "--index",
              badIndex.toString(),
              "--out",
              dir.resolve("b").toString(),
              "--timeout",
              "5",
              "--json");
      assertEquals(1, bad.exitCode(), bad.out() + bad.err());
      JsonNode j = Json.mapper().readTree(bad.out());
      assertEquals(1, j.get("substituted").asInt());
      assertEquals(base + "/changed", j.get("substitutions").get(0).get("url").asText());
      assertEquals(2, j.get("domains").get(0).get("rows").asInt());
      assertTrue(Files.exists(dir.resolve("b/fetch.json")));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shardedManifestNamesTheChangedShardAndATamperedRootFails() throws Exception {
    Path keys = dir.resolve("keys");
    assertEquals(0, Cli.run("provenance", "keygen", "--out", keys.toString()).exitCode());
    Path corpus = dir.resolve("corpus");
    List<Example> all = Fixtures.textEmails(30, 3).examples();
    ExampleJsonl.write(corpus.resolve("a.jsonl"), all.subList(0, 10));
    ExampleJsonl.write(corpus.resolve("b.jsonl"), all.subList(10, 20));
    ExampleJsonl.write(corpus.resolve("c.jsonl"), all.subList(20, 30));
    Path top = dir.resolve("corpus.manifest.json");
    Cli.Run m =
        Cli.run(
            "provenance",
            "manifest",
            "--in",
            corpus.toString(),
            "--out",
            top.toString(),
            "--key",
            keys.resolve("private.key").toString(),
            "--json");
    assertEquals(0, m.exitCode(), m.err());
    JsonNode mj = Json.mapper().readTree(m.out());
    assertEquals(30, mj.get("count").asInt());
    assertEquals(3, mj.get("shards").asInt());
    assertEquals("corpus", mj.get("dataset").asText());
    assertTrue(Files.exists(dir.resolve("corpus.manifest.json.shards/shard-00002.json")));

    String pub = keys.resolve("public.key").toString();
    String[] verify = {
      "provenance", "verify", "--in", corpus.toString(), "--manifest", top.toString(), "--pub", pub
    };
    Cli.Run ok = Cli.run(verify);
    assertEquals(0, ok.exitCode(), ok.out() + ok.err());
    assertTrue(ok.out().contains("3 ok, 0 changed"), ok.out());

    // the same shards given one by one verify too
    Cli.Run byFile =
        Cli.run(
            "provenance",
            "verify",
            "--in",
            corpus.resolve("a.jsonl").toString(),
            "--in",
            corpus.resolve("b.jsonl").toString(),
            "--in",
            corpus.resolve("c.jsonl").toString(),
            "--manifest",
            top.toString(),
            "--pub",
            pub);
    assertEquals(0, byFile.exitCode(), byFile.out());

    Path b = corpus.resolve("b.jsonl");
    List<Example> es = new ArrayList<>(ExampleJsonl.read(b).examples());
    es.set(2, es.get(2).withLabel(es.get(2).label().equals("spam") ? "ham" : "spam"));
    ExampleJsonl.write(b, es);
    Cli.Run bad = Cli.run(verify);
    assertEquals(1, bad.exitCode(), bad.out() + bad.err());
    assertTrue(bad.out().contains("shard b.jsonl: changed"), bad.out());
    assertTrue(bad.out().contains("    changed    example 3 (position 2) id sha256:"), bad.out());
    assertTrue(bad.out().contains("signature  valid"), bad.out());
    assertFalse(bad.out().contains("shard a.jsonl"), bad.out());
    ExampleJsonl.write(b, all.subList(10, 20));

    String text = Files.readString(top);
    String root = Json.mapper().readTree(text).get("root").asText();
    String forged = root.substring(0, root.length() - 1) + (root.endsWith("0") ? "1" : "0");
    Files.writeString(top, text.replace(root, forged));
    Cli.Run tampered = Cli.run(verify);
    assertEquals(1, tampered.exitCode(), tampered.out() + tampered.err());
    assertTrue(tampered.out().contains("signature  INVALID"), tampered.out());

    Files.writeString(top, text);
    assertOneLineError(
        Cli.run(
            "provenance",
            "verify",
            "--in",
            corpus.toString(),
            "--manifest",
            dir.resolve("corpus.manifest.json.shards/shard-00000.json").toString()),
        "the manifest of one dataset");
  }

  @Test
  void tolerantFetchPrintsVerdictsByDomain() throws Exception {
    byte[] recorded = "line one\nline two".getBytes(StandardCharsets.UTF_8);
    byte[] reencoded = "line one  \r\nline two\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] swapped = "line one\nline 2".getBytes(StandardCharsets.UTF_8);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    for (var e :
        java.util.Map.of("/same", recorded, "/crlf", reencoded, "/swapped", swapped).entrySet()) {
      server.createContext(
          e.getKey(),
          ex -> {
            ex.sendResponseHeaders(200, e.getValue().length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(e.getValue());
            }
          });
    }
    server.start();
    try {
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(recorded));
      int port = server.getAddress().getPort();
      StringBuilder index = new StringBuilder();
      for (String host : List.of("127.0.0.1", "localhost")) {
        for (String p : List.of("/same", "/crlf", "/swapped", "/gone")) {
          index.append(
              "{\"url\": \"http://" + host + ":" + port + p + "\", \"sha256\": \"" + sha + "\"}\n");
        }
      }
      Path idx = dir.resolve("index.jsonl");
      Files.writeString(idx, index.toString());
      Cli.Run r =
          Cli.run(
              "provenance",
              "fetch",
              "--index",
              idx.toString(),
              "--out",
              dir.resolve("o").toString(),
              "--tolerant");
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.out().startsWith("8 rows: 2 ok, 2 reencoded, 2 substituted, 2 missing"), r.out());
      assertTrue(r.out().matches("(?s).*\\nlocalhost +4 +1 +1 +1 +1 +\\d+\\n.*"), r.out());
      assertTrue(
          r.out().contains("SUBSTITUTED line 3 http://127.0.0.1:" + port + "/swapped"), r.out());
      JsonNode summary = Json.mapper().readTree(dir.resolve("o/fetch.json").toFile());
      assertEquals(2, summary.get("domains").size());
      assertEquals(8, Files.readAllLines(dir.resolve("o/results.jsonl")).size());
    } finally {
      server.stop(0);
    }
  }
}
