package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusScanSparkCommandTest {
  @TempDir Path dir;

  @Test
  void sparkWithoutTheSparkJarIsOneLinePointingToTheDocs() throws Exception {
    Path in = Files.writeString(dir.resolve("a.jsonl"), "{\"id\":\"a\",\"text\":\"some words\"}\n");
    Cli.Run r =
        Cli.run(
            "corpus",
            "scan",
            "--in",
            in.toString(),
            "--out",
            dir.resolve("out").toString(),
            "--spark",
            "local[2]");
    assertEquals(2, r.exitCode(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("docs/spark.md"), r.err());
    assertFalse(Files.exists(dir.resolve("out")), "no local scan ran instead");
  }
}
