package org.poisonlab.corpus;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-pass part of a corpus scan, for one shard: per document an exact-content hash, a MinHash
 * signature and its random-text runs; per shard the token n-grams seen at the runs' onsets. A
 * function of the shard's documents alone, so shards scan in any order, on any machine.
 */
final class ShardScanner {
  /** Tokens before a run's onset whose n-grams are candidates (the trigger precedes the run). */
  static final int ZONE_BEFORE = 16;

  /**
   * Tokens after a run's onset whose n-grams are candidates (the onset can precede the trigger).
   */
  static final int ZONE_AFTER = 48;

  /** The longest candidate n-gram, in tokens. */
  static final int MAX_N = 4;

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
   * @param sink receives every document with its hash and signature (null when it has no words)
   */
  ShardResult scan(int shard, String file, DocumentStream in, DocumentSink sink)
      throws IOException {
    Map<Long, BurstCandidate> candidates = new HashMap<>();
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
        collect(key, d, candidates);
      }
    }
    List<BurstCandidate.Stored> stored =
        candidates.values().stream()
            .sorted(
                (x, y) ->
                    x.hash != y.hash ? Long.compare(x.hash, y.hash) : Integer.compare(x.n, y.n))
            .map(BurstCandidate::stored)
            .toList();
    return new ShardResult(
        shard, file, documents, bytes, withRuns, runHistogram, stored, in.badRecords(), in.stats());
  }

  private void collect(long key, Document d, Map<Long, BurstCandidate> out) {
    for (int r = 0; r < runs.runs(); r++) {
      int onset = runs.onsetToken(r);
      int from = Math.max(0, onset - ZONE_BEFORE);
      int to = Math.min(tokens.size, onset + ZONE_AFTER);
      for (int i = from; i < to; i++) {
        long h = Tokens.NGRAM_SEED;
        for (int n = 1; n <= MAX_N && i + n <= tokens.size; n++) {
          h = tokens.extend(h, i + n - 1);
          BurstCandidate c = out.get(h);
          if (c == null) {
            String surface = d.text().substring(tokens.start[i], tokens.end[i + n - 1]);
            int anchor = i;
            for (int k = i + 1; k < i + n; k++) {
              if (tokens.end[k] - tokens.start[k] > tokens.end[anchor] - tokens.start[anchor]) {
                anchor = k;
              }
            }
            c =
                new BurstCandidate(
                    h,
                    n,
                    tokens.hash[anchor],
                    anchor - i,
                    d.text().substring(tokens.start[anchor], tokens.end[anchor]),
                    surface);
            out.put(h, c);
          }
          c.add(key, d.source());
        }
      }
    }
  }

  /**
   * Counts, for each n-gram {@code hashes[i]} of {@code lengths[i]} tokens, the documents of shard
   * {@code shard} that contain it anywhere, and lists them up to {@code keep[i]}. The search looks
   * only where a token equals an n-gram's anchor ({@code anchors[i]}, its token at {@code
   * anchorAt[i]}, the longest: long tokens are rare). An n-gram found in more than {@code keep[i]}
   * documents is dropped from the search: its count stops at {@code keep[i] + 1} and its list is
   * null (a caller that needs no more than that loses nothing, and common n-grams stop costing
   * lookups after the first documents).
   */
  DocumentFrequencies documentFrequencies(
      int shard,
      DocumentStream in,
      long[] hashes,
      int[] lengths,
      int[] keep,
      long[] anchors,
      int[] anchorAt,
      String[] anchorTexts)
      throws IOException {
    int m = hashes.length;
    long[] df = new long[m];
    List<List<Long>> docs = new java.util.ArrayList<>();
    for (int i = 0; i < m; i++) {
      docs.add(new java.util.ArrayList<>());
    }
    int[] lastDoc = new int[m];
    java.util.Arrays.fill(lastDoc, -1);
    boolean[] alive = new boolean[m];
    java.util.Arrays.fill(alive, true);
    Anchors index = new Anchors(anchors, anchorTexts, alive);
    int doc = 0;
    int died = 0;
    int sinceRebuild = 0;
    Document d;
    while (index.live > 0 && (d = in.next()) != null) {
      if (!index.mayHold(d.text())) {
        doc++;
        continue;
      }
      tokens.cut(d.text());
      for (int i = 0; i < tokens.size; i++) {
        int p = index.at.get(tokens.hash[i]);
        if (p < 0) {
          continue;
        }
        for (int c : index.candidates[p]) {
          int from = i - anchorAt[c];
          if (!alive[c] || lastDoc[c] == doc || from < 0 || from + lengths[c] > tokens.size) {
            continue;
          }
          if (tokens.ngram(from, lengths[c]) != hashes[c]) {
            continue;
          }
          lastDoc[c] = doc;
          df[c]++;
          List<Long> list = docs.get(c);
          list.add(((long) shard << 32) | doc);
          if (list.size() > keep[c]) {
            docs.set(c, null);
            alive[c] = false;
            died++;
          }
        }
      }
      sinceRebuild++;
      // the dead are skipped by alive[]; a new index only pays once enough have died
      if (died > 0 && (sinceRebuild >= 256 || died * 8 >= index.live)) {
        index = new Anchors(anchors, anchorTexts, alive);
        died = 0;
        sinceRebuild = 0;
      }
      doc++;
    }
    return new DocumentFrequencies(df, docs);
  }

  /**
   * Per tested n-gram, the documents holding it and their keys (null where more than the n-gram's
   * {@code keep} limit).
   */
  record DocumentFrequencies(long[] df, List<List<Long>> docs) {}

  /**
   * The live n-grams by anchor token: {@code candidates[at.get(anchor)]}; when few anchors are
   * left, their texts, which a document must contain to hold any of them.
   */
  private static final class Anchors {
    /** Up to this many anchors, documents are screened by substring search before tokenizing. */
    static final int SCREEN = 32;

    final LongIndex at;
    final int[][] candidates;
    final int live;
    final String[] texts;

    Anchors(long[] anchors, String[] anchorTexts, boolean[] alive) {
      java.util.Map<Long, List<Integer>> by = new java.util.LinkedHashMap<>();
      java.util.Set<String> words = new java.util.TreeSet<>();
      int n = 0;
      for (int i = 0; i < anchors.length; i++) {
        if (alive[i]) {
          by.computeIfAbsent(anchors[i], x -> new java.util.ArrayList<>()).add(i);
          words.add(anchorTexts[i]);
          n++;
        }
      }
      texts = words.size() <= SCREEN ? words.toArray(new String[0]) : null;
      long[] keys = new long[by.size()];
      candidates = new int[by.size()][];
      int k = 0;
      for (java.util.Map.Entry<Long, List<Integer>> e : by.entrySet()) {
        keys[k] = e.getKey();
        candidates[k] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
        k++;
      }
      at = new LongIndex(keys);
      live = n;
    }

    /** False only when {@code text} holds no live anchor. */
    boolean mayHold(String text) {
      if (texts == null) {
        return true;
      }
      for (String t : texts) {
        if (text.contains(t)) {
          return true;
        }
      }
      return false;
    }
  }

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
