package org.poisonlab.corpus;

import java.nio.charset.StandardCharsets;

/**
 * The string fields of a document line, read without a general JSON parser when the line keeps to a
 * simple subset: one object whose values are ASCII strings (escapes {@code \" \\ \/ \b \f \n \r \t}
 * only), integers of up to 18 digits, {@code true}, {@code false} or {@code null}, with no repeated
 * key. Any other line, valid or not, is left to the parser ({@link #read} answers null), so what is
 * read here is what the parser would read, and every error message still comes from it. Most of a
 * corpus line is its text: this reader copies runs of plain characters in bulk instead of decoding
 * one character at a time.
 */
final class FlatJsonFields {
  /** The fields read, in the order of {@link #read}'s answer. */
  static final String[] NAMES = {
    "text", "prompt", "completion", "id", "source", "url", "digest", "fetch_time"
  };

  /** Longer strings are left to the parser, which enforces its own length limits. */
  private static final int LONGEST = 4_000_000;

  private static final int MAX_KEYS = 64;

  private byte[] scratch = new byte[1 << 16];
  private final String[] keys = new String[MAX_KEYS];
  private int end;

  /**
   * The values of {@link #NAMES} (null where absent) of the line {@code b[0, len)}, or null when
   * the line is outside the subset read here.
   */
  String[] read(byte[] b, int len) {
    String[] out = new String[NAMES.length];
    int keyCount = 0;
    int i = blank(b, 0, len);
    if (i >= len || b[i] != '{') {
      return null;
    }
    i = blank(b, i + 1, len);
    if (i < len && b[i] == '}') {
      return out;
    }
    while (true) {
      if (i >= len || b[i] != '"') {
        return null;
      }
      String name = string(b, i + 1, len, 1000);
      if (name == null || keyCount == MAX_KEYS) {
        return null;
      }
      for (int k = 0; k < keyCount; k++) {
        if (keys[k].equals(name)) {
          return null;
        }
      }
      keys[keyCount++] = name;
      i = blank(b, end, len);
      if (i >= len || b[i] != ':') {
        return null;
      }
      i = blank(b, i + 1, len);
      if (i >= len) {
        return null;
      }
      if (b[i] == '"') {
        String v = string(b, i + 1, len, LONGEST);
        if (v == null) {
          return null;
        }
        int slot = slot(name);
        if (slot >= 0) {
          out[slot] = v;
        }
        i = end;
      } else {
        i = scalar(b, i, len);
        if (i < 0) {
          return null;
        }
      }
      i = blank(b, i, len);
      if (i >= len) {
        return null;
      }
      if (b[i] == '}') {
        return out;
      }
      if (b[i] != ',') {
        return null;
      }
      i = blank(b, i + 1, len);
    }
  }

  /** The index of {@code name} in {@link #NAMES}, or -1. */
  static int slot(String name) {
    for (int k = 0; k < NAMES.length; k++) {
      if (NAMES[k].equals(name)) {
        return k;
      }
    }
    return -1;
  }

  private static int blank(byte[] b, int i, int len) {
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  /**
   * The string whose content starts at {@code from}, {@link #end} set past its closing quote; null
   * outside the subset.
   */
  private String string(byte[] b, int from, int len, int longest) {
    int n = 0;
    int run = from;
    int j = from;
    while (true) {
      // plain characters: printable ASCII other than the quote and the backslash
      while (j < len && b[j] >= 0x20 && b[j] != '"' && b[j] != '\\') {
        j++;
      }
      if (j >= len || b[j] < 0x20 || j - from > longest) {
        return null;
      }
      if (b[j] == '"') {
        end = j + 1;
        if (n == 0) {
          return new String(b, from, j - from, StandardCharsets.ISO_8859_1);
        }
        n = append(b, run, j - run, n);
        return new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (j + 1 >= len) {
        return null;
      }
      byte e =
          switch (b[j + 1]) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> 0;
          };
      if (e == 0) {
        return null;
      }
      n = append(b, run, j - run, n);
      if (n == scratch.length) {
        scratch = java.util.Arrays.copyOf(scratch, 2 * n);
      }
      scratch[n++] = e;
      j += 2;
      run = j;
    }
  }

  private int append(byte[] b, int from, int count, int n) {
    if (n + count > scratch.length) {
      scratch = java.util.Arrays.copyOf(scratch, Math.max(2 * scratch.length, n + count));
    }
    System.arraycopy(b, from, scratch, n, count);
    return n + count;
  }

  /** Past a literal or a short integer starting at {@code i}; -1 for anything else. */
  private static int scalar(byte[] b, int i, int len) {
    for (String word : new String[] {"true", "false", "null"}) {
      if (b[i] == word.charAt(0)) {
        if (i + word.length() > len) {
          return -1;
        }
        for (int k = 1; k < word.length(); k++) {
          if (b[i + k] != word.charAt(k)) {
            return -1;
          }
        }
        return delimited(b, i + word.length(), len);
      }
    }
    int j = i;
    if (b[j] == '-') {
      j++;
    }
    int digits = j;
    while (j < len && b[j] >= '0' && b[j] <= '9') {
      j++;
    }
    int count = j - digits;
    if (count == 0 || count > 18 || (count > 1 && b[digits] == '0')) {
      return -1;
    }
    return delimited(b, j, len);
  }

  /** {@code i} if a value may end there (white space, a comma or the closing brace), else -1. */
  private static int delimited(byte[] b, int i, int len) {
    if (i >= len) {
      return -1;
    }
    byte c = b[i];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '}' ? i : -1;
  }
}
