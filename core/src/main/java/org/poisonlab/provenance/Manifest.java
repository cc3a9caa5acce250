package org.poisonlab.provenance;

import java.util.List;
import java.util.Objects;

/**
 * A dataset's manifest: what it held, in order, under a Merkle root, optionally signed.
 *
 * @param version the manifest format version ({@link Manifests#FORMAT_VERSION} for manifests made
 *     by this code)
 * @param dataset the dataset's name when the manifest was made (informational: not compared)
 * @param count the number of entries
 * @param root the Merkle root as {@code sha256:} + 64 lower-case hex digits, as stated in the file
 *     (it need not match the entries when the file was tampered with)
 * @param signature the Ed25519 signature over the header (see {@link Manifests}), base64, or null
 *     when unsigned
 * @param entries the entries in position order; unmodifiable
 */
public record Manifest(
    int version,
    String dataset,
    long count,
    String root,
    String signature,
    List<ManifestEntry> entries) {
  /**
   * @throws NullPointerException if {@code dataset}, {@code root} or {@code entries} is null
   */
  public Manifest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(root, "root");
    entries = List.copyOf(entries);
  }

  /** True when the manifest carries a signature (valid or not). */
  public boolean isSigned() {
    return signature != null;
  }

  /** The same manifest with another signature (null to remove it). */
  public Manifest withSignature(String newSignature) {
    return new Manifest(version, dataset, count, root, newSignature, entries);
  }
}
