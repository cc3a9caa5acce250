package org.poisonlab.provenance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.poisonlab.provenance.ManifestVerification.Change;
import org.poisonlab.provenance.ManifestVerification.ChangeKind;

/**
 * Aligns recorded entries with current ones, the way a line diff aligns files.
 *
 * <p>Entries are first paired when identical, then by id (duplicates in order). The pairs that keep
 * their relative order form the alignment: the longest increasing subsequence of recorded positions
 * taken in current order (patience sorting, O(n log n)). Paired entries outside it are {@code
 * MOVED}. Between two consecutive aligned pairs, the unpaired recorded and current entries are
 * matched slot by slot as {@code CHANGED}; what is left over is {@code REMOVED} or {@code ADDED}.
 * So an insertion near the start reports one addition, not a shift of everything after it, and
 * swapping two examples reports one move (the fewest moves that restore the order).
 */
final class ManifestDiff {
  private ManifestDiff() {}

  /** The changes from {@code expected} to {@code actual}; neither list is modified. */
  static List<Change> diff(List<ManifestEntry> expected, List<ManifestEntry> actual) {
    int m = expected.size();
    int n = actual.size();
    int[] pairOfActual = new int[n];
    Arrays.fill(pairOfActual, -1);
    boolean[] expectedPaired = new boolean[m];
    // Identical entries first, then the rest by id: among duplicates of one id (the same text
    // kept under two file names), an unchanged example pairs with its own record, not with its
    // twin's.
    pair(expected, actual, pairOfActual, expectedPaired, true);
    pair(expected, actual, pairOfActual, expectedPaired, false);
    boolean[] aligned = longestIncreasing(pairOfActual);

    List<Change> out = new ArrayList<>();
    int prevI = -1;
    int prevJ = -1;
    for (int j = 0; j <= n; j++) {
      if (j < n && !aligned[j]) {
        continue;
      }
      int i = j < n ? pairOfActual[j] : m;
      gap(expected, actual, expectedPaired, pairOfActual, prevI + 1, i, prevJ + 1, j, out);
      if (j < n) {
        List<String> fields = differing(expected.get(i), actual.get(j));
        if (!fields.isEmpty()) {
          out.add(new Change(ChangeKind.CHANGED, expected.get(i), actual.get(j), fields));
        }
      }
      prevI = i;
      prevJ = j;
    }
    for (int j = 0; j < n; j++) {
      if (pairOfActual[j] >= 0 && !aligned[j]) {
        ManifestEntry e = expected.get(pairOfActual[j]);
        out.add(new Change(ChangeKind.MOVED, e, actual.get(j), differing(e, actual.get(j))));
      }
    }
    out.sort(Comparator.comparingLong(ManifestDiff::order).thenComparing(c -> c.kind().ordinal()));
    return out;
  }

  /**
   * Pairs each unpaired current entry with the first unpaired recorded one of the same id (and,
   * with {@code whole}, the same label, source and digest), in order.
   */
  private static void pair(
      List<ManifestEntry> expected,
      List<ManifestEntry> actual,
      int[] pairOfActual,
      boolean[] expectedPaired,
      boolean whole) {
    Map<Object, ArrayDeque<Integer>> byKey = new HashMap<>();
    for (int i = 0; i < expected.size(); i++) {
      if (!expectedPaired[i]) {
        byKey.computeIfAbsent(key(expected.get(i), whole), k -> new ArrayDeque<>()).add(i);
      }
    }
    for (int j = 0; j < actual.size(); j++) {
      if (pairOfActual[j] >= 0) {
        continue;
      }
      ArrayDeque<Integer> q = byKey.get(key(actual.get(j), whole));
      Integer i = q == null ? null : q.poll();
      if (i != null) {
        pairOfActual[j] = i;
        expectedPaired[i] = true;
      }
    }
  }

  /** What pairs two entries: everything but the position, or the id alone. */
  private record Whole(String id, String label, String source, String digest) {}

  private static Object key(ManifestEntry e, boolean whole) {
    return whole ? new Whole(e.id(), e.label(), e.source(), e.digest()) : e.id();
  }

  private static long order(Change c) {
    return c.actual() != null ? c.actual().position() : c.expected().position();
  }

  /** Unpaired recorded entries in [i0, i1) against unpaired current ones in [j0, j1). */
  private static void gap(
      List<ManifestEntry> expected,
      List<ManifestEntry> actual,
      boolean[] expectedPaired,
      int[] pairOfActual,
      int i0,
      int i1,
      int j0,
      int j1,
      List<Change> out) {
    int i = i0;
    int j = j0;
    while (true) {
      while (i < i1 && expectedPaired[i]) {
        i++;
      }
      while (j < j1 && pairOfActual[j] >= 0) {
        j++;
      }
      if (i < i1 && j < j1) {
        ManifestEntry e = expected.get(i);
        ManifestEntry a = actual.get(j);
        out.add(new Change(ChangeKind.CHANGED, e, a, differing(e, a)));
        i++;
        j++;
      } else if (i < i1) {
        out.add(new Change(ChangeKind.REMOVED, expected.get(i), null, List.of()));
        i++;
      } else if (j < j1) {
        out.add(new Change(ChangeKind.ADDED, null, actual.get(j), List.of()));
        j++;
      } else {
        return;
      }
    }
  }

  private static List<String> differing(ManifestEntry e, ManifestEntry a) {
    List<String> f = new ArrayList<>(4);
    if (!e.id().equals(a.id())) {
      f.add("id");
    }
    if (!e.label().equals(a.label())) {
      f.add("label");
    }
    if (!Objects.equals(e.source(), a.source())) {
      f.add("source");
    }
    if (!Objects.equals(e.digest(), a.digest())) {
      f.add("content");
    }
    return f;
  }

  /**
   * Marks the positions {@code j} with {@code seq[j] >= 0} that form one longest strictly
   * increasing subsequence of those values (ties broken towards the earliest end).
   */
  static boolean[] longestIncreasing(int[] seq) {
    int n = seq.length;
    int[] tails = new int[n]; // tails[k]: index j ending the best run of length k+1
    int[] prev = new int[n];
    int len = 0;
    for (int j = 0; j < n; j++) {
      int v = seq[j];
      if (v < 0) {
        continue;
      }
      int lo = 0;
      int hi = len;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (seq[tails[mid]] < v) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      prev[j] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = j;
      if (lo == len) {
        len++;
      }
    }
    boolean[] in = new boolean[n];
    Arrays.fill(in, false);
    for (int j = len > 0 ? tails[len - 1] : -1; j >= 0; j = prev[j]) {
      in[j] = true;
    }
    return in;
  }
}
