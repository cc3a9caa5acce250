package org.poisonlab.corpus;

import java.util.List;

/**
 * What one shard's scan found: counts, the histogram of the documents' longest random-text runs,
 * the text around the runs' onsets and the records the reader skipped.
 *
 * @param runHistogram documents by their longest run: bin 0 none, then bins of {@link #runBin}
 * @param read what the reader met: records, digests checked, records skipped
 */
public record ShardResult(
    int shard,
    String file,
    long documents,
    long bytes,
    long withRuns,
    long[] runHistogram,
    List<ShardScanner.Zone> zones,
    List<BadRecord> badRecords,
    ReadStats read) {
  static final int RUN_BINS = 8;

  /** 0 for no run; then 64–127, 128–255, … words, the last bin open. */
  static int runBin(int longest) {
    if (longest <= 0) {
      return 0;
    }
    int b = 1;
    int upper = 2 * NoveltyRuns.MIN_WORDS;
    while (longest >= upper && b < RUN_BINS - 1) {
      b++;
      upper *= 2;
    }
    return b;
  }
}
