package org.poisonlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.corpus.CorpusScanSettings;
import org.poisonlab.io.BadInputException;

class SparkCorpusScanJobTest {
  @TempDir Path dir;

  @Test
  void globsStandForTheFilesTheyMatchSortedAndOtherInputsStayAsGiven() throws IOException {
    for (String f : List.of("b.jsonl", "a.jsonl", "c.txt")) {
      Files.writeString(dir.resolve(f), "");
    }
    List<String> files =
        CorpusScanJob.expand(List.of(dir + "/*.jsonl", "plain/x.jsonl"), new Configuration(false));
    assertEquals(
        List.of("file:" + dir + "/a.jsonl", "file:" + dir + "/b.jsonl", "plain/x.jsonl"), files);
  }

  @Test
  void aGlobMatchingNothingIsBadInput() {
    assertThrows(
        BadInputException.class,
        () -> CorpusScanJob.expand(List.of(dir + "/*.parquet"), new Configuration(false)));
  }

  @Test
  void settingsTakeTheCommandLinesPresetsAndValues() {
    assertEquals(
        new CorpusScanSettings(20, 5, 0.8, 0.05, 5, 4, 7),
        CorpusScanJob.settings("20x5", 7, 0.8, 0.05, 4));
    assertEquals(CorpusScanSettings.lee(3), CorpusScanJob.settings("lee", 3, null, null, null));
    assertThrows(
        BadInputException.class, () -> CorpusScanJob.settings("wide", 0, null, null, null));
    assertThrows(
        BadInputException.class, () -> CorpusScanJob.settings("fineweb", 0, 1.5, null, null));
  }
}
