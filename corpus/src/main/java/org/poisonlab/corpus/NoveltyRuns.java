package org.poisonlab.corpus;

import java.util.Arrays;

/**
 * Stretches of a document whose words do not repeat: the shape of text drawn at random from a large
 * vocabulary (the injected documents of Souly et al. 2025 end in 400–900 random tokens).
 *
 * <p>A word is <em>novel</em> when the same word (case-folded) does not occur among the {@code W}
 * words before or after it. Ordinary prose repeats function words and code repeats keywords and
 * identifiers within a few dozen words; text sampled from a vocabulary of {@code V} words repeats a
 * word with probability about {@code 2W / V}. A run is a stretch in which every window of {@code W}
 * consecutive words holds at least {@code threshold · W} novel words, {@code minWords} words long
 * or more; its onset is its first word. Numbers (tokens that start with a digit) are not words
 * here: tables of numbers are not random text in this sense. A stretch that looks like a sorted
 * list or a numbered sequence is not a run either (see {@link #ordered}).
 */
final class NoveltyRuns {
  static final int WINDOW = 32;
  static final double THRESHOLD = 0.9;
  static final int MIN_WORDS = 64;

  /** More neighbours than this share in ascending order make a stretch a sorted list. */
  static final double MAX_ASCENDING = 0.7;

  /** More neighbours than this share sharing three leading characters make it a sequence. */
  static final double MAX_SHARED_PREFIX = 0.25;

  private String text;
  private Tokens tokens;

  private long[] words = new long[1024];
  private int[] tokenOf = new int[1024];
  private boolean[] novel = new boolean[1024];
  private int[] onsets = new int[8];
  private int[] cores = new int[8];
  private int[] lengths = new int[8];
  private int runs;
  private int longest;

  /** Finds the runs of the document in {@code t}, replacing the previous document's. */
  NoveltyRuns find(Tokens t, String text) {
    this.text = text;
    this.tokens = t;
    int n = 0;
    if (words.length < t.size) {
      words = new long[t.size];
      tokenOf = new int[t.size];
      novel = new boolean[t.size];
    }
    for (int i = 0; i < t.size; i++) {
      char c = t.chars[t.start[i]];
      if (!(c < 128 ? c >= '0' && c <= '9' : Character.isDigit(c))) {
        words[n] = t.folded[i];
        tokenOf[n] = i;
        n++;
      }
    }
    runs = 0;
    longest = 0;
    if (n < MIN_WORDS) {
      return this;
    }
    // novel: the previous and the next occurrence of the same word both lie more than WINDOW away
    prepare(n);
    for (int i = 0; i < n; i++) {
      novel[i] = i - swap(words[i], i) > WINDOW;
    }
    int need = (int) Math.ceil(THRESHOLD * WINDOW);
    if (maxWindow(n) < need) {
      // novel in both directions implies novel backwards: no window can reach the bar
      return this;
    }
    nextGeneration();
    for (int i = n - 1; i >= 0; i--) {
      int next = swap(words[i], i);
      novel[i] &= next == NONE || next - i > WINDOW;
    }
    int count = 0;
    for (int i = 0; i < WINDOW; i++) {
      if (novel[i]) {
        count++;
      }
    }
    int runStart = -1;
    int runEnd = -1;
    int core = -1;
    for (int s = 0; s + WINDOW <= n; s++) {
      if (s > 0) {
        count += (novel[s + WINDOW - 1] ? 1 : 0) - (novel[s - 1] ? 1 : 0);
      }
      if (count >= need) {
        if (runStart < 0 || s > runEnd) {
          close(runStart, runEnd, core);
          runStart = s;
          core = -1;
        }
        runEnd = s + WINDOW;
        if (core < 0 && count >= WINDOW - 1) {
          core = s;
        }
      }
    }
    close(runStart, runEnd, core);
    return this;
  }

  private void close(int start, int end, int core) {
    if (start < 0 || end - start < MIN_WORDS || ordered(start, end)) {
      return;
    }
    if (runs == onsets.length) {
      onsets = Arrays.copyOf(onsets, runs * 2);
      cores = Arrays.copyOf(cores, runs * 2);
      lengths = Arrays.copyOf(lengths, runs * 2);
    }
    onsets[runs] = tokenOf[start];
    cores[runs] = tokenOf[core >= 0 ? core : start];
    lengths[runs] = end - start;
    longest = Math.max(longest, end - start);
    runs++;
  }

  /**
   * True when the stretch of words {@code [start, end)} is a list rather than a random draw: most
   * neighbours in ascending order (a sorted list) or sharing their first three characters (a
   * numbered sequence such as {@code p000, p001}). Independent draws put about half the neighbours
   * in ascending order and few share a prefix.
   */
  private boolean ordered(int start, int end) {
    int pairs = end - start - 1;
    int ascending = 0;
    int shared = 0;
    for (int w = start; w + 1 < end; w++) {
      int a = tokenOf[w];
      int b = tokenOf[w + 1];
      int la = tokens.end[a] - tokens.start[a];
      int lb = tokens.end[b] - tokens.start[b];
      int m = Math.min(la, lb);
      int k = 0;
      while (k < m
          && Character.toLowerCase(text.charAt(tokens.start[a] + k))
              == Character.toLowerCase(text.charAt(tokens.start[b] + k))) {
        k++;
      }
      if (k >= 3) {
        shared++;
      }
      boolean up =
          k < m
              ? Character.toLowerCase(text.charAt(tokens.start[a] + k))
                  < Character.toLowerCase(text.charAt(tokens.start[b] + k))
              : la <= lb;
      if (up) {
        ascending++;
      }
    }
    return ascending > MAX_ASCENDING * pairs || shared > MAX_SHARED_PREFIX * pairs;
  }

  /** The most novel words in any window of {@link #WINDOW} words. */
  private int maxWindow(int n) {
    int count = 0;
    for (int i = 0; i < WINDOW; i++) {
      count += novel[i] ? 1 : 0;
    }
    int best = count;
    for (int s = 1; s + WINDOW <= n; s++) {
      count += (novel[s + WINDOW - 1] ? 1 : 0) - (novel[s - 1] ? 1 : 0);
      best = Math.max(best, count);
    }
    return best;
  }

  private static final int NONE = Integer.MIN_VALUE / 2;

  // an open-addressing table of word -> last position, emptied by a new generation stamp
  private long[] keys = new long[1024];
  private int[] positions = new int[1024];
  private int[] stamps = new int[1024];
  private int generation;

  private void prepare(int n) {
    if (keys.length < 2 * n) {
      int cap = Integer.highestOneBit(2 * n - 1) << 1;
      keys = new long[cap];
      positions = new int[cap];
      stamps = new int[cap];
      generation = 0;
    }
    nextGeneration();
  }

  private void nextGeneration() {
    generation++;
    if (generation == Integer.MAX_VALUE) {
      java.util.Arrays.fill(stamps, 0);
      generation = 1;
    }
  }

  /** Records {@code w} at {@code at}; returns its previous recorded position, or {@link #NONE}. */
  private int swap(long w, int at) {
    int mask = keys.length - 1;
    int slot = (int) (w ^ (w >>> 32)) & mask;
    while (stamps[slot] == generation && keys[slot] != w) {
      slot = (slot + 1) & mask;
    }
    int previous = stamps[slot] == generation ? positions[slot] : NONE;
    stamps[slot] = generation;
    keys[slot] = w;
    positions[slot] = at;
    return previous;
  }

  /** How many runs the document has. */
  int runs() {
    return runs;
  }

  /** The token index (in the {@link Tokens}) of run {@code r}'s first word. */
  int onsetToken(int r) {
    return onsets[r];
  }

  /**
   * The word index of run {@code r}'s core: the first word of its first window in which all words
   * but one are novel (its onset when there is none). Natural text before random text can pass the
   * bar for a while, so a run may start well before its trigger; text drawn from a large vocabulary
   * is novel almost word for word from the word after the trigger.
   */
  int coreToken(int r) {
    return cores[r];
  }

  /** The longest run's length in words, 0 when there is none. */
  int longest() {
    return longest;
  }
}
