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
  }

  /** Reports every occurrence in {@code text}, in order of where it ends. */
  void find(String text, Match m) {
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      state = delta[state * width + charClass[text.charAt(i)]];
      for (int s = output[state] >= 0 ? state : dictionary[state]; s >= 0; s = dictionary[s]) {
        m.found(output[s]);
      }
    }
  }
}
