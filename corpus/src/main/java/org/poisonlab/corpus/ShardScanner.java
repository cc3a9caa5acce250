package org.poisonlab.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one-pass part of a corpus scan, for one shard: per document an exact-content hash, a MinHash
 * signature, its first and last words and its random-text runs; per shard the text around the runs'
 * onsets (where a trigger would stand). A function of the shard's documents alone, so shards scan
 * in any order, on any machine.
 */
public final class ShardScanner {
  /** Words before a run's onset kept in its zone (the trigger precedes the random text). */
  static final int ZONE_BEFORE = 8;

  /** Words after a run's onset kept in its zone (the onset can fall before the trigger). */
  static final int ZONE_AFTER = 24;

  /** What a scan keeps of each document, in shard order. */
  interface DocumentSink {
    void accept(long key, Document d, DocumentFeatures features) throws IOException;
  }

  private final MinHasher hasher;
  private final Tokens tokens = new Tokens();
  private final NoveltyRuns runs = new NoveltyRuns();

  ShardScanner(MinHasher hasher) {
    this.hasher = hasher;
  }

  /**
   * Scans {@code in}, shard number {@code shard}: documents get keys {@code shard << 32 |
   * position}.
   *
   * @param sink receives every document with its features
   */
  ShardResult scan(int shard, String file, DocumentStream in, DocumentSink sink)
      throws IOException {
    List<Zone> zones = new ArrayList<>();
    int[] sig = new int[hasher.length()];
    long documents = 0;
    long bytes = 0;
    long withRuns = 0;
    long[] runHistogram = new long[ShardResult.RUN_BINS];
    Document d;
    while ((d = in.next()) != null) {
      long key = ((long) shard << 32) | documents;
      documents++;
      tokens.cut(d.text());
      bytes += utf8Length(tokens.chars, d.text().length());
      boolean has = hasher.signature(tokens, sig);
      runs.find(tokens, d.text());
      sink.accept(
          key,
          d,
          new DocumentFeatures(
              exactHash(tokens.chars, d.text().length()),
              has ? sig : null,
              runs.runs() > 0,
              edge(true),
              edge(false),
              Tokens.mix(d.source().hashCode() * 0x9e3779b97f4a7c15L + d.source().length())));
      runHistogram[ShardResult.runBin(runs.longest())]++;
      if (runs.runs() > 0) {
        withRuns++;
        zones(key, d, zones);
      }
    }
    return new ShardResult(
        shard, file, documents, bytes, withRuns, runHistogram, zones, in.badRecords(), in.stats());
  }

  /** The text around each run's onset and core, overlapping zones merged. */
  private void zones(long key, Document d, List<Zone> out) {
    int lastEnd = -1;
    for (int r = 0; r < runs.runs(); r++) {
      int[] anchors = {runs.onsetToken(r), runs.coreToken(r)};
      for (int k = 0; k < (anchors[1] == anchors[0] ? 1 : 2); k++) {
        int from = tokens.start[Math.max(0, anchors[k] - ZONE_BEFORE)];
        int to = tokens.end[Math.min(tokens.size, anchors[k] + ZONE_AFTER) - 1];
        if (from <= lastEnd) {
          Zone z = out.remove(out.size() - 1);
          from = z.from();
          to = Math.max(to, z.from() + z.text().length());
        }
        out.add(new Zone(key, d.source(), from, d.text().substring(from, to)));
        lastEnd = to;
      }
    }
  }

  /**
   * The text around a run's onset.
   *
   * @param doc the document's key
   * @param from the zone's first character in the document
   */
  record Zone(long doc, String source, int from, String text) {}

  /**
   * Counts, for each string {@code strings[i]}, the documents of shard {@code shard} that contain
   * it, and lists them up to {@code keep[i]}. A string found in more than {@code keep[i]} documents
   * is dropped from the search: its count stops at {@code keep[i] + 1} and its list is null (a
   * caller that needs no more than that loses nothing, and common strings stop costing searches
   * after the first documents).
   */
  static DocumentFrequencies documentFrequencies(
      int shard, DocumentStream in, String[] strings, int[] keep) throws IOException {
    int m = strings.length;
    long[] df = new long[m];
    long[][] lists = new long[m][8];
    int[] sizes = new int[m];
    int[] lastDoc = new int[m];
    Arrays.fill(lastDoc, -1);
    int[] live = {m};
    int[] doc = {0};
    int[] ids = new int[m];
    for (int i = 0; i < m; i++) {
      ids[i] = i;
    }
    StringMatcher matcher = new StringMatcher(strings);
    int searched = m;
    Document d;
    while (live[0] > 0 && (d = in.next()) != null) {
      // once half the strings searched for are dropped, a smaller matcher stays in cache
      if (2 * live[0] <= searched) {
        ids = new int[live[0]];
        String[] alive = new String[live[0]];
        for (int i = 0, k = 0; i < m; i++) {
          if (lists[i] != null) {
            ids[k] = i;
            alive[k++] = strings[i];
          }
        }
        matcher = new StringMatcher(alive);
        searched = alive.length;
      }
      int[] id = ids;
      matcher.find(
          d.text(),
          found -> {
            int c = id[found];
            if (lastDoc[c] == doc[0] || lists[c] == null) {
              return;
            }
            lastDoc[c] = doc[0];
            df[c]++;
            if (sizes[c] == keep[c]) {
              lists[c] = null;
              live[0]--;
              return;
            }
            if (sizes[c] == lists[c].length) {
              lists[c] = Arrays.copyOf(lists[c], Math.min(keep[c], 2 * sizes[c]));
            }
            lists[c][sizes[c]++] = ((long) shard << 32) | doc[0];
          });
      doc[0]++;
    }
    for (int c = 0; c < m; c++) {
      if (lists[c] != null) {
        lists[c] = Arrays.copyOf(lists[c], sizes[c]);
      }
    }
    return new DocumentFrequencies(df, lists);
  }

  /**
   * Per string, the documents holding it and their keys (null where more than the string's {@code
   * keep} limit, the count then stopped there).
   */
  public record DocumentFrequencies(long[] df, long[][] docs) {}

  /** The hash of the first (or last) few words, 0 for a document too short to have a body. */
  private long edge(boolean first) {
    if (tokens.size < DocumentFeatures.MIN_WORDS) {
      return 0;
    }
    long h = first ? 0x51a3L : 0x5bf1L;
    for (int j = 0; j < DocumentFeatures.EDGE_WORDS; j++) {
      h = Tokens.mix(h * 31 + tokens.folded[first ? j : tokens.size - 1 - j]);
    }
    return h == 0 ? 1 : h;
  }

  /**
   * A 64-bit hash of the text {@code cs[0, n)} (exact duplicates share it): four FNV-1a chains over
   * the characters at positions 0, 1, 2 and 3 modulo 4 (independent multiplications, so a core runs
   * them side by side), each finished by {@link Tokens#mix} and folded into the next.
   */
  static long exactHash(char[] cs, int n) {
    long prime = 0x100000001b3L;
    long h0 = 0xcbf29ce484222325L ^ n;
    long h1 = h0 + 1;
    long h2 = h0 + 2;
    long h3 = h0 + 3;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      h0 = (h0 ^ cs[i]) * prime;
      h1 = (h1 ^ cs[i + 1]) * prime;
      h2 = (h2 ^ cs[i + 2]) * prime;
      h3 = (h3 ^ cs[i + 3]) * prime;
    }
    for (; i < n; i++) {
      h0 = (h0 ^ cs[i]) * prime;
    }
    return Tokens.mix(Tokens.mix(Tokens.mix(Tokens.mix(h0) ^ h1) ^ h2) ^ h3);
  }

  /** The UTF-8 length of the text {@code cs[0, len)}. */
  static long utf8Length(char[] cs, int len) {
    long n = 0;
    for (int i = 0; i < len; i++) {
      char c = cs[i];
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
