package org.poisonlab.provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Manifests#verify} found when it compared a dataset with a manifest.
 *
 * @param dataset the name of the dataset that was checked
 * @param expectedCount the manifest's entry count
 * @param actualCount the dataset's example count
 * @param expectedRoot the root stated in the manifest
 * @param actualRoot the root of the dataset as it is now
 * @param manifestIntact true when the manifest's own entries hash to its stated root and their
 *     number is its stated count (false means the manifest file itself was edited)
 * @param signature what became of the signature check
 * @param changes every difference, ordered by the dataset position of the example concerned (a
 *     removed entry by its recorded position), then by kind; unmodifiable
 */
public record ManifestVerification(
    String dataset,
    long expectedCount,
    long actualCount,
    String expectedRoot,
    String actualRoot,
    boolean manifestIntact,
    SignatureStatus signature,
    List<Change> changes) {

  /** The outcome of the signature check. */
  public enum SignatureStatus {
    /** A key was given and the signature is valid for it. */
    VALID,
    /** A key was given and the signature does not verify under it (wrong key or tampering). */
    INVALID,
    /** A key was given but the manifest is not signed. */
    MISSING,
    /** The manifest is signed but no key was given, so the signature was not checked. */
    NOT_CHECKED,
    /** Neither a key nor a signature. */
    UNSIGNED;

    /** True for the outcomes that fail verification ({@link #INVALID}, {@link #MISSING}). */
    public boolean fails() {
      return this == INVALID || this == MISSING;
    }
  }

  /** The kinds of difference between a manifest and a dataset. */
  public enum ChangeKind {
    /** The entry at a slot has another id, label or source. */
    CHANGED,
    /** The dataset has an example the manifest does not. */
    ADDED,
    /** The manifest has an entry the dataset no longer has. */
    REMOVED,
    /** The same example (same id) now sits out of its recorded order. */
    MOVED
  }

  /**
   * One difference.
   *
   * @param kind what happened
   * @param expected the manifest's entry (its position is the recorded one), or null for {@link
   *     ChangeKind#ADDED}
   * @param actual the dataset's example as an entry (its position is the current one), or null for
   *     {@link ChangeKind#REMOVED}
   * @param fields the fields that differ among {@code id}, {@code label}, {@code source} and {@code
   *     content} (the entries' digests: the content under an id that is not its hash, or the extra
   *     fields; see {@link ManifestEntry#digest}): for {@code CHANGED} at least one; for {@code
   *     MOVED} possibly {@code label}/{@code source}; empty otherwise; unmodifiable
   */
  public record Change(
      ChangeKind kind, ManifestEntry expected, ManifestEntry actual, List<String> fields) {
    /**
     * @throws NullPointerException if {@code kind} or {@code fields} is null
     */
    public Change {
      Objects.requireNonNull(kind, "kind");
      fields = List.copyOf(fields);
    }
  }

  /**
   * @throws NullPointerException if a reference component is null
   */
  public ManifestVerification {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(expectedRoot, "expectedRoot");
    Objects.requireNonNull(actualRoot, "actualRoot");
    Objects.requireNonNull(signature, "signature");
    changes = List.copyOf(changes);
  }

  /** True when the dataset's root equals the manifest's stated root. */
  public boolean rootMatches() {
    return expectedRoot.equals(actualRoot);
  }

  /** The number of changes of one kind. */
  public long count(ChangeKind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }

  /**
   * True when the dataset matches the manifest exactly, the manifest is intact, and the signature
   * check did not fail.
   */
  public boolean ok() {
    return manifestIntact
        && rootMatches()
        && expectedCount == actualCount
        && changes.isEmpty()
        && !signature.fails();
  }

  /**
   * This verification as {@code provenance verify --json} prints it and the report reads it: {@code
   * ok}, {@code dataset}, {@code count}, {@code root}, {@code manifest_intact}, {@code signature},
   * {@code changes} (counts by kind) and {@code details} (every change with its positions,
   * differing fields and the two entries' id, label and source).
   */
  public Map<String, Object> asJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", ok());
    m.put("dataset", dataset);
    Map<String, Object> count = new LinkedHashMap<>();
    count.put("manifest", expectedCount);
    count.put("dataset", actualCount);
    m.put("count", count);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("manifest", expectedRoot);
    root.put("dataset", actualRoot);
    root.put("match", rootMatches());
    m.put("root", root);
    m.put("manifest_intact", manifestIntact);
    m.put("signature", signature.name().toLowerCase(Locale.ROOT));
    Map<String, Object> counts = new LinkedHashMap<>();
    for (ChangeKind k : ChangeKind.values()) {
      counts.put(k.name().toLowerCase(Locale.ROOT), count(k));
    }
    m.put("changes", counts);
    List<Map<String, Object>> details = new ArrayList<>();
    for (Change c : changes) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
      x.put("position", c.expected() == null ? null : c.expected().position());
      x.put("new_position", c.actual() == null ? null : c.actual().position());
      x.put("fields", c.fields());
      x.put("expected", c.expected() == null ? null : entryJson(c.expected()));
      x.put("actual", c.actual() == null ? null : entryJson(c.actual()));
      details.add(x);
    }
    m.put("details", details);
    return m;
  }

  private static Map<String, Object> entryJson(ManifestEntry e) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("id", e.id());
    x.put("label", e.label());
    x.put("source", e.source());
    return x;
  }
}
