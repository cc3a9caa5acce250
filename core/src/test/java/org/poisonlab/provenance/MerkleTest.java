package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTest {
  private static List<ManifestEntry> entries(int n, int salt) {
    List<ManifestEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new ManifestEntry(
              i,
              "sha256:" + salt + "-" + i,
              i % 3 == 0 ? "spam" : "ham",
              i % 4 == 0 ? null : "s" + i % 5));
    }
    return out;
  }

  /** RFC 6962 §2.1 as written: split at the largest power of two below n. */
  private static byte[] rfcRoot(MessageDigest sha, List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      sha.reset();
      return sha.digest();
    }
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    byte[] left = rfcRoot(sha, leaves.subList(0, k));
    byte[] right = rfcRoot(sha, leaves.subList(k, leaves.size()));
    return Merkle.node(sha, left, right);
  }

  @Test
  void emptyRootIsTheHashOfNothing() {
    assertEquals(
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        Manifests.root(List.of()));
  }

  @Test
  void leafHashesTheLengthPrefixedFieldsAfterAZeroByte() throws Exception {
    ManifestEntry e = new ManifestEntry(0, "a", "bc", null);
    byte[] expected =
        MessageDigest.getInstance("SHA-256")
            .digest(
                HexFormat.of()
                    .parseHex("00" + "00000001" + "61" + "00000002" + "6263" + "ffffffff"));
    assertArrayEquals(expected, Merkle.leaf(Merkle.sha256(), e));
    assertEquals("sha256:" + HexFormat.of().formatHex(expected), Manifests.root(List.of(e)));
    ManifestEntry withEmptySource = new ManifestEntry(0, "a", "bc", "");
    assertNotEquals(Manifests.root(List.of(e)), Manifests.root(List.of(withEmptySource)));
  }

  @Test
  void fieldBoundariesCannotBeShifted() {
    // "ab" + "c" and "a" + "bc" concatenate to the same text; the length prefixes keep them apart
    ManifestEntry a = new ManifestEntry(0, "ab", "c", "x");
    ManifestEntry b = new ManifestEntry(0, "a", "bc", "x");
    assertNotEquals(Manifests.root(List.of(a)), Manifests.root(List.of(b)));
  }

  @Test
  void levelByLevelRootEqualsRfc6962Definition() {
    qt().withFixedSeed(11L)
        .withExamples(60)
        .forAll(integers().between(0, 70))
        .checkAssert(
            n -> {
              MessageDigest sha = Merkle.sha256();
              List<ManifestEntry> es = entries(n, 1);
              List<byte[]> leaves = new ArrayList<>();
              for (ManifestEntry e : es) {
                leaves.add(Merkle.leaf(sha, e));
              }
              assertArrayEquals(rfcRoot(sha, leaves), Merkle.root(es), "n = " + n);
            });
  }

  @Test
  void changingAnyOneFieldOfAnyOneEntryChangesTheRoot() {
    qt().withFixedSeed(12L)
        .withExamples(200)
        .forAll(integers().between(1, 40), integers().between(0, 1000), integers().between(0, 2))
        .checkAssert(
            (n, at, field) -> {
              List<ManifestEntry> es = entries(n, 2);
              String before = Manifests.root(es);
              int i = at % n;
              ManifestEntry e = es.get(i);
              ManifestEntry changed =
                  switch (field) {
                    case 0 -> new ManifestEntry(i, e.id() + "x", e.label(), e.source());
                    case 1 -> new ManifestEntry(i, e.id(), e.label() + "x", e.source());
                    default ->
                        new ManifestEntry(i, e.id(), e.label(), e.source() == null ? "" : null);
                  };
              List<ManifestEntry> copy = new ArrayList<>(es);
              copy.set(i, changed);
              assertNotEquals(
                  before, Manifests.root(copy), "n=" + n + " i=" + i + " field=" + field);
            });
  }

  @Test
  void orderMatters() {
    qt().withFixedSeed(13L)
        .withExamples(200)
        .forAll(integers().between(2, 40), integers().between(0, 1000), integers().between(1, 1000))
        .checkAssert(
            (n, a, d) -> {
              List<ManifestEntry> es = entries(n, 3);
              int i = a % n;
              int j = (i + d % (n - 1) + 1) % n; // j != i
              List<ManifestEntry> swapped = new ArrayList<>(es);
              swapped.set(i, es.get(j));
              swapped.set(j, es.get(i));
              assertNotEquals(
                  Manifests.root(es), Manifests.root(swapped), "n=" + n + " swap " + i + "," + j);
            });
  }

  @Test
  void rootDoesNotDependOnPositionsOnlyOnOrder() {
    List<ManifestEntry> es = entries(5, 4);
    List<ManifestEntry> renumbered = new ArrayList<>();
    for (ManifestEntry e : es) {
      renumbered.add(new ManifestEntry(e.position() + 10, e.id(), e.label(), e.source()));
    }
    assertEquals(Manifests.root(es), Manifests.root(renumbered));
  }
}
