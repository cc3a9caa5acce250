package org.poisonlab.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Accumulates {@link Dataset#contentHash()} over examples seen one at a time: SHA-256 over each
 * example's id, a NUL byte, its label and a newline, in order. Holds one digest state.
 */
final class ContentHash implements Consumer<Example> {
  private final MessageDigest sha;
  private long count;

  ContentHash() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void accept(Example e) {
    sha.update(e.id().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(e.label().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
    count++;
  }

  /** The examples seen so far. */
  long count() {
    return count;
  }

  /** {@code sha256:} + hex of what was seen; call once, at the end. */
  String value() {
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
