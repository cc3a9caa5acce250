package org.poisonlab.provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;

/**
 * Ed25519 keys (RFC 8032) through {@code java.security}, stored as PEM text: the private key as
 * PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), the public key as X.509 SubjectPublicKeyInfo
 * ({@code -----BEGIN PUBLIC KEY-----}), base64 in lines of 64 characters. These are the files
 * {@code openssl pkey} reads and writes.
 *
 * <p>Key generation draws from the JDK's {@code SecureRandom}, on purpose not from a seed: a key
 * that a seed reproduces is a key anyone can reproduce. Ed25519 signing itself is deterministic, so
 * the same key and message always give the same signature.
 */
public final class Signatures {
  /** The file name of the private key that {@link #writeKeyPair} writes. */
  public static final String PRIVATE_KEY_FILE = "private.key";

  /** The file name of the public key that {@link #writeKeyPair} writes. */
  public static final String PUBLIC_KEY_FILE = "public.key";

  static final String ALGORITHM = "Ed25519";
  private static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String PUBLIC_LABEL = "PUBLIC KEY";

  private Signatures() {}

  /** A fresh Ed25519 key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("the JDK has Ed25519 since 15", e);
    }
  }

  /**
   * Writes {@code dir/private.key} and {@code dir/public.key}, each atomically; {@code dir} is
   * created if needed. On POSIX file systems the private key is readable by its owner only.
   *
   * @throws BadInputException if either file exists already (keys are never overwritten)
   * @throws UncheckedIOException if a file cannot be written
   */
  public static void writeKeyPair(Path dir, KeyPair pair) {
    Path priv = dir.resolve(PRIVATE_KEY_FILE);
    Path pub = dir.resolve(PUBLIC_KEY_FILE);
    for (Path p : List.of(priv, pub)) {
      if (Files.exists(p)) {
        throw new BadInputException(p, 0, "exists already; keys are never overwritten");
      }
    }
    // The private key is owner-only from its creation; the rename keeps that.
    AtomicFiles.writeOwnerOnly(
        priv,
        out ->
            out.write(
                pem(PRIVATE_LABEL, pair.getPrivate().getEncoded())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    AtomicFiles.writeString(pub, pem(PUBLIC_LABEL, pair.getPublic().getEncoded()));
  }

  /**
   * Reads an Ed25519 private key written by {@link #writeKeyPair} (or {@code openssl genpkey
   * -algorithm ed25519}). The file is not modified.
   *
   * @throws BadInputException if the file is missing, is not PEM, holds another label (such as a
   *     public key), or is not an Ed25519 PKCS#8 key
   */
  public static PrivateKey readPrivateKey(Path file) {
    byte[] der = readPem(file, PRIVATE_LABEL);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (InvalidKeySpecException | RuntimeException e) {
      throw new BadInputException(file, 0, "not an Ed25519 private key (PKCS#8)");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Reads an Ed25519 public key written by {@link #writeKeyPair}. The file is not modified.
   *
   * @throws BadInputException if the file is missing, is not PEM, holds another label (such as a
   *     private key), or is not an Ed25519 X.509 key
   */
  public static PublicKey readPublicKey(Path file) {
    byte[] der = readPem(file, PUBLIC_LABEL);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (InvalidKeySpecException | RuntimeException e) {
      throw new BadInputException(file, 0, "not an Ed25519 public key (X.509)");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code sha256:} + hex of the key's X.509 encoding: a short name for a public key. */
  public static String fingerprint(PublicKey key) {
    return "sha256:" + HexFormat.of().formatHex(Merkle.sha256().digest(key.getEncoded()));
  }

  static byte[] sign(byte[] message, PrivateKey key) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (InvalidKeyException e) {
      throw new BadInputException("not an Ed25519 private key: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed: " + e, e);
    }
  }

  /** False for a wrong key, a wrong message or a malformed signature; never throws for those. */
  static boolean verify(byte[] message, byte[] signature, PublicKey key) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (InvalidKeyException | SignatureException e) {
      return false;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String pem(String label, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder();
    sb.append("-----BEGIN ").append(label).append("-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    sb.append("-----END ").append(label).append("-----\n");
    return sb.toString();
  }

  static byte[] readPem(Path file, String label) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "no such file");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new BadInputException(file, 0, "not a PEM key file (non-ASCII bytes)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int first = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.startsWith("-----BEGIN ") && !l.equals(begin)) {
        throw new BadInputException(
            file, i + 1, "expected " + begin + ", found " + l + " (the wrong kind of key?)");
      }
      if (!l.equals(begin)) {
        throw new BadInputException(file, i + 1, "expected " + begin);
      }
      first = i;
      break;
    }
    if (first < 0) {
      throw new BadInputException(file, 0, "empty: expected " + begin);
    }
    List<String> body = new ArrayList<>();
    for (int i = first + 1; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.equals(end)) {
        try {
          return Base64.getDecoder().decode(String.join("", body));
        } catch (IllegalArgumentException e) {
          throw new BadInputException(file, first + 2, "the key is not valid base64");
        }
      }
      if (l.startsWith("-----")) {
        throw new BadInputException(file, i + 1, "expected " + end + ", found " + l);
      }
      body.add(l);
    }
    throw new BadInputException(file, lines.size(), "missing " + end);
  }
}
