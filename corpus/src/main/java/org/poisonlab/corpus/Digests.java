package org.poisonlab.corpus;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Digests in the form WARC writes them ({@code sha1:} + RFC 4648 base32). */
final class Digests {
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private Digests() {}

  static String sha1Base32(byte[] bytes) {
    try {
      return "sha1:" + base32(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  static String base32(byte[] b) {
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
