package org.poisonlab.corpus;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.LongToIntFunction;
import java.util.stream.LongStream;

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

  /** Receives a burst candidate string cut from the zone of document {@code doc}. */
  public interface CandidateSink {
    void accept(String string, long doc, String source);
  }

  /**
   * The burst detector's character grams of a shard's zones (the text around its random-text runs):
   * each document's distinct grams, documents one after another. Summed across shards by hash, they
   * give the number of documents whose zones hold each gram.
   */
  public static long[] zoneGrams(ShardResult r) {
    LongStream.Builder b = LongStream.builder();
    BurstFindings.forEachZoneGram(r.zones(), b);
    return b.build().toArray();
  }

  /**
   * The burst candidate strings cut from a shard's zones, in zone order ({@link
   * BurstFindings#forEachCandidateString}).
   *
   * @param count a gram's document count across all shards when at least {@code minSupport}, else 0
   */
  public static void candidateStrings(ShardResult r, LongToIntFunction count, CandidateSink sink) {
    BurstFindings.forEachCandidateString(r.zones(), count, sink::accept);
  }

  /** The shard's result without its zones (for a driver that does not need them). */
  public static ShardResult withoutZones(ShardResult r) {
    return new ShardResult(
        r.shard(),
        r.file(),
        r.documents(),
        r.bytes(),
        r.withRuns(),
        r.runHistogram(),
        List.of(),
        r.badRecords(),
        r.read());
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
