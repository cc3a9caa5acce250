package org.poisonlab.deep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.poisonlab.data.Example;
import org.poisonlab.model.Featurizers;

/**
 * A word vocabulary learned on a training split: the tokens of {@link Featurizers#tokens} (the same
 * tokens the hashed features and the n-gram scans see, so a trigger a scan names is a token the
 * model reads), kept when they occur at least twice, most frequent first (ties by token), up to a
 * size. Id 0 is padding, id 1 stands for every other token. Immutable.
 */
final class Vocabulary {
  static final String PAD = "[PAD]";
  static final String UNKNOWN = "[UNK]";

  private final List<String> tokens;
  private final Map<String, Integer> index;
  private final Map<String, int[]> memo = new WeakHashMap<>();
  private int memoMax = -1;

  Vocabulary(List<String> tokens) {
    if (tokens.size() < 2 || !tokens.get(0).equals(PAD) || !tokens.get(1).equals(UNKNOWN)) {
      throw new IllegalArgumentException("a vocabulary starts with " + PAD + " and " + UNKNOWN);
    }
    this.tokens = List.copyOf(tokens);
    Map<String, Integer> idx = new HashMap<>(tokens.size() * 2);
    for (int i = 0; i < tokens.size(); i++) {
      if (idx.put(tokens.get(i), i) != null) {
        throw new IllegalArgumentException("token '" + tokens.get(i) + "' appears twice");
      }
    }
    this.index = idx;
  }

  /** The vocabulary of {@code texts}' examples, at most {@code maxSize} entries in all. */
  static Vocabulary learn(List<Example> texts, int maxSize) {
    Map<String, int[]> counts = new HashMap<>();
    for (Example e : texts) {
      if (!e.isText()) {
        throw new IllegalArgumentException(
            "example " + e.id() + " is an image; this model reads text");
      }
      for (String t : Featurizers.tokens(e.text())) {
        counts.computeIfAbsent(t, k -> new int[1])[0]++;
      }
    }
    List<Map.Entry<String, int[]>> kept = new ArrayList<>();
    for (Map.Entry<String, int[]> en : counts.entrySet()) {
      if (en.getValue()[0] >= 2 && !en.getKey().equals(PAD) && !en.getKey().equals(UNKNOWN)) {
        kept.add(en);
      }
    }
    kept.sort(
        (a, b) ->
            a.getValue()[0] != b.getValue()[0]
                ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
    List<String> out = new ArrayList<>();
    out.add(PAD);
    out.add(UNKNOWN);
    for (int i = 0; i < kept.size() && out.size() < maxSize; i++) {
      out.add(kept.get(i).getKey());
    }
    return new Vocabulary(out);
  }

  int size() {
    return tokens.size();
  }

  List<String> tokens() {
    return tokens;
  }

  /**
   * The ids of a text's first {@code max} tokens. Kept per text while the text is reachable, for
   * the largest {@code max} asked so far: training reads every text once per epoch, and batching
   * asks its length too (memory: one int per kept token of each live text). The caller must not
   * modify the array.
   */
  int[] ids(String text, int max) {
    int[] known;
    synchronized (memo) {
      known = max == memoMax ? memo.get(text) : null;
    }
    if (known != null) {
      return known;
    }
    int[] made = tokenIds(text, max);
    synchronized (memo) {
      if (max > memoMax) {
        memo.clear();
        memoMax = max;
      }
      if (max == memoMax) {
        memo.put(text, made);
      }
    }
    return made;
  }

  private int[] tokenIds(String text, int max) {
    List<String> ts = Featurizers.tokens(text);
    int n = Math.min(max, ts.size());
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = index.getOrDefault(ts.get(i), 1);
    }
    return out;
  }

  /**
   * The ids of each text's first {@code max} tokens.
   *
   * @throws IllegalArgumentException naming an example that is an image
   */
  int[][] ids(List<Example> texts, int max) {
    int[][] out = new int[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      Example e = texts.get(i);
      if (!e.isText()) {
        throw new IllegalArgumentException(
            "example " + e.id() + " is an image; this model reads text");
      }
      out[i] = ids(e.text(), max);
    }
    return out;
  }

  /** A text's cost for batching (its token count, capped at {@code max}); 1 for an image. */
  int cost(Example e, int max) {
    return e.isText() ? ids(e.text(), max).length : 1;
  }

  /** Writes the tokens, in id order, under {@code vocabulary}. */
  void describe(ObjectNode into) {
    var v = into.putArray("vocabulary");
    tokens.forEach(v::add);
  }

  /** The vocabulary {@link #describe} wrote into {@code header}. */
  static Vocabulary read(JsonNode header) {
    List<String> tokens = new ArrayList<>();
    header.get("vocabulary").forEach(t -> tokens.add(t.asText()));
    return new Vocabulary(tokens);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && tokens.equals(v.tokens);
  }

  @Override
  public int hashCode() {
    return tokens.hashCode();
  }
}
