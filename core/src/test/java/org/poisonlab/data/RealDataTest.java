package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks the pinned datasets themselves, read from the cache ({@code $POISONLAB_HOME} or the
 * default). Skipped when the data is not cached, unless {@code POISONLAB_REQUIRE_DATA=1}, when a
 * missing dataset fails the test. Mail text never leaves the cache.
 */
class RealDataTest {
  private static final Path HOME = PinnedDatasets.home();

  private static void requireCached(String name) {
    DatasetDescription d =
        PinnedDatasets.list(HOME).stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow();
    if (!d.cached()) {
      String why =
          name + " is not cached at " + d.artifact() + " (poisonlab data fetch " + name + ")";
      if ("1".equals(System.getenv("POISONLAB_REQUIRE_DATA"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  @Test
  void javaCodeHoldsGuavasSourcesWithoutLicenceHeadersAndAFixedNinetyTenSplit() {
    requireCached("java-code");
    Dataset train = PinnedDatasets.load("java-code", "train", HOME, null);
    Dataset test = PinnedDatasets.load("java-code", "test", HOME, null);
    assertEquals(627, train.size() + test.size());
    assertEquals(0.10, test.size() / 627.0, 0.03);
    assertEquals(List.of("java"), train.labels());
    Set<String> trainIds = new HashSet<>();
    train.forEach(e -> trainIds.add(e.id()));
    assertTrue(test.examples().stream().noneMatch(e -> trainIds.contains(e.id())));
    assertTrue(
        train.examples().stream()
            .allMatch(
                e ->
                    !e.text()
                            .substring(0, Math.min(200, e.text().length()))
                            .contains("Licensed under the Apache License")
                        && e.source().startsWith("com.google.")),
        "every file starts after its licence header and names its package");
  }

  @Test
  void spamAssassinHasAllMailsAboutAThirdSpamAndAFixedEightyTwentySplit() throws Exception {
    requireCached("spamassassin");
    Dataset train = PinnedDatasets.load("spamassassin", "train", HOME, null);
    Dataset test = PinnedDatasets.load("spamassassin", "test", HOME, null);
    int n = train.size() + test.size();
    assertEquals(6046, n);
    assertEquals(List.of("ham", "spam"), train.labels());
    long spam =
        train.examples().stream().filter(e -> e.label().equals("spam")).count()
            + test.examples().stream().filter(e -> e.label().equals("spam")).count();
    assertEquals(1896, spam, "spam-1 (500) + spam-2 (1396)");
    assertEquals(0.20, test.size() / (double) n, 0.02);

    Set<String> trainIds = new HashSet<>();
    train.forEach(e -> trainIds.add(e.id()));
    assertTrue(
        test.examples().stream().noneMatch(e -> trainIds.contains(e.id())),
        "duplicates share a split");

    Map<String, Integer> groups = new HashMap<>();
    Set<String> sources = new HashSet<>();
    int unknown = 0;
    for (Dataset d : List.of(train, test)) {
      for (Example e : d) {
        groups.merge(e.extra().get("group").textValue(), 1, Integer::sum);
        sources.add(e.source());
        unknown += e.source().equals("unknown") ? 1 : 0;
        assertTrue(e.text().indexOf('\n') >= 0, "Subject, newline, body");
      }
    }
    assertEquals(
        Map.of(
            "spam-1",
            500,
            "spam-2",
            1396,
            "easy-ham-1",
            2500,
            "easy-ham-2",
            1400,
            "hard-ham-1",
            250),
        groups);
    assertTrue(unknown < n / 100, unknown + " mails without a sender domain");
    assertTrue(sources.size() > 500, sources.size() + " distinct sender domains");

    PinnedEntry entry = DatasetRegistry.STANDARD.entry("spamassassin");
    JsonNode summary =
        org.poisonlab.io.Json.strict()
            .readTree(DatasetRegistry.derivedDir(HOME, entry).resolve("summary.json").toFile());
    assertTrue(summary.get("raw_body_fallbacks").asInt() < n / 100, summary.toString());
  }

  @Test
  void fashionMnistHasSixtyAndTenThousandBalancedImagesFromTwoHundredContributors() {
    requireCached("fashion-mnist");
    Dataset train = PinnedDatasets.load("fashion-mnist", "train", HOME, null);
    Dataset test = PinnedDatasets.load("fashion-mnist", "test", HOME, null);
    assertEquals(60_000, train.size());
    assertEquals(10_000, test.size());
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.labels());
    assertEquals(
        List.of("9", "0", "0", "3", "0"),
        train.examples().subList(0, 5).stream().map(Example::label).toList());
    Map<String, Integer> perLabel = new HashMap<>();
    Set<String> contributors = new HashSet<>();
    for (Example e : train) {
      perLabel.merge(e.label(), 1, Integer::sum);
      contributors.add(e.source());
    }
    perLabel.values().forEach(c -> assertEquals(6000, c));
    assertEquals(200, contributors.size());
    assertTrue(contributors.stream().allMatch(s -> s.matches("contributor-\\d{3}")));
    Example first = test.get(0);
    assertEquals(784, first.pixelCount());
    assertEquals(
        Example.ofImage(first.pixels(), first.shape(), "x", null).id(),
        first.id(),
        "cached id matches the pixels");
  }
}
