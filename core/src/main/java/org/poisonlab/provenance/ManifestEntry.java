package org.poisonlab.provenance;

import java.util.Objects;

/**
 * One example as a manifest records it.
 *
 * @param position 0-based position in the dataset
 * @param id the example's content id ({@code sha256:...})
 * @param label the class name
 * @param source the source, or null when the example has none
 * @param digest what the id does not already stand for, or null when there is nothing: when the
 *     example's id is not the hash of its content, or it carries fields beyond the known ones,
 *     {@code sha256:} + hex of {@code enc(content id) ‖ enc(name) ‖ enc(JSON value)} for each extra
 *     field in order ({@code enc} as in {@link Manifests}), so that every change of content or of
 *     extra fields changes the entry; null for an example whose id is its content hash and that has
 *     no extra fields (then the id covers everything)
 */
public record ManifestEntry(long position, String id, String label, String source, String digest) {
  /**
   * @throws IllegalArgumentException if {@code position} is negative
   * @throws NullPointerException if {@code id} or {@code label} is null
   */
  public ManifestEntry {
    if (position < 0) {
      throw new IllegalArgumentException("position " + position + " is negative");
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
  }

  /** An entry without a digest: the example's id is its content hash and it has no extra fields. */
  public ManifestEntry(long position, String id, String label, String source) {
    this(position, id, label, source, null);
  }

  /** True when id, label, source and digest are equal; the position is not compared. */
  public boolean sameContent(ManifestEntry other) {
    return id.equals(other.id)
        && label.equals(other.label)
        && Objects.equals(source, other.source)
        && Objects.equals(digest, other.digest);
  }
}
