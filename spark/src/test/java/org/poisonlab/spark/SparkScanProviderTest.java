package org.poisonlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.corpus.ClusterScanProvider;
import org.poisonlab.corpus.CorpusScan;
import org.poisonlab.corpus.CorpusScanSettings;

class SparkScanProviderTest {
  @TempDir Path dir;

  @Test
  void theCommandLineFindsTheSparkScanThroughServiceLoader() throws IOException {
    List<ClusterScanProvider> found =
        ServiceLoader.load(ClusterScanProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("spark"))
            .toList();
    assertEquals(1, found.size());
    List<Path> inputs = TestCorpus.write(dir.resolve("in"), 2, 40, 6, 0, 11);
    CorpusScanSettings settings = CorpusScanSettings.fineweb(1);
    new CorpusScan(settings, 1, null).run(inputs, dir.resolve("local"));
    found
        .get(0)
        .scan(
            "local[2]",
            inputs.stream().map(Path::toString).toList(),
            dir.resolve("spark").toString(),
            settings,
            null);
    for (String f : List.of("summary.json", "flags.jsonl", "clusters.jsonl")) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("local").resolve(f)),
          Files.readAllBytes(dir.resolve("spark").resolve(f)),
          "corpus seed 11: " + f);
    }
  }
}
