package org.poisonlab.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  public Report asJson() {
    List<ChangeJson> details = new ArrayList<>();
    for (Change c : changes) {
      details.add(
          new ChangeJson(
              c.kind().name().toLowerCase(Locale.ROOT),
              c.expected() == null ? null : c.expected().position(),
              c.actual() == null ? null : c.actual().position(),
              c.fields(),
              EntryJson.of(c.expected()),
              EntryJson.of(c.actual())));
    }
    return new Report(
        ok(),
        dataset,
        new Counts(expectedCount, actualCount),
        new Roots(expectedRoot, actualRoot, rootMatches()),
        manifestIntact,
        signature.name().toLowerCase(Locale.ROOT),
        new ChangeCounts(
            count(ChangeKind.CHANGED),
            count(ChangeKind.ADDED),
            count(ChangeKind.REMOVED),
            count(ChangeKind.MOVED)),
        details);
  }

  /**
   * A verification as JSON; the components are the fields, in this order (see {@link #asJson()}).
   *
   * @param ok the verdict ({@link ManifestVerification#ok()})
   * @param dataset the dataset's name
   * @param count the manifest's and the dataset's example counts
   * @param root the two roots and whether they match
   * @param manifestIntact {@code manifest_intact}
   * @param signature the signature status, lower case
   * @param changes the number of changes of each kind
   * @param details every change, in order
   */
  @JsonPropertyOrder({
    "ok",
    "dataset",
    "count",
    "root",
    "manifest_intact",
    "signature",
    "changes",
    "details"
  })
  public record Report(
      boolean ok,
      String dataset,
      Counts count,
      Roots root,
      @JsonProperty("manifest_intact") boolean manifestIntact,
      String signature,
      ChangeCounts changes,
      List<ChangeJson> details) {}

  /** The manifest's and the dataset's example counts. */
  public record Counts(long manifest, long dataset) {}

  /** The manifest's and the dataset's roots, and whether they match. */
  public record Roots(String manifest, String dataset, boolean match) {}

  /** The number of changes of each kind, in {@link ChangeKind} order. */
  public record ChangeCounts(long changed, long added, long removed, long moved) {}

  /**
   * One change as JSON.
   *
   * @param kind the kind, lower case
   * @param position the recorded position, or null for an added example
   * @param newPosition {@code new_position}: the current position, or null for a removed entry
   * @param fields the fields that differ
   * @param expected the manifest's entry, or null
   * @param actual the dataset's entry, or null
   */
  @JsonPropertyOrder({"kind", "position", "new_position", "fields", "expected", "actual"})
  public record ChangeJson(
      String kind,
      Long position,
      @JsonProperty("new_position") Long newPosition,
      List<String> fields,
      EntryJson expected,
      EntryJson actual) {}

  /** An entry's id, label and source. */
  public record EntryJson(String id, String label, String source) {
    static EntryJson of(ManifestEntry e) {
      return e == null ? null : new EntryJson(e.id(), e.label(), e.source());
    }
  }
}
