package org.poisonlab.io;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-1 content digests in the form WARC records declare them: {@code sha1:} + RFC 4648 base32 of
 * the 20 digest bytes (32 characters, no padding). Corpus documents carry their text's digest in
 * this form, so that a reader can check that a record still holds what it declares.
 */
public final class Sha1 {
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private Sha1() {}

  /** {@code sha1:BASE32} of {@code bytes} (not modified). */
  public static String base32(byte[] bytes) {
    try {
      return "sha1:" + base32Of(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /** RFC 4648 base32 of {@code b} (not modified), without padding. */
  public static String base32Of(byte[] b) {
    StringBuilder out = new StringBuilder((b.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte x : b) {
      buffer = (buffer << 8) | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }
}
