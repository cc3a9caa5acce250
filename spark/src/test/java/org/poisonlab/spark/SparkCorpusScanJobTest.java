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
}
