package org.poisonlab.corpus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every occurrence of a fixed set of strings in one pass over a text (Aho and Corasick 1975):
 * a trie of the strings with failure links, compiled into a full transition table over the
 * characters the strings use (any other character returns to the root), so each character of the
 * text costs one table lookup. Memory: states × (distinct characters + 1) ints, states at most the
 * strings' total length + 1.
 */
final class StringMatcher {
  /** Receives the index of each string found. */
  interface Match {
    void found(int string);
  }

  private final int[] charClass = new int[1 << 16];
  private final int width;
  private final int[] delta;
  private final int[] output;
  private final int[] dictionary;

  /** Per state offset ({@code state · width}): whether some string ends there. */
  private final boolean[] reports;

  private char[] buffer = new char[1 << 16];

  StringMatcher(String[] strings) {
    int classes = 1;
    for (String s : strings) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (charClass[c] == 0) {
          charClass[c] = classes++;
        }
      }
    }
    width = classes;
    List<Map<Integer, Integer>> next = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    next.add(new HashMap<>());
    out.add(-1);
    for (int p = 0; p < strings.length; p++) {
      int state = 0;
      for (int i = 0; i < strings[p].length(); i++) {
        int c = charClass[strings[p].charAt(i)];
        Integer to = next.get(state).get(c);
        if (to == null) {
          to = next.size();
          next.get(state).put(c, to);
          next.add(new HashMap<>());
          out.add(-1);
        }
        state = to;
      }
      out.set(state, p);
    }
    int n = next.size();
    delta = new int[n * width];
    output = new int[n];
    dictionary = new int[n];
    int[] fail = new int[n];
    for (int s = 0; s < n; s++) {
      output[s] = out.get(s);
    }
    Arrays.fill(dictionary, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < width; c++) {
      Integer to = next.get(0).get(c);
      if (to != null && c != 0) {
        delta[c] = to;
        fail[to] = 0;
        queue.add(to);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      int f = fail[s];
      dictionary[s] = output[f] >= 0 ? f : dictionary[f];
      for (int c = 0; c < width; c++) {
        Integer to = c == 0 ? null : next.get(s).get(c);
        if (to != null) {
          fail[to] = delta[f * width + c];
          delta[s * width + c] = to;
          queue.add(to);
        } else {
          delta[s * width + c] = delta[f * width + c];
        }
      }
    }
    reports = new boolean[n * width];
    for (int s = 0; s < n; s++) {
      reports[s * width] = output[s] >= 0 || dictionary[s] >= 0;
    }
    // entries become row offsets, so a step is one load and one add
    for (int i = 0; i < delta.length; i++) {
      delta[i] *= width;
    }
  }

  /** Reports every occurrence in {@code text}, in order of where it ends. */
  void find(String text, Match m) {
    int n = text.length();
    if (buffer.length < n) {
      buffer = new char[Math.max(n, buffer.length * 2)];
    }
    text.getChars(0, n, buffer, 0);
    char[] chars = buffer;
    int state = 0;
    for (int i = 0; i < n; i++) {
      state = delta[state + charClass[chars[i]]];
      if (reports[state]) {
        int at = state / width;
        for (int s = output[at] >= 0 ? at : dictionary[at]; s >= 0; s = dictionary[s]) {
          m.found(output[s]);
        }
      }
    }
  }
}
