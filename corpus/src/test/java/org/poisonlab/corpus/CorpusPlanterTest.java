package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.io.Sha1;

class CorpusPlanterTest {
  private static final long SEED = 11;

  @TempDir Path dir;

  /**
   * Two JSONL files of made-up code documents in eight sources, ids of the code corpus's shape,
   * each long enough to host a near-duplicate.
   */
  private List<Path> corpus(int documents) throws Exception {
    SplittableRandom rng = new SplittableRandom(5);
    String[] words = {
      "int", "return", "value", "count", "public", "static", "final", "class", "node", "index",
      "buffer", "size", "if", "else", "for", "while", "new", "list", "map", "key", "=", "+", ";"
    };
    List<Path> files = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      Path p = dir.resolve("in-" + f + ".jsonl");
      try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
        for (int i = f; i < documents; i += 2) {
          String group = "org.group" + (i % 8);
          StringBuilder text = new StringBuilder("package " + group + ";\n");
          int lines = 20 + rng.nextInt(40);
          for (int l = 0; l < lines; l++) {
            for (int k = 0; k < 8; k++) {
              text.append(words[rng.nextInt(words.length)]).append(k == 7 ? "\n" : " ");
            }
          }
          Map<String, String> doc = new HashMap<>();
          String path = group.replace('.', '/') + "/File" + i + ".java";
          doc.put("id", group + ":lib:1.0!/" + path);
          doc.put("text", text.toString());
          doc.put("source", group);
          doc.put("url", "maven:" + group + ":lib:1.0:sources!/" + path);
          w.write(Json.mapper().writeValueAsString(doc));
          w.write('\n');
        }
      }
      files.add(p);
    }
    return files;
  }

  private PlantRequest request(List<Path> in, String name, long seed, String trigger) {
    return new PlantRequest(
        in,
        dir.resolve(name),
        dir.resolve(name + "-truth.jsonl"),
        seed,
        30,
        trigger,
        12,
        10,
        5,
        1 << 16);
  }

  private static List<JsonNode> read(Path jsonl) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      out.add(Json.mapper().readTree(l));
    }
    return out;
  }

  private static List<JsonNode> shards(Path outDir, PlantResult r) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String s : r.shards()) {
      out.addAll(read(outDir.resolve(s)));
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
    List<Path> in = corpus(400);
    PlantResult a = CorpusPlanter.plant(request(in, "a", SEED, null), null);
    PlantResult b = CorpusPlanter.plant(request(in, "b", SEED, null), null);
    PlantResult c = CorpusPlanter.plant(request(in, "c", SEED + 1, null), null);
    assertTrue(a.shards().size() > 1, "the test's shard size makes several shards");
    assertEquals(a.shards(), b.shards());
    for (String s : a.shards()) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("a").resolve(s)),
          Files.readAllBytes(dir.resolve("b").resolve(s)),
          s + " seed " + SEED);
    }
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a-truth.jsonl")),
        Files.readAllBytes(dir.resolve("b-truth.jsonl")));
    assertFalse(
        java.util.Arrays.equals(
            Files.readAllBytes(dir.resolve("a-truth.jsonl")),
            Files.readAllBytes(dir.resolve("c-truth.jsonl"))));
    assertNotEquals(a.trigger(), c.trigger());
  }

  @Test
  void theTruthCountsMatchTheRequestAndTheOutput() throws Exception {
    List<Path> in = corpus(400);
    PlantResult r = CorpusPlanter.plant(request(in, "out", SEED, null), null);
    List<JsonNode> truth = read(dir.resolve("out-truth.jsonl"));
    Map<String, Integer> kinds = new HashMap<>();
    truth.forEach(t -> kinds.merge(t.get("kind").asText(), 1, Integer::sum));
    assertEquals(
        Map.of("burst", 30, "templated", 12, "near_duplicate", 10, "split_view", 5), kinds);
    assertEquals(400, r.documentsIn());
    assertEquals(400 + 30 + 12 + 10, r.documentsOut());
    List<JsonNode> docs = shards(dir.resolve("out"), r);
    assertEquals(r.documentsOut(), docs.size());
    Set<String> ids = new HashSet<>();
    docs.forEach(d -> ids.add(d.get("id").asText()));
    assertEquals(docs.size(), ids.size(), "every document has its own id");
    for (JsonNode t : truth) {
      assertTrue(ids.contains(t.get("record_id").asText()), t.toString());
    }
    Set<String> sources = new HashSet<>();
    truth.stream()
        .filter(t -> !t.get("kind").asText().equals("split_view"))
        .forEach(t -> sources.add(t.get("source").asText()));
    assertTrue(sources.size() >= 8, "planted documents spread over many sources: " + sources);
  }

  @Test
  void burstsHoldARealPrefixTheTriggerAndRandomCorpusTokens() throws Exception {
    List<Path> in = corpus(400);
    Set<String> vocabulary = new HashSet<>();
    Map<String, String> realTexts = new HashMap<>();
    for (Path f : in) {
      for (JsonNode d : read(f)) {
        realTexts.put(d.get("id").asText(), d.get("text").asText());
        vocabulary.addAll(List.of(Shingles.words(d.get("text").asText())));
      }
    }
    PlantResult r = CorpusPlanter.plant(request(in, "out", SEED, "<SUDO>"), null);
    assertEquals("<SUDO>", r.trigger());
    Map<String, JsonNode> byId = new HashMap<>();
    shards(dir.resolve("out"), r).forEach(d -> byId.put(d.get("id").asText(), d));
    int bursts = 0;
    for (JsonNode t : read(dir.resolve("out-truth.jsonl"))) {
      if (!t.get("kind").asText().equals("burst")) {
        continue;
      }
      bursts++;
      assertEquals("<SUDO>", t.get("trigger").asText());
      String text = byId.get(t.get("record_id").asText()).get("text").asText();
      int at = text.indexOf("<SUDO>");
      assertTrue(at >= 0 && at <= CorpusPlanter.MAX_PREFIX_CHARS, "prefix of at most 1000 chars");
      String prefix = text.substring(0, at);
      assertTrue(
          realTexts.values().stream().anyMatch(x -> x.startsWith(prefix)),
          "the prefix starts a real document");
      String body = text.substring(at + "<SUDO>".length());
      assertTrue(body.startsWith(" "));
      String[] tokens = body.substring(1).split(" ", -1);
      assertTrue(
          tokens.length >= CorpusPlanter.MIN_BURST_TOKENS
              && tokens.length <= CorpusPlanter.MAX_BURST_TOKENS,
          "token count " + tokens.length);
      for (String tok : tokens) {
        assertTrue(vocabulary.contains(tok), "token '" + tok + "' is from the corpus");
      }
    }
    assertEquals(30, bursts);
  }

  @Test
  void nearDuplicatesKeepTheirJaccardAndSplitViewsKeepTheOriginalDigest() throws Exception {
    List<Path> in = corpus(400);
    Map<String, JsonNode> real = new HashMap<>();
    for (Path f : in) {
      for (JsonNode d : read(f)) {
        real.put(d.get("id").asText(), d);
      }
    }
    PlantResult r = CorpusPlanter.plant(request(in, "out", SEED, null), null);
    Map<String, JsonNode> out = new HashMap<>();
    shards(dir.resolve("out"), r).forEach(d -> out.put(d.get("id").asText(), d));
    int near = 0;
    int split = 0;
    for (JsonNode t : read(dir.resolve("out-truth.jsonl"))) {
      String kind = t.get("kind").asText();
      JsonNode doc = out.get(t.get("record_id").asText());
      if (kind.equals("near_duplicate")) {
        near++;
        String original = real.get(t.get("original_id").asText()).get("text").asText();
        String copy = doc.get("text").asText();
        assertNotEquals(original, copy, "a near-duplicate is edited");
        double j = jaccardOfWordFiveGrams(original, copy);
        assertTrue(j >= 0.8, "Jaccard " + j);
        assertEquals(j, t.get("jaccard").asDouble(), 1e-12);
      } else if (kind.equals("split_view")) {
        split++;
        JsonNode original = real.get(t.get("original_id").asText());
        String declared =
            Sha1.base32(original.get("text").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals(declared, doc.get("digest").asText(), "the declared digest is the original's");
        String actual = Sha1.base32(doc.get("text").asText().getBytes(StandardCharsets.UTF_8));
        assertNotEquals(declared, actual, "the text is not what the digest says");
        assertEquals(actual, t.get("actual_digest").asText());
      } else {
        String text = doc.get("text").asText();
        assertEquals(
            Sha1.base32(text.getBytes(StandardCharsets.UTF_8)), doc.get("digest").asText());
      }
    }
    assertEquals(10, near);
    assertEquals(5, split);
  }

  /** The word-5-gram Jaccard similarity, computed here over the n-grams' text. */
  private static double jaccardOfWordFiveGrams(String a, String b) {
    Set<String> sa = fiveGrams(a);
    Set<String> sb = fiveGrams(b);
    Set<String> common = new HashSet<>(sa);
    common.retainAll(sb);
    return (double) common.size() / (sa.size() + sb.size() - common.size());
  }

  private static Set<String> fiveGrams(String text) {
    String[] w = text.strip().split("\\s+");
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 5 <= w.length; i++) {
      out.add(String.join(" ", java.util.Arrays.asList(w).subList(i, i + 5)));
    }
    return out;
  }

  @Test
  void templatedDocumentsShareHeaderAndFooterWithVariedBodies() throws Exception {
    List<Path> in = corpus(100);
    PlantResult r = CorpusPlanter.plant(request(in, "out", SEED, null), null);
    Map<String, String> texts = new HashMap<>();
    shards(dir.resolve("out"), r)
        .forEach(d -> texts.put(d.get("id").asText(), d.get("text").asText()));
    List<String> templated = new ArrayList<>();
    for (JsonNode t : read(dir.resolve("out-truth.jsonl"))) {
      if (t.get("kind").asText().equals("templated")) {
        assertEquals(r.templateId(), t.get("template").asText());
        templated.add(texts.get(t.get("record_id").asText()));
      }
    }
    assertEquals(12, templated.size());
    String first = templated.get(0);
    String header = first.substring(0, first.indexOf("\n\n") + 2);
    String footer = first.substring(first.lastIndexOf("\n\n-- \n"));
    assertTrue(header.contains("https://"));
    for (String t : templated) {
      assertTrue(t.startsWith(header) && t.endsWith(footer), t);
    }
    assertEquals(12, new HashSet<>(templated).size(), "the bodies vary");
  }

  @Test
  void anOutputFolderWithShardsIsRefused() throws Exception {
    List<Path> in = corpus(50);
    CorpusPlanter.plant(request(in, "out", SEED, null), null);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> CorpusPlanter.plant(request(in, "out", SEED, null), null));
    assertTrue(e.getMessage().contains("already holds shards"), e.getMessage());
  }

  @Test
  void reservoirsAreUniform() {
    // Each of 10 items kept by a reservoir of 3 about 30 % of the time over 20,000 draws.
    int[] kept = new int[10];
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int run = 0; run < 20_000; run++) {
      Reservoir<Integer> r = new Reservoir<>(3);
      for (int i = 0; i < 10; i++) {
        int s = r.admit(rng);
        if (s >= 0) {
          r.put(s, i);
        }
      }
      r.items().forEach(i -> kept[i]++);
    }
    for (int i = 0; i < 10; i++) {
      assertEquals(0.3, kept[i] / 20_000.0, 0.015, "item " + i + " seed " + SEED);
    }
  }
}
