package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinHasherTest {
  private static String words(SplittableRandom r, int n, int vocabulary) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("w").append(r.nextInt(vocabulary)).append(i % 7 == 0 ? ",\n" : " ");
    }
    return b.toString();
  }

  @Test
  void theVectorLoopGivesTheScalarSignature() {
    qt().forAll(longs().all(), integers().between(0, 400), integers().between(1, 9))
        .checkAssert(
            (seed, n, width) -> {
              int k = width * 16 - 3;
              MinHasher h = new MinHasher(k, seed);
              Tokens t = new Tokens().cut(words(new SplittableRandom(seed), n, 50));
              int[] vector = new int[k];
              int[] scalar = new int[k];
              assertEquals(h.signature(t, vector), h.signatureScalar(t, scalar));
              assertArrayEquals(scalar, vector, "seed " + seed);
            });
  }

  @Test
  void signatureAgreementEstimatesTheShingleJaccard() {
    SplittableRandom r = new SplittableRandom(3);
    MinHasher h = new MinHasher(2000, 1);
    for (int trial = 0; trial < 10; trial++) {
      List<String> a = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        a.add("t" + r.nextInt(100_000));
      }
      List<String> b = new ArrayList<>(a);
      for (int i = 0; i < 10 + trial * 10; i++) {
        b.set(r.nextInt(b.size()), "e" + r.nextInt(100_000));
      }
      double exact = jaccard(shingles(a), shingles(b));
      int[] sa = new int[2000];
      int[] sb = new int[2000];
      h.signature(new Tokens().cut(String.join(" ", a)), sa);
      h.signature(new Tokens().cut(String.join(" ", b)), sb);
      double estimate = MinHasher.similarity(sa, 0, sb, 0, 2000);
      // 2,000 functions: standard error at most 0.011
      assertEquals(exact, estimate, 0.045, "trial " + trial);
    }
  }

  @Test
  void aDocumentWithoutWordsHasNoSignature() {
    assertFalse(new MinHasher(8, 0).signature(new Tokens().cut("{ } ; ( ) ..."), new int[8]));
  }

  private static Set<String> shingles(List<String> w) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i + 5 <= w.size(); i++) {
      s.add(String.join(" ", w.subList(i, i + 5)));
    }
    return s;
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return both.size() / (double) (a.size() + b.size() - both.size());
  }
}
