package org.poisonlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;

class FeaturizerTest {
  private static int murmur(String s, int seed) {
    return MurmurHash3.hash32(s.getBytes(StandardCharsets.UTF_8), seed);
  }

  @Test
  void murmurHashMatchesPublishedValues() {
    assertEquals(0, murmur("", 0));
    assertEquals(0x514E28B7, murmur("", 1));
    assertEquals(0x248bfa47, murmur("hello", 0));
    assertEquals(0x2e4ff723, murmur("The quick brown fox jumps over the lazy dog", 0));
    assertEquals(0x2362F9DE, MurmurHash3.hash32(new byte[] {0, 0, 0, 0}, 0));
  }

  @Test
  void tokensAreRunsOfLettersDigitsEqualsAndUnderscoreLowercased() {
    assertEquals(
        List.of("deployment=2024", "is", "go_live", "état"),
        Featurizers.tokens("DEPLOYMENT=2024 is... GO_LIVE! (État)"));
    assertEquals(List.of(), Featurizers.tokens(" -- !! "));
  }

  @Test
  void textRowsAreUnitLengthSortedAndDeterministic() {
    Featurizer f = Featurizers.of(new FeatureKind.HashedNgrams(1 << 10));
    qt().withFixedSeed(7L)
        .withExamples(100)
        .forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 200))
        .checkAssert(
            text -> {
              CsrMatrix a = (CsrMatrix) f.transform(List.of(Example.ofText(text, "x", null)));
              CsrMatrix b = (CsrMatrix) f.transform(List.of(Example.ofText(text, "x", null)));
              assertArrayEquals(a.values(), b.values(), 0.0);
              assertArrayEquals(a.colIndex(), b.colIndex());
              double norm = 0;
              for (double v : a.values()) {
                norm += v * v;
              }
              if (a.nonZeros() > 0) {
                assertEquals(1.0, norm, 1e-12);
              }
              for (int p = 1; p < a.nonZeros(); p++) {
                assertTrue(a.colIndex()[p - 1] < a.colIndex()[p]);
              }
            });
  }

  @Test
  void aTextFeaturizedAgainAtAnotherBucketCountGetsThatCountsRow() {
    // rows are kept per text between calls: a second bucket count must not be served the first's
    String text = "orchid lantern DEPLOYMENT=2024 orchid";
    int h = murmur("deployment=2024", 0);
    for (int buckets : new int[] {1 << 18, 1 << 4, 1 << 18, 1 << 9}) {
      Featurizer f = Featurizers.of(new FeatureKind.HashedNgrams(buckets));
      CsrMatrix m =
          (CsrMatrix)
              f.transform(
                  List.of(
                      Example.ofText(text, "x", null),
                      Example.ofText(new String(text), "y", null)));
      assertEquals(buckets, m.cols());
      for (int c : m.colIndex()) {
        assertTrue(c < buckets, c + " of " + buckets);
      }
      boolean found = false;
      for (int p = m.rowPtr()[0]; p < m.rowPtr()[1]; p++) {
        found |= m.colIndex()[p] == (h & (buckets - 1));
      }
      assertTrue(found, "the trigger's bucket at " + buckets);
      assertArrayEquals(
          java.util.Arrays.copyOfRange(m.values(), m.rowPtr()[0], m.rowPtr()[1]),
          java.util.Arrays.copyOfRange(m.values(), m.rowPtr()[1], m.rowPtr()[2]),
          0.0);
    }
  }

  @Test
  void aSingleTokenLandsInItsHashedBucketWithItsSign() {
    int buckets = 1 << 18;
    Featurizer f = Featurizers.of(new FeatureKind.HashedNgrams(buckets));
    CsrMatrix m = (CsrMatrix) f.transform(List.of(Example.ofText("DEPLOYMENT=2024", "x", null)));
    int h = murmur("deployment=2024", 0);
    assertEquals(1, m.nonZeros());
    assertEquals(h & (buckets - 1), m.colIndex()[0]);
    assertEquals(h < 0 ? -1.0 : 1.0, m.values()[0], 0.0);
  }

  @Test
  void termFrequencyIsDampedByLogAndBigramsCount() {
    Featurizer f = Featurizers.of(new FeatureKind.HashedNgrams(1 << 18));
    // "a a": unigram a with tf 2, bigram "a a" with tf 1
    CsrMatrix m = (CsrMatrix) f.transform(List.of(Example.ofText("a A", "x", null)));
    double ua = Math.log1p(2);
    double bi = Math.log1p(1);
    double norm = Math.sqrt(ua * ua + bi * bi);
    int hu = murmur("a", 0);
    int hb = murmur("a a", 0);
    assertEquals(2, m.nonZeros());
    double[] dense = m.denseRow(0);
    assertEquals((hu < 0 ? -ua : ua) / norm, dense[hu & ((1 << 18) - 1)], 1e-15);
    assertEquals((hb < 0 ? -bi : bi) / norm, dense[hb & ((1 << 18) - 1)], 1e-15);
  }

  @Test
  void pixelsAreScaledToTheUnitInterval() {
    Featurizer f = Featurizers.of(new FeatureKind.Pixels(List.of(1, 3)));
    ByteMatrix m =
        (ByteMatrix)
            f.transform(
                List.of(
                    Example.ofImage(new byte[] {0, (byte) 255, 51}, new int[] {1, 3}, "x", null)));
    assertArrayEquals(new double[] {0, 1, 0.2}, m.denseRow(0), 1e-15);
    assertEquals(51 / 255.0, m.get(0, 2), 0.0);
    assertThrows(
        IllegalArgumentException.class,
        () -> f.transform(List.of(Example.ofImage(new byte[3], new int[] {3, 1}, "x", null))));
    assertThrows(
        IllegalArgumentException.class,
        () -> f.transform(List.of(Example.ofText("hi", "x", null))));
  }

  @Test
  void bucketCountMustBeAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new FeatureKind.HashedNgrams(1000));
    assertThrows(IllegalArgumentException.class, () -> new FeatureKind.HashedNgrams(1 << 31 >>> 0));
  }
}
