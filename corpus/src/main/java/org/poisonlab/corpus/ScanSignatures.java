package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.poisonlab.io.BadInputException;

/**
 * Every document's signature record, by global index (shard order, then position): the flags,
 * prefix, suffix and source hashes and band keys in memory ({@code 8 · (5 + bands)} bytes a
 * document), the signatures themselves mapped from the work folder.
 */
final class ScanSignatures {
  final long[] start;
  final int k;
  final long[] exact;
  final boolean[] skip;
  final boolean[] hasRun;
  final long[] prefix;
  final long[] suffix;
  final long[] source;
  final long[][] bandKeys;
  private final MappedByteBuffer[] sig;
  private final int rec;

  private ScanSignatures(List<ShardResult> results, ScanWork work, CorpusScanSettings settings)
      throws IOException {
    int shards = results.size();
    start = new long[shards + 1];
    for (int i = 0; i < shards; i++) {
      start[i + 1] = start[i] + results.get(i).documents();
    }
    if (start[shards] > Integer.MAX_VALUE - 8) {
      throw new BadInputException(
          "more than 2^31 documents: near-duplicate clustering on one machine stops here");
    }
    int n = (int) start[shards];
    k = settings.signatureLength();
    rec = ScanWork.recordBytes(k);
    sig = new MappedByteBuffer[shards];
    bandKeys = new long[settings.bands()][n];
    skip = new boolean[n];
    hasRun = new boolean[n];
    exact = new long[n];
    prefix = new long[n];
    suffix = new long[n];
    source = new long[n];
    for (int s = 0; s < shards; s++) {
      sig[s] = work.signatures(s);
      for (int j = 0; j < results.get(s).documents(); j++) {
        int g = (int) (start[s] + j);
        int at = j * rec;
        exact[g] = sig[s].getLong(at);
        int flags = sig[s].getInt(at + ScanWork.AT_FLAGS);
        skip[g] = (flags & ScanWork.HAS_SIGNATURE) == 0;
        hasRun[g] = (flags & ScanWork.HAS_RUN) != 0;
        prefix[g] = sig[s].getLong(at + ScanWork.AT_PREFIX);
        suffix[g] = sig[s].getLong(at + ScanWork.AT_SUFFIX);
        source[g] = sig[s].getLong(at + ScanWork.AT_SOURCE);
        for (int b = 0; b < settings.bands(); b++) {
          bandKeys[b][g] = bandKey(sig[s], at + ScanWork.AT_SIGNATURE, b, settings.rows());
        }
      }
    }
  }

  static ScanSignatures load(List<ShardResult> results, ScanWork work, CorpusScanSettings s)
      throws IOException {
    return new ScanSignatures(results, work, s);
  }

  /** The hash of band {@code b}'s {@code rows} signature entries. */
  static long bandKey(java.nio.ByteBuffer buf, int signatureAt, int b, int rows) {
    long h = Tokens.NGRAM_SEED + b;
    for (int r = 0; r < rows; r++) {
      h = Tokens.mix(h * 31 + buf.getInt(signatureAt + 4 * (b * rows + r)));
    }
    return h;
  }

  int documents() {
    return skip.length;
  }

  int global(long key) {
    return (int) (start[(int) (key >>> 32)] + (key & 0xffffffffL));
  }

  long key(int global) {
    int s = shardOf(global);
    return ((long) s << 32) | (global - start[s]);
  }

  /** The share of equal signature entries of two documents. */
  double similarity(int x, int y) {
    int sx = shardOf(x);
    int sy = shardOf(y);
    int ax = (int) (x - start[sx]) * rec + ScanWork.AT_SIGNATURE;
    int ay = (int) (y - start[sy]) * rec + ScanWork.AT_SIGNATURE;
    int same = 0;
    for (int i = 0; i < k; i++) {
      if (sig[sx].getInt(ax + 4 * i) == sig[sy].getInt(ay + 4 * i)) {
        same++;
      }
    }
    return same / (double) k;
  }

  int shardOf(int g) {
    int s = Arrays.binarySearch(start, g);
    if (s >= 0) {
      while (s + 1 < start.length && start[s + 1] == g) {
        s++;
      }
      return s;
    }
    return -s - 2;
  }
}
