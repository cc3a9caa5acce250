package org.poisonlab.corpus;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.poisonlab.io.BadInputException;

/** Opens a corpus file by its name's ending. */
public final class CorpusReaders {
  private CorpusReaders() {}

  /**
   * A stream over {@code file}'s documents. Known endings: {@code .jsonl}, {@code .json}.
   *
   * @throws BadInputException when the ending is not a known format or the file cannot be opened
   */
  public static DocumentStream open(Path file) {
    String name = file.getFileName().toString();
    try {
      if (name.endsWith(".jsonl") || name.endsWith(".json")) {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new JsonlDocumentStream(file.toString(), in);
      }
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read: " + e.getMessage(), e);
    }
    throw new BadInputException(
        file, 0, "unknown corpus format (expected .jsonl, .jsonl.gz, .jsonl.zst, .parquet, .warc)");
  }
}
