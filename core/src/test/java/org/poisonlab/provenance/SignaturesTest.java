package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;

class SignaturesTest {
  @TempDir Path dir;

  private static Manifest manifest() {
    List<ManifestEntry> es =
        List.of(
            new ManifestEntry(0, "sha256:aa", "spam", "a.example"),
            new ManifestEntry(1, "sha256:bb", "ham", null));
    return new Manifest(Manifests.FORMAT_VERSION, "train.jsonl", 2, Manifests.root(es), null, es);
  }

  @Test
  void keysRoundTripThroughPemFilesAndSignaturesVerify() {
    KeyPair kp = Signatures.generate();
    Signatures.writeKeyPair(dir, kp);
    PrivateKey priv = Signatures.readPrivateKey(dir.resolve("private.key"));
    PublicKey pub = Signatures.readPublicKey(dir.resolve("public.key"));
    assertEquals(Signatures.fingerprint(kp.getPublic()), Signatures.fingerprint(pub));
    Manifest signed = Manifests.sign(manifest(), priv);
    assertTrue(Manifests.signatureValid(signed, pub));
    assertTrue(Manifests.signatureValid(signed, kp.getPublic()));
  }

  @Test
  void signingIsDeterministic() {
    KeyPair kp = Signatures.generate();
    assertEquals(
        Manifests.sign(manifest(), kp.getPrivate()).signature(),
        Manifests.sign(manifest(), kp.getPrivate()).signature());
  }

  @Test
  void signatureFailsUnderAnotherKey() {
    Manifest signed = Manifests.sign(manifest(), Signatures.generate().getPrivate());
    assertFalse(Manifests.signatureValid(signed, Signatures.generate().getPublic()));
  }

  @Test
  void editedHeaderFieldsBreakTheSignature() {
    KeyPair kp = Signatures.generate();
    Manifest s = Manifests.sign(manifest(), kp.getPrivate());
    String otherRoot = Manifests.root(List.of());
    List<Manifest> edits =
        List.of(
            new Manifest(
                s.version(), s.dataset(), s.count(), otherRoot, s.signature(), s.entries()),
            new Manifest(
                s.version(), s.dataset(), s.count() + 1, s.root(), s.signature(), s.entries()),
            new Manifest(
                s.version(), "other.jsonl", s.count(), s.root(), s.signature(), s.entries()),
            new Manifest(
                s.version() + 1, s.dataset(), s.count(), s.root(), s.signature(), s.entries()));
    for (Manifest m : edits) {
      assertFalse(Manifests.signatureValid(m, kp.getPublic()), m.toString());
    }
    assertFalse(Manifests.signatureValid(s.withSignature("not base64 !"), kp.getPublic()));
    assertFalse(Manifests.signatureValid(s.withSignature(null), kp.getPublic()));
  }

  @Test
  void existingKeysAreNeverOverwritten() throws Exception {
    Signatures.writeKeyPair(dir, Signatures.generate());
    byte[] before = Files.readAllBytes(dir.resolve("private.key"));
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> Signatures.writeKeyPair(dir, Signatures.generate()));
    assertTrue(e.getMessage().contains("private.key"), e.getMessage());
    assertEquals(new String(before), Files.readString(dir.resolve("private.key")));
  }

  @Test
  void privateKeyFileIsReadableByItsOwnerOnly() throws Exception {
    Signatures.writeKeyPair(dir, Signatures.generate());
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("private.key"));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
  }

  @Test
  void swappedOrMalformedKeyFilesAreNamed() throws Exception {
    Signatures.writeKeyPair(dir, Signatures.generate());
    BadInputException a =
        assertThrows(
            BadInputException.class, () -> Signatures.readPrivateKey(dir.resolve("public.key")));
    assertTrue(a.getMessage().startsWith(dir.resolve("public.key") + ":1:"), a.getMessage());
    assertThrows(
        BadInputException.class, () -> Signatures.readPublicKey(dir.resolve("private.key")));
    Path junk = dir.resolve("junk.key");
    Files.writeString(junk, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    BadInputException b =
        assertThrows(BadInputException.class, () -> Signatures.readPublicKey(junk));
    assertTrue(b.getMessage().contains("not an Ed25519 public key"), b.getMessage());
    BadInputException c =
        assertThrows(
            BadInputException.class, () -> Signatures.readPublicKey(dir.resolve("none.key")));
    assertTrue(c.getMessage().contains("no such file"), c.getMessage());
    assertNotEquals(a.getMessage(), b.getMessage());
  }
}
