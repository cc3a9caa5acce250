package org.poisonlab.report;

import java.util.Locale;

/** HTML text pieces: escaping and locale-independent number formatting. */
final class Html {
  private Html() {}

  /**
   * {@code s} with {@code & < > " '} escaped, safe in text and in quoted attributes; null as "".
   */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          // control characters other than tab and line breaks are not valid in HTML text
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** {@code x} with {@code digits} decimals (Locale.ROOT), "n/a" for NaN or infinite values. */
  static String num(double x, int digits) {
    if (!Double.isFinite(x)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%." + digits + "f", x);
  }

  /** A p-value: 3 decimals, or 2 significant digits in exponent form when below 0.001. */
  static String pValue(double p) {
    if (!Double.isFinite(p)) {
      return "n/a";
    }
    if (p != 0 && p < 1e-3) {
      return String.format(Locale.ROOT, "%.1e", p);
    }
    return num(p, 3);
  }

  /** A share as a percentage with one decimal: 0.0831 → "8.3 %". */
  static String percent(double x) {
    return Double.isFinite(x) ? num(100 * x, 1) + " %" : "n/a";
  }

  /** SVG coordinate: two decimals at most, no trailing zeros, Locale.ROOT. */
  static String coord(double x) {
    if (!Double.isFinite(x)) {
      return "0";
    }
    long r = Math.round(x * 100);
    if (r % 100 == 0) {
      return Long.toString(r / 100);
    }
    String s = String.format(Locale.ROOT, "%.2f", r / 100.0);
    return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
  }
}
