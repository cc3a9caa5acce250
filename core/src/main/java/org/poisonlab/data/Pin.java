package org.poisonlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The pinned digest of an artifact: an algorithm ({@code sha256} or {@code sha512}) and the
 * expected digest, written in hex or (npm's {@code integrity}) in base64.
 */
record Pin(String algorithm, String expected, boolean base64) {
  static Pin sha256Hex(String hex) {
    HexFormat.of().parseHex(hex);
    return new Pin("sha256", hex.toLowerCase(java.util.Locale.ROOT), false);
  }

  static Pin sha512Base64(String b64) {
    Base64.getDecoder().decode(b64);
    return new Pin("sha512", b64, true);
  }

  /** The digest of {@code file} in this pin's encoding. */
  String digest(Path file) {
    MessageDigest md = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    byte[] d = md.digest();
    return base64 ? Base64.getEncoder().encodeToString(d) : HexFormat.of().formatHex(d);
  }

  boolean matches(String actual) {
    return base64 ? expected.equals(actual) : expected.equalsIgnoreCase(actual);
  }

  /** {@code sha256:HEX} or {@code sha512-BASE64} (the npm integrity form). */
  String display() {
    return base64 ? algorithm + "-" + expected : algorithm + ":" + expected;
  }

  /** The first {@code n} hex digits of the expected digest, for folder names. */
  String hexPrefix(int n) {
    String hex = base64 ? HexFormat.of().formatHex(Base64.getDecoder().decode(expected)) : expected;
    return hex.substring(0, n);
  }

  /** The one-line problem for a digest that does not match. */
  String mismatch(String actual) {
    return algorithm + " mismatch: expected " + expected + ", got " + actual;
  }

  private MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
