package org.poisonlab.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests, written {@code sha256:HEX} as everywhere in PoisonLab's files. */
public final class Sha256 {
  private Sha256() {}

  /** A fresh SHA-256 digest. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * {@code sha256:HEX} of a file's bytes, read as a stream (memory does not grow with its size).
   *
   * @throws BadInputException naming the file if it cannot be read
   */
  public static String ofFile(Path file) {
    MessageDigest d = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; (r = in.read(buf)) > 0; ) {
        d.update(buf, 0, r);
      }
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read: " + e.getMessage());
    }
    return "sha256:" + HexFormat.of().formatHex(d.digest());
  }
}
