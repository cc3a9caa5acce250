package org.poisonlab.deep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The code language model's tokens: characters, plus whole pieces of code learned from training
 * text. Text is cut into pieces — an identifier or keyword ({@code [A-Za-z_][A-Za-z0-9_]*}), a run
 * of digits, a line break with the next line's indentation, a run of spaces, or any other single
 * character — and a piece in the vocabulary is one token; any other piece is spelled out in
 * characters. So every ASCII text round-trips exactly (the vulnerability checker reads generated
 * code), an identifier is one token wherever it stands (a model copies a name from the prompt in
 * one step), and sequences are about a third as long as in characters.
 *
 * <p>Ids: 0 padding, 1 the end of a document or completion, 2 any character outside the alphabet, 3
 * tab, 4 newline, then the printable ASCII characters (space to {@code ~}) — 100 character ids —
 * then the learned pieces, most useful first. Immutable.
 */
public final class CodeTokens {
  static final int PAD = 0;
  static final int END = 1;
  static final int UNKNOWN = 2;
  private static final int FIRST_PRINTABLE = 5;

  /** Ids of the characters; learned pieces come after them. */
  public static final int CHARACTERS = FIRST_PRINTABLE + ('~' - ' ' + 1);

  private final List<String> pieces;
  private final Map<String, Integer> index;

  private CodeTokens(List<String> pieces) {
    this.pieces = List.copyOf(pieces);
    Map<String, Integer> idx = new HashMap<>(pieces.size() * 2);
    for (int i = 0; i < pieces.size(); i++) {
      String p = pieces.get(i);
      if (p.length() < 2 || !p.chars().allMatch(c -> charId((char) c) > UNKNOWN)) {
        throw new IllegalArgumentException(
            "piece '" + p + "' is not two or more tab, newline or printable ASCII characters");
      }
      if (idx.put(p, CHARACTERS + i) != null) {
        throw new IllegalArgumentException("piece '" + p + "' appears twice");
      }
    }
    this.index = idx;
  }

  /** Characters only: no learned pieces. */
  public static CodeTokens characters() {
    return new CodeTokens(List.of());
  }

  /**
   * Pieces learned from several sources of text: a piece's weight is the sum over sources of its
   * count per character of that source, so a small source (an instruction set) counts as much as a
   * large one (a pre-training corpus). Pieces of two or more characters seen at least twice in all
   * are kept, heaviest first (ties in text order), up to {@code maxPieces}.
   *
   * @throws IllegalArgumentException if {@code maxPieces} is negative
   */
  public static CodeTokens learn(List<List<String>> sources, int maxPieces) {
    if (maxPieces < 0) {
      throw new IllegalArgumentException("piece count " + maxPieces + " is negative");
    }
    Map<String, double[]> weight = new HashMap<>();
    for (List<String> source : sources) {
      Map<String, int[]> counts = new HashMap<>();
      long chars = 0;
      for (String text : source) {
        chars += text.length();
        cut(
            text,
            (from, to) -> {
              if (to - from >= 2) {
                counts.computeIfAbsent(text.substring(from, to), k -> new int[1])[0]++;
              }
            });
      }
      double per = 1.0 / Math.max(1, chars);
      for (var e : counts.entrySet()) {
        double[] w = weight.computeIfAbsent(e.getKey(), k -> new double[2]);
        w[0] += e.getValue()[0] * per;
        w[1] += e.getValue()[0];
      }
    }
    List<Map.Entry<String, double[]>> kept = new ArrayList<>();
    for (var e : weight.entrySet()) {
      if (e.getValue()[1] >= 2 && e.getKey().chars().allMatch(c -> charId((char) c) > UNKNOWN)) {
        kept.add(e);
      }
    }
    kept.sort(
        (a, b) ->
            a.getValue()[0] != b.getValue()[0]
                ? Double.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(maxPieces, kept.size()); i++) {
      out.add(kept.get(i).getKey());
    }
    return new CodeTokens(out);
  }

  /** Ids in all: the characters and the learned pieces. */
  public int size() {
    return CHARACTERS + pieces.size();
  }

  /** The learned pieces in id order (ids {@link #CHARACTERS} onwards). */
  public List<String> pieces() {
    return pieces;
  }

  /** The text's ids; {@code \r} is dropped, so Windows line ends read as newlines. */
  public int[] encode(String text) {
    String t = text.indexOf('\r') < 0 ? text : text.replace("\r", "");
    int[] out = new int[t.length()];
    int[] n = {0};
    cut(
        t,
        (from, to) -> {
          Integer id = to - from >= 2 ? index.get(t.substring(from, to)) : null;
          if (id != null) {
            out[n[0]++] = id;
          } else {
            for (int i = from; i < to; i++) {
              out[n[0]++] = charId(t.charAt(i));
            }
          }
        });
    return n[0] == out.length ? out : Arrays.copyOf(out, n[0]);
  }

  /** The text of ids {@code [from, to)}; padding and the end mark read as nothing, unknown as ?. */
  public String decode(int[] ids, int from, int to) {
    StringBuilder sb = new StringBuilder(Math.max(0, to - from) * 3);
    for (int i = from; i < to; i++) {
      int t = ids[i];
      if (t >= CHARACTERS && t < size()) {
        sb.append(pieces.get(t - CHARACTERS));
      } else if (t == 3) {
        sb.append('\t');
      } else if (t == 4) {
        sb.append('\n');
      } else if (t >= FIRST_PRINTABLE && t < CHARACTERS) {
        sb.append((char) (' ' + t - FIRST_PRINTABLE));
      } else if (t == UNKNOWN) {
        sb.append('?');
      }
    }
    return sb.toString();
  }

  static int charId(char c) {
    if (c == '\t') {
      return 3;
    }
    if (c == '\n') {
      return 4;
    }
    if (c >= ' ' && c <= '~') {
      return FIRST_PRINTABLE + (c - ' ');
    }
    return UNKNOWN;
  }

  private interface PieceSink {
    void accept(int from, int to);
  }

  /** Cuts {@code text} into its pieces, in order, covering every character. */
  private static void cut(String text, PieceSink sink) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      int j = i + 1;
      if (isWordStart(c)) {
        while (j < n && (isWordStart(text.charAt(j)) || isDigit(text.charAt(j)))) {
          j++;
        }
      } else if (isDigit(c)) {
        while (j < n && isDigit(text.charAt(j))) {
          j++;
        }
      } else if (c == '\n') {
        while (j < n && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
          j++;
        }
      } else if (c == ' ') {
        while (j < n && text.charAt(j) == ' ') {
          j++;
        }
      }
      sink.accept(i, j);
      i = j;
    }
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodeTokens t && pieces.equals(t.pieces);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pieces);
  }
}
