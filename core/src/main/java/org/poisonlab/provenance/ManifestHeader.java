package org.poisonlab.provenance;

import java.util.Objects;

/**
 * What a manifest states besides its entries: what {@link Manifests#write(java.nio.file.Path,
 * org.poisonlab.data.ExampleSource, java.security.PrivateKey)} returns after writing the entries
 * straight to the file.
 *
 * @param version the manifest format version
 * @param dataset the dataset's name when the manifest was made
 * @param count the number of entries
 * @param root the Merkle root as {@code sha256:} + 64 lower-case hex digits
 * @param signature the Ed25519 signature over the header, base64, or null when unsigned
 */
public record ManifestHeader(
    int version, String dataset, long count, String root, String signature) {
  /**
   * @throws NullPointerException if {@code dataset} or {@code root} is null
   */
  public ManifestHeader {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(root, "root");
  }

  /** The header of a manifest held in memory. */
  static ManifestHeader of(Manifest m) {
    return new ManifestHeader(m.version(), m.dataset(), m.count(), m.root(), m.signature());
  }

  /** True when the manifest carries a signature (valid or not). */
  public boolean isSigned() {
    return signature != null;
  }

  /** The same header with another signature. */
  ManifestHeader withSignature(String newSignature) {
    return new ManifestHeader(version, dataset, count, root, newSignature);
  }
}
