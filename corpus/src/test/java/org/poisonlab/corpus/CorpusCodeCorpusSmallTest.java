package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.PinnedCorpus;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.io.Json;
import org.poisonlab.io.Sha1;
import org.poisonlab.testkit.RealData;

/**
 * The real {@code code-corpus-small}, read from the cache: skipped when it is not cached, unless
 * {@code POISONLAB_REQUIRE_DATA=1}.
 */
class CorpusCodeCorpusSmallTest {
  @TempDir Path dir;

  @Test
  void theSmallCodeCorpusHoldsItsMeasuredDocumentsAndTakesAPlanting() throws Exception {
    RealData.require("code-corpus-small");
    PinnedCorpus c = PinnedDatasets.corpus("code-corpus-small", PinnedDatasets.home(), null);
    assertEquals(7, c.artifacts());
    assertEquals(5_709, c.documents());
    assertEquals(52_601_497L, c.textBytes());
    assertEquals(7, c.sources());

    Set<String> ids = new HashSet<>();
    long read = 0;
    for (Path shard : c.shards()) {
      try (DocumentStream s = CorpusReaders.open(shard)) {
        for (Document d; (d = s.next()) != null; ) {
          read++;
          assertTrue(ids.add(d.lineage().recordId()), d.lineage().recordId());
          assertTrue(d.lineage().recordId().startsWith(d.source() + ":"), d.lineage().recordId());
          assertEquals(
              Sha1.base32(d.text().getBytes(StandardCharsets.UTF_8)),
              d.lineage().digest(),
              d.lineage().recordId());
        }
        assertEquals(List.of(), s.badRecords());
      }
    }
    assertEquals(c.documents(), read);

    PlantResult r =
        CorpusPlanter.plant(
            new PlantRequest(
                c.shards(),
                dir.resolve("out"),
                dir.resolve("truth.jsonl"),
                0,
                50,
                null,
                10,
                10,
                5,
                64L << 20),
            null);
    assertEquals(5_709 + 50 + 10 + 10, r.documentsOut());
    Map<String, Integer> kinds = new HashMap<>();
    Set<String> burstSources = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("truth.jsonl"))) {
      var t = Json.mapper().readTree(line);
      kinds.merge(t.get("kind").asText(), 1, Integer::sum);
      if (t.get("kind").asText().equals("burst")) {
        burstSources.add(t.get("source").asText());
        assertTrue(t.get("record_id").asText().contains("!/"), "an id of the corpus's shape");
      }
      if (t.has("jaccard")) {
        assertTrue(t.get("jaccard").asDouble() >= 0.8, line);
      }
    }
    assertEquals(
        Map.of("burst", 50, "templated", 10, "near_duplicate", 10, "split_view", 5), kinds);
    assertTrue(burstSources.size() >= 7, "bursts spread over sources: " + burstSources);
  }
}
