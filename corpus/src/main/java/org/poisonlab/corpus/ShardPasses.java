package org.poisonlab.corpus;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One shard's passes of a corpus scan, for {@link ScanEngine}s that run each shard as a task of its
 * own. The first pass writes the shard's document lines (one JSON object a line: the lineage key
 * under {@code doc}, and {@code source}) and its signature records ({@link SignatureReader}), both
 * in document order; the second counts the documents holding each tested string. The local scan
 * runs the same scanner and writer.
 */
public final class ShardPasses {
  private ShardPasses() {}

  /**
   * The first pass over shard number {@code shard}, named {@code file}: documents get keys {@code
   * shard << 32 | position}. Both streams are closed at the end.
   */
  public static ShardResult scan(
      int shard,
      String file,
      DocumentStream in,
      CorpusScanSettings settings,
      OutputStream documentLines,
      OutputStream signatureRecords)
      throws IOException {
    MinHasher hasher = new MinHasher(settings.signatureLength(), settings.seed());
    try (ScanWork.ShardWriter w =
        new ScanWork.ShardWriter(documentLines, signatureRecords, hasher.length())) {
      return new ShardScanner(hasher).scan(shard, file, in, w);
    }
  }

  /**
   * The second pass over shard number {@code shard} ({@link ShardScanner#documentFrequencies}).
   * Arrays not modified.
   */
  public static ShardScanner.DocumentFrequencies documentFrequencies(
      int shard, DocumentStream in, String[] strings, int[] keep) throws IOException {
    return ShardScanner.documentFrequencies(shard, in, strings, keep);
  }

  /** A shard's result as JSON (for shipping between machines). */
  public static String toJson(ShardResult r) throws IOException {
    return ScanWork.MAPPER.writeValueAsString(r);
  }

  /** A shard's result read back from {@link #toJson(ShardResult)}. */
  public static ShardResult shardResult(String json) throws IOException {
    return ScanWork.MAPPER.readValue(json, ShardResult.class);
  }

  /** A shard's document frequencies as JSON. */
  public static String toJson(ShardScanner.DocumentFrequencies f) throws IOException {
    return ScanWork.MAPPER.writeValueAsString(f);
  }

  /** Document frequencies read back from {@link #toJson(ShardScanner.DocumentFrequencies)}. */
  public static ShardScanner.DocumentFrequencies documentFrequencies(String json)
      throws IOException {
    return ScanWork.MAPPER.readValue(json, ShardScanner.DocumentFrequencies.class);
  }
}
