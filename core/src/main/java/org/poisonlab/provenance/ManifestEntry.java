package org.poisonlab.provenance;

import java.util.Objects;

/**
 * One example as a manifest records it.
 *
 * @param position 0-based position in the dataset
 * @param id the example's content id ({@code sha256:...})
 * @param label the class name
 * @param source the source, or null when the example has none
 */
public record ManifestEntry(long position, String id, String label, String source) {
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

  /** True when id, label and source are equal; the position is not compared. */
  public boolean sameContent(ManifestEntry other) {
    return id.equals(other.id) && label.equals(other.label) && Objects.equals(source, other.source);
  }
}
