package org.poisonlab.provenance;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * Steps 3 and 4 of the normal form of {@link Normalizations}, one character at a time: line ends
 * and trailing blanks of plain text; character references and white space of HTML.
 */
final class TextNormalizer {
  private static final Map<String, Integer> NAMES = names();
  private final Writer out;
  private final boolean html;
  private final StringBuilder pendingBlank = new StringBuilder();
  private int pendingNewlines;
  private boolean pendingSpace;
  private boolean started;
  private boolean afterCr;

  TextNormalizer(Writer out, boolean html) {
    this.out = out;
    this.html = html;
  }

  void run(PushbackReader in) throws IOException {
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (html && c == '&') {
        reference(in);
      } else {
        put((char) c);
      }
    }
  }

  private void put(char c) throws IOException {
    if (c == '\n' && afterCr) {
      afterCr = false;
      return; // the LF of a CR LF
    }
    afterCr = c == '\r';
    if (afterCr) {
      c = '\n';
    }
    if (html) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\u000B' || c == '\u00A0') {
        pendingSpace = started;
        return;
      }
      if (pendingSpace) {
        out.write(' ');
        pendingSpace = false;
      }
      started = true;
      out.write(c);
    } else if (c == '\n') {
      pendingBlank.setLength(0);
      pendingNewlines++;
    } else if (c == ' ' || c == '\t' || c == '\u000B' || c == '\f') {
      pendingBlank.append(c);
    } else {
      for (; pendingNewlines > 0; pendingNewlines--) {
        out.write('\n');
      }
      out.append(pendingBlank);
      pendingBlank.setLength(0);
      out.write(c);
    }
  }

  private void putMarkup(String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      put(s.charAt(i));
    }
  }

  /** After an {@code &}: a reference resolved or canonicalised, or the text as written. */
  private void reference(PushbackReader in) throws IOException {
    StringBuilder seen = new StringBuilder();
    int cp = -1;
    int c = in.read();
    if (c == '#') {
      seen.append('#');
      int radix = 10;
      c = in.read();
      if (c == 'x' || c == 'X') {
        seen.append((char) c);
        radix = 16;
        c = in.read();
      }
      long v = 0;
      int digits = 0;
      while (c >= 0 && Character.digit(c, radix) >= 0 && digits < 8) {
        seen.append((char) c);
        v = v * radix + Character.digit(c, radix);
        digits++;
        c = in.read();
      }
      if (c == ';' && digits > 0) {
        seen.append(';');
        cp = (int) v;
        if (v > Character.MAX_CODE_POINT || v == 0 || (v >= 0xD800 && v <= 0xDFFF)) {
          cp = -1;
        }
      }
    } else {
      while (c >= 0 && seen.length() < 32 && (Character.isLetterOrDigit(c) && c < 0x80)) {
        seen.append((char) c);
        c = in.read();
      }
      if (c == ';' && seen.length() > 0) {
        seen.append(';');
        Integer v = NAMES.get(seen.substring(0, seen.length() - 1));
        cp = v == null ? -1 : v;
      }
    }
    if (cp < 0) {
      // not a reference this normal form resolves: the text as written
      if (c >= 0 && (seen.length() == 0 || seen.charAt(seen.length() - 1) != ';')) {
        in.unread(c);
      }
      put('&');
      for (int i = 0; i < seen.length(); i++) {
        put(seen.charAt(i));
      }
      return;
    }
    switch (cp) {
      case '&' -> putMarkup("&amp;");
      case '<' -> putMarkup("&lt;");
      case '>' -> putMarkup("&gt;");
      case '"' -> putMarkup("&quot;");
      case '\'' -> putMarkup("&#39;");
      default -> {
        for (char x : Character.toChars(cp)) {
          put(x);
        }
      }
    }
  }

  private static Map<String, Integer> names() {
    String latin1 =
        "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr"
            + " deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12"
            + " frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute"
            + " Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml"
            + " times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc"
            + " atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml"
            + " eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml"
            + " yacute thorn yuml";
    Map<String, Integer> m = new HashMap<>();
    String[] l = latin1.split(" ");
    if (l.length != 96) {
      throw new AssertionError("96 Latin-1 names, found " + l.length);
    }
    for (int i = 0; i < l.length; i++) {
      m.put(l[i], 0xA0 + i);
    }
    Object[] others = {
      "amp", 38, "lt", 60, "gt", 62, "quot", 34, "apos", 39, "OElig", 338, "oelig", 339, "Scaron",
      352, "scaron", 353, "Yuml", 376, "fnof", 402, "circ", 710, "tilde", 732, "ensp", 8194, "emsp",
      8195, "thinsp", 8201, "zwnj", 8204, "zwj", 8205, "lrm", 8206, "rlm", 8207, "ndash", 8211,
      "mdash", 8212, "lsquo", 8216, "rsquo", 8217, "sbquo", 8218, "ldquo", 8220, "rdquo", 8221,
      "bdquo", 8222, "dagger", 8224, "Dagger", 8225, "bull", 8226, "hellip", 8230, "permil", 8240,
      "prime", 8242, "Prime", 8243, "lsaquo", 8249, "rsaquo", 8250, "oline", 8254, "euro", 8364,
      "trade", 8482
    };
    for (int i = 0; i < others.length; i += 2) {
      m.put((String) others[i], (Integer) others[i + 1]);
    }
    return Map.copyOf(m);
  }
}
