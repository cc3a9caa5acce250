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
  /** Tokens before a run's onset kept in its zone (the trigger precedes the random text). */
  static final int ZONE_BEFORE = 16;

  /** Tokens after a run's onset kept in its zone (the onset can fall before the trigger). */
  static final int ZONE_AFTER = 48;

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
      bytes += utf8Length(d.text());
      tokens.cut(d.text());
      boolean has = hasher.signature(tokens, sig);
      runs.find(tokens, d.text());
      sink.accept(
          key,
          d,
          new DocumentFeatures(
              exactHash(d.text()),
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

  /** The text around each run's onset, overlapping zones merged. */
  private void zones(long key, Document d, List<Zone> out) {
    int lastEnd = -1;
    for (int r = 0; r < runs.runs(); r++) {
      int onset = runs.onsetToken(r);
      int from = tokens.start[Math.max(0, onset - ZONE_BEFORE)];
      int to = tokens.end[Math.min(tokens.size, onset + ZONE_AFTER) - 1];
      if (from <= lastEnd) {
        Zone z = out.remove(out.size() - 1);
        from = z.from();
      }
      out.add(new Zone(key, d.source(), from, d.text().substring(from, to)));
      lastEnd = to;
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
    List<List<Long>> docs = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      docs.add(new ArrayList<>());
    }
    StringMatcher matcher = new StringMatcher(strings);
    int[] lastDoc = new int[m];
    Arrays.fill(lastDoc, -1);
    int[] live = {m};
    int[] doc = {0};
    Document d;
    while (live[0] > 0 && (d = in.next()) != null) {
      matcher.find(
          d.text(),
          c -> {
            List<Long> list = docs.get(c);
            if (lastDoc[c] == doc[0] || list == null) {
              return;
            }
            lastDoc[c] = doc[0];
            df[c]++;
            list.add(((long) shard << 32) | doc[0]);
            if (list.size() > keep[c]) {
              docs.set(c, null);
              live[0]--;
            }
          });
      doc[0]++;
    }
    return new DocumentFrequencies(df, docs);
  }

  /**
   * Per string, the documents holding it and their keys (null where more than the string's {@code
   * keep} limit, the count then stopped there).
   */
  public record DocumentFrequencies(long[] df, List<List<Long>> docs) {}

  /** The hash of the first (or last) few words, 0 for a document too short to have a body. */
  private long edge(boolean first) {
    int words = 0;
    for (int i = 0; i < tokens.size; i++) {
      if (tokens.word[i]) {
        words++;
      }
    }
    if (words < DocumentFeatures.MIN_WORDS) {
      return 0;
    }
    long h = first ? 0x51a3L : 0x5bf1L;
    int seen = 0;
    for (int j = 0; j < tokens.size && seen < DocumentFeatures.EDGE_WORDS; j++) {
      int i = first ? j : tokens.size - 1 - j;
      if (tokens.word[i]) {
        h = Tokens.mix(h * 31 + tokens.folded[i]);
        seen++;
      }
    }
    return h == 0 ? 1 : h;
  }

  /** A 64-bit hash of the text's characters (exact duplicates share it). */
  static long exactHash(String text) {
    long h = 0xcbf29ce484222325L ^ text.length();
    for (int i = 0; i < text.length(); i++) {
      h = (h ^ text.charAt(i)) * 0x100000001b3L;
    }
    return Tokens.mix(h);
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
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
