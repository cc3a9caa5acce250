package org.poisonlab.provenance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The Merkle tree hash of RFC 6962 §2.1 over manifest entries.
 *
 * <p>Leaf: {@code SHA-256(0x00 ‖ enc(id) ‖ enc(label) ‖ enc(source))}, followed inside the hash by
 * {@code enc(digest)} for an entry with a digest (see {@link ManifestEntry}), where {@code enc(s)}
 * is the 4-byte big-endian length of the UTF-8 bytes of {@code s} followed by those bytes, and an
 * absent source is the length {@code 0xFFFFFFFF} with no bytes. Inner node: {@code SHA-256(0x01 ‖
 * left ‖ right)}. The tree is built level by level, pairing nodes left to right; an odd last node
 * is promoted to the next level unchanged, which gives the same root as RFC 6962's split at the
 * largest power of two below {@code n}. The root of no leaves is {@code SHA-256("")}.
 */
final class Merkle {
  static final byte LEAF_PREFIX = 0x00;
  static final byte NODE_PREFIX = 0x01;

  private Merkle() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /**
   * The canonical bytes of an entry's (id, label, source), then its digest when it has one; the
   * position is not part of them.
   */
  static byte[] canonical(ManifestEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    field(out, e.id());
    field(out, e.label());
    field(out, e.source());
    if (e.digest() != null) {
      field(out, e.digest());
    }
    return out.toByteArray();
  }

  static void field(ByteArrayOutputStream out, String s) {
    if (s == null) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
    out.writeBytes(b);
  }

  /** {@code SHA-256(0x00 ‖ canonical(e))}, 32 bytes. */
  static byte[] leaf(MessageDigest sha, ManifestEntry e) {
    sha.reset();
    sha.update(LEAF_PREFIX);
    sha.update(canonical(e));
    return sha.digest();
  }

  /** {@code SHA-256(0x01 ‖ left ‖ right)}, 32 bytes. */
  static byte[] node(MessageDigest sha, byte[] left, byte[] right) {
    sha.reset();
    sha.update(NODE_PREFIX);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** The root over the entries in list order. The list is not modified. */
  static byte[] root(List<ManifestEntry> entries) {
    MessageDigest sha = sha256();
    byte[][] level = new byte[entries.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaf(sha, entries.get(i));
    }
    return rootOfLeaves(sha, level);
  }

  /** The root over leaf hashes; {@code leaves} is modified (used as the work array). */
  static byte[] rootOfLeaves(MessageDigest sha, byte[][] leaves) {
    if (leaves.length == 0) {
      sha.reset();
      return sha.digest();
    }
    int n = leaves.length;
    while (n > 1) {
      int m = 0;
      for (int i = 0; i + 1 < n; i += 2) {
        leaves[m++] = node(sha, leaves[i], leaves[i + 1]);
      }
      if ((n & 1) == 1) {
        leaves[m++] = leaves[n - 1];
      }
      n = m;
    }
    return leaves[0];
  }

  /**
   * The root over entries added one at a time, in order, holding O(log n) hashes: the perfect
   * subtrees of the binary decomposition of n, merged as they fill and folded right to left at the
   * end, which gives the same root as {@link #root(List)}.
   */
  static final class Builder {
    private final MessageDigest sha = sha256();
    private final byte[][] hashes = new byte[64][];
    private final long[] sizes = new long[64];
    private int depth;
    private long count;

    /** Adds the next entry's leaf. */
    void add(ManifestEntry e) {
      byte[] h = leaf(sha, e);
      long size = 1;
      while (depth > 0 && sizes[depth - 1] == size) {
        depth--;
        h = node(sha, hashes[depth], h);
        size *= 2;
      }
      hashes[depth] = h;
      sizes[depth] = size;
      depth++;
      count++;
    }

    /** The number of entries added. */
    long count() {
      return count;
    }

    /** The root over the entries added so far; the builder is not modified. */
    byte[] root() {
      if (depth == 0) {
        sha.reset();
        return sha.digest();
      }
      byte[] h = hashes[depth - 1];
      for (int i = depth - 2; i >= 0; i--) {
        h = node(sha, hashes[i], h);
      }
      return h;
    }
  }
}
