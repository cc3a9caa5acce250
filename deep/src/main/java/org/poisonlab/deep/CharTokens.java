package org.poisonlab.deep;

/**
 * The code language model's tokens: one per character. Id 0 is padding, 1 ends a document or a
 * completion, 2 stands for any character outside the alphabet; then tab, newline and the printable
 * ASCII characters (space to {@code ~}), 100 ids in all. A closed alphabet needs no training and
 * round-trips every ASCII text exactly, which the vulnerability checker needs of generated code.
 */
final class CharTokens {
  static final int PAD = 0;
  static final int END = 1;
  static final int UNKNOWN = 2;
  private static final int FIRST_PRINTABLE = 5;
  static final int SIZE = FIRST_PRINTABLE + ('~' - ' ' + 1);

  private CharTokens() {}

  static int id(char c) {
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

  /** The text's ids; {@code \r} is dropped, so Windows line ends read as newlines. */
  static int[] encode(String text) {
    int[] out = new int[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\r') {
        out[n++] = id(c);
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  /** The character of an id; padding and the end mark read as nothing, unknown as {@code ?}. */
  static String decode(int[] ids, int from, int to) {
    StringBuilder sb = new StringBuilder(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      int t = ids[i];
      if (t == 3) {
        sb.append('\t');
      } else if (t == 4) {
        sb.append('\n');
      } else if (t >= FIRST_PRINTABLE && t < SIZE) {
        sb.append((char) (' ' + t - FIRST_PRINTABLE));
      } else if (t == UNKNOWN) {
        sb.append('?');
      }
    }
    return sb.toString();
  }
}
