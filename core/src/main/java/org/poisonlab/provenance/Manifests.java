package org.poisonlab.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.io.BadInputException;
import org.poisonlab.provenance.ManifestVerification.SignatureStatus;

/**
 * Makes, signs, writes, reads and verifies dataset manifests.
 *
 * <p><b>Root.</b> The Merkle tree hash of RFC 6962 §2.1 over one leaf per example, in dataset
 * order. Leaf = {@code SHA-256(0x00 ‖ enc(id) ‖ enc(label) ‖ enc(source))}, where {@code enc(s)} is
 * the 4-byte big-endian length of the UTF-8 bytes of {@code s} then the bytes, and an absent source
 * is the length {@code 0xFFFFFFFF} alone; an entry with a digest ({@link ManifestEntry#digest}: the
 * content under an id that is not its hash, and any extra fields) adds {@code enc(digest)} after
 * the source. Inner node = {@code SHA-256(0x01 ‖ left ‖ right)}; an odd last node at a level is
 * promoted unchanged. No examples: {@code SHA-256("")}. The position is not hashed into a leaf; the
 * tree's shape fixes the order, so reordering changes the root.
 *
 * <p><b>Signature.</b> Ed25519 (RFC 8032) over the header bytes {@code "poisonlab-manifest" ‖ 0x00
 * ‖ u32(version) ‖ enc(dataset) ‖ u64(count) ‖ root (32 raw bytes)}, all integers big-endian. The
 * entries are covered through the root.
 *
 * <p><b>Memory.</b> A {@link Manifest} in memory holds one entry per example: O(n) in the dataset
 * size (a few hundred bytes per entry on the heap, about 150 in the file). The streaming paths hold
 * no entries: {@link #write(Path, ExampleSource, PrivateKey)} reads the source once, spooling
 * entries to disk and folding the root as it goes (O(log n) 32-byte hashes); {@link
 * #verify(ExampleSource, Path, PublicKey)} folds the roots of the manifest file and of the source
 * the same way and, only when they differ, holds both entry lists to align them.
 */
public final class Manifests {
  /** The manifest format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  static final String FORMAT = "poisonlab-manifest";

  private Manifests() {}

  /**
   * An unsigned manifest of the dataset as it is: one entry per example in order, the dataset's
   * name, count and root. The dataset is not modified.
   */
  public static Manifest of(Dataset dataset) {
    List<ManifestEntry> entries = entries(dataset);
    return new Manifest(
        FORMAT_VERSION, dataset.name(), entries.size(), root(entries), null, entries);
  }

  /**
   * Writes the manifest of a source to {@code file}, reading the source once and holding no entries
   * (see the class comment); the file is byte for byte what {@link #write(Path, Manifest)} writes
   * for {@code of(source.load())}, signed with {@code key} when it is not null, as {@link #sign}
   * would.
   *
   * @return what the file states besides its entries
   * @throws BadInputException from the source (a bad record) or for a key that is not Ed25519;
   *     {@code file} is then untouched
   * @throws java.io.UncheckedIOException if reading or writing fails; {@code file} is then
   *     untouched
   */
  public static ManifestHeader write(Path file, ExampleSource source, PrivateKey key) {
    return ManifestFiles.write(file, source, key);
  }

  /** The Merkle root of entries, in list order, as {@code sha256:} + hex. Not modified. */
  public static String root(List<ManifestEntry> entries) {
    return hex(Merkle.root(entries));
  }

  /**
   * The same manifest signed with {@code key} (any previous signature replaced). The signature
   * covers the header as stated (version, dataset, count, root); it does not recompute the root.
   *
   * @throws BadInputException if the key is not an Ed25519 private key
   */
  public static Manifest sign(Manifest manifest, PrivateKey key) {
    return manifest.withSignature(sign(ManifestHeader.of(manifest), key).signature());
  }

  static ManifestHeader sign(ManifestHeader header, PrivateKey key) {
    return sign(FORMAT, header, key);
  }

  /** Signs the header of a manifest of the given format (the format is in the signed bytes). */
  static ManifestHeader sign(String format, ManifestHeader header, PrivateKey key) {
    byte[] sig = Signatures.sign(header(format, header), key);
    return header.withSignature(Base64.getEncoder().encodeToString(sig));
  }

  /**
   * True when the manifest carries a signature that verifies under {@code key} over its header.
   * False for unsigned manifests, a wrong key, any edit of version, dataset, count or root, and a
   * signature not in canonical base64 (padded, unused bits zero), so no edit of the signature text
   * passes.
   */
  public static boolean signatureValid(Manifest manifest, PublicKey key) {
    return signatureValid(ManifestHeader.of(manifest), key);
  }

  private static boolean signatureValid(ManifestHeader manifest, PublicKey key) {
    return signatureValid(FORMAT, manifest, key);
  }

  private static boolean signatureValid(String format, ManifestHeader manifest, PublicKey key) {
    if (manifest.signature() == null) {
      return false;
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(manifest.signature());
    } catch (IllegalArgumentException e) {
      return false;
    }
    // the decoder ignores the unused low bits of the last character before padding, so "CQ==" and
    // "CS==" decode alike; only the canonical spelling of the signature is accepted
    if (!Base64.getEncoder().encodeToString(sig).equals(manifest.signature())) {
      return false;
    }
    return Signatures.verify(header(format, manifest), sig, key);
  }

  /**
   * Writes the manifest as JSON to {@code file}, atomically (parents created): header fields one
   * per line, then one entry per line, so the same manifest always gives the same bytes.
   *
   * @throws java.io.UncheckedIOException if the file cannot be written; it is then untouched
   */
  public static void write(Path file, Manifest manifest) {
    ManifestFiles.write(file, manifest);
  }

  /**
   * Reads a manifest written by {@link #write}, strictly. The file is not modified. The root is
   * taken as stated; {@link #verify} checks it against the entries.
   *
   * @throws BadInputException naming the file and line for a missing file, malformed JSON, an
   *     unknown or missing field, another format or version, a malformed root, an entry whose
   *     position is not its index, or an entry without a string id or label
   */
  public static Manifest read(Path file) {
    return ManifestFiles.read(file);
  }

  /**
   * Compares a dataset with a manifest. Neither is modified.
   *
   * <p>Checks that the manifest's entries hash to its stated root and number its stated count (else
   * the manifest was edited), that the dataset's root equals the stated root, and, with a key, the
   * signature. When the roots differ, lists every change (see {@link
   * ManifestVerification.ChangeKind}): entries are aligned by id, like a line diff, so an insertion
   * is one addition rather than a shift of all later examples.
   *
   * @param key the public key to check the signature with, or null to skip the check
   */
  public static ManifestVerification verify(Dataset dataset, Manifest manifest, PublicKey key) {
    List<ManifestEntry> actual = entries(dataset);
    String actualRoot = root(actual);
    String entriesRoot = root(manifest.entries());
    boolean intact =
        manifest.count() == manifest.entries().size() && entriesRoot.equals(manifest.root());
    List<ManifestVerification.Change> changes =
        actualRoot.equals(entriesRoot) ? List.of() : ManifestDiff.diff(manifest.entries(), actual);
    return new ManifestVerification(
        dataset.name(),
        manifest.count(),
        actual.size(),
        manifest.root(),
        actualRoot,
        intact,
        signatureStatus(ManifestHeader.of(manifest), key),
        changes);
  }

  /**
   * Compares a source with a manifest file as {@link #verify(Dataset, Manifest, PublicKey)} does,
   * with the same result, holding no entries while the roots agree: the manifest file and the
   * source are each read once, folding their roots (O(log n) hashes). When the roots differ, both
   * are read a second time into entry lists (O(n) entries, not examples) to list the changes.
   * Neither is modified.
   *
   * @param key the public key to check the signature with, or null to skip the check
   * @throws BadInputException as {@link #read} for the manifest, or from the source
   */
  public static ManifestVerification verify(
      ExampleSource source, Path manifestFile, PublicKey key) {
    Merkle.Builder recorded = new Merkle.Builder();
    ManifestHeader manifest = ManifestFiles.read(manifestFile, recorded::add);
    Merkle.Builder current = new Merkle.Builder();
    source.forEach(e -> current.add(entry(current.count(), e)));
    String entriesRoot = hex(recorded.root());
    String actualRoot = hex(current.root());
    List<ManifestVerification.Change> changes = List.of();
    if (!actualRoot.equals(entriesRoot)) {
      List<ManifestEntry> actual = new ArrayList<>();
      source.forEach(e -> actual.add(entry(actual.size(), e)));
      changes = ManifestDiff.diff(ManifestFiles.read(manifestFile).entries(), actual);
    }
    return new ManifestVerification(
        source.name(),
        manifest.count(),
        current.count(),
        manifest.root(),
        actualRoot,
        manifest.count() == recorded.count() && entriesRoot.equals(manifest.root()),
        signatureStatus(manifest, key),
        changes);
  }

  private static SignatureStatus signatureStatus(ManifestHeader manifest, PublicKey key) {
    return signatureStatus(FORMAT, manifest, key);
  }

  /** The outcome of checking a header of the given format with a key (null: no check). */
  static SignatureStatus signatureStatus(String format, ManifestHeader manifest, PublicKey key) {
    if (key == null) {
      return manifest.isSigned() ? SignatureStatus.NOT_CHECKED : SignatureStatus.UNSIGNED;
    } else if (!manifest.isSigned()) {
      return SignatureStatus.MISSING;
    }
    return signatureValid(format, manifest, key) ? SignatureStatus.VALID : SignatureStatus.INVALID;
  }

  static String hex(byte[] root) {
    return "sha256:" + HexFormat.of().formatHex(root);
  }

  static List<ManifestEntry> entries(Dataset dataset) {
    List<ManifestEntry> out = new ArrayList<>(dataset.size());
    for (Example e : dataset) {
      out.add(entry(out.size(), e));
    }
    return out;
  }

  /** The entry of an example at a position. */
  static ManifestEntry entry(long position, Example e) {
    return new ManifestEntry(position, e.id(), e.label(), e.source(), digest(e));
  }

  /**
   * What the id does not stand for (see {@link ManifestEntry#digest}), or null. An example read
   * with a stated id keeps it even when its content was changed, so without this an edit of the
   * text under an unchanged id, or of an extra field, would leave the entry as it was.
   */
  static String digest(Example e) {
    String contentId = e.contentId();
    if (contentId.equals(e.id()) && e.extra().isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    Merkle.field(out, contentId);
    for (Map.Entry<String, JsonNode> x : e.extra().entrySet()) {
      Merkle.field(out, x.getKey());
      Merkle.field(out, x.getValue().toString());
    }
    MessageDigest sha = Merkle.sha256();
    return "sha256:" + HexFormat.of().formatHex(sha.digest(out.toByteArray()));
  }

  /** The bytes the signature covers. */
  static byte[] header(ManifestHeader m) {
    return header(FORMAT, m);
  }

  /** The bytes the signature covers, for a manifest of the given format. */
  static byte[] header(String format, ManifestHeader m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.writeBytes(format.getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(m.version()).array());
    byte[] name = m.dataset().getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(name.length).array());
    out.writeBytes(name);
    out.writeBytes(ByteBuffer.allocate(8).putLong(m.count()).array());
    out.writeBytes(rootBytes(m.root()));
    return out.toByteArray();
  }

  /** The 32 bytes of a {@code sha256:} root; a malformed root gives its UTF-8 bytes instead. */
  static byte[] rootBytes(String root) {
    if (ManifestFiles.isRoot(root)) {
      return HexFormat.of().parseHex(root, 7, root.length());
    }
    return root.getBytes(StandardCharsets.UTF_8);
  }
}
