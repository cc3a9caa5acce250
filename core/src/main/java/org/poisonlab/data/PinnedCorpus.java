package org.poisonlab.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A pinned document corpus as built in the cache: JSONL shards of about 64 MiB, one document a line
 * with {@code id}, {@code text}, {@code source}, {@code url} and {@code digest}.
 *
 * @param name the dataset's name, e.g. {@code code-corpus}
 * @param dir the folder holding the shards (and {@code stats.json})
 * @param shards {@code shard-00000.jsonl}, … in order
 * @param artifacts the number of pinned artifacts the corpus was built from
 * @param artifactBytes their total size
 * @param documents the number of documents
 * @param textBytes the UTF-8 bytes of all documents' text
 * @param sources the number of distinct sources
 */
public record PinnedCorpus(
    String name,
    Path dir,
    List<Path> shards,
    int artifacts,
    long artifactBytes,
    long documents,
    long textBytes,
    int sources) {
  public PinnedCorpus {
    shards = List.copyOf(shards);
  }
}
