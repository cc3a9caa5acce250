package org.poisonlab.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.poisonlab.provenance.ManifestVerification.SignatureStatus;

/**
 * What {@link ShardedManifests#verify} found.
 *
 * @param dataset the dataset's name in the top manifest
 * @param expectedCount the top manifest's total example count
 * @param actualCount the examples in the shards as given
 * @param expectedRoot the top root as stated
 * @param actualRoot the top root of the shards as given, in the order given
 * @param manifestIntact true when the top manifest's shard list hashes to its stated root and its
 *     counts add up to its stated count
 * @param signature the outcome of the signature check of the top manifest
 * @param shards one result per recorded shard, in recorded order, then the added ones; unmodifiable
 */
public record ShardedVerification(
    String dataset,
    long expectedCount,
    long actualCount,
    String expectedRoot,
    String actualRoot,
    boolean manifestIntact,
    SignatureStatus signature,
    List<ShardResult> shards) {

  /** What became of one shard. */
  public enum ShardStatus {
    /** The shard matches its manifest, which is the one the top manifest records. */
    OK,
    /** The shard's examples differ from its manifest ({@code verification} names them). */
    CHANGED,
    /**
     * The shard's manifest file is not the one the top manifest records (its root or count differ,
     * or its entries do not hash to its own root): the file was edited or swapped.
     */
    MANIFEST_EDITED,
    /** The top manifest records the shard but it was not given. */
    MISSING,
    /** The shard was given but the top manifest does not record it. */
    ADDED
  }

  /**
   * One shard's outcome.
   *
   * @param position its recorded position, or for an added shard its place in this list
   * @param name its name
   * @param status what became of it
   * @param recorded what the top manifest records of it, or null for an added shard
   * @param actualRoot the root of its examples as given, or null for a missing shard
   * @param actualCount its examples as given (0 for a missing shard)
   * @param verification the check against its manifest, or null for a missing or added shard
   */
  public record ShardResult(
      long position,
      String name,
      ShardStatus status,
      ShardedManifests.ShardEntry recorded,
      String actualRoot,
      long actualCount,
      ManifestVerification verification) {
    public ShardResult {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
    }
  }

  public ShardedVerification {
    shards = List.copyOf(shards);
  }

  /** True when the shards' top root equals the stated one. */
  public boolean rootMatches() {
    return expectedRoot.equals(actualRoot);
  }

  /**
   * True when the top manifest is intact, its signature check did not fail, the top root and count
   * match, and every shard is {@link ShardStatus#OK}.
   */
  public boolean ok() {
    return manifestIntact
        && !signature.fails()
        && rootMatches()
        && expectedCount == actualCount
        && shards.stream().allMatch(s -> s.status() == ShardStatus.OK);
  }

  /** The number of shards with a status. */
  public long count(ShardStatus status) {
    return shards.stream().filter(s -> s.status() == status).count();
  }

  /**
   * As {@code provenance verify --json} prints it: {@code ok}, {@code dataset}, {@code count},
   * {@code root}, {@code manifest_intact}, {@code signature}, and {@code shards}, each {@code
   * {position, shard, status, count, root, verification}} where {@code verification} is the shard's
   * {@link ManifestVerification#asJson()} (null for a missing or added shard).
   */
  public Report asJson() {
    List<ShardJson> out = new ArrayList<>(shards.size());
    for (ShardResult s : shards) {
      String recordedRoot = s.recorded() == null ? null : s.recorded().root();
      out.add(
          new ShardJson(
              s.position(),
              s.name(),
              s.status().name().toLowerCase(Locale.ROOT),
              new ManifestVerification.Counts(
                  s.recorded() == null ? 0 : s.recorded().count(), s.actualCount()),
              new ManifestVerification.Roots(
                  recordedRoot, s.actualRoot(), Objects.equals(recordedRoot, s.actualRoot())),
              s.verification() == null ? null : s.verification().asJson()));
    }
    return new Report(
        ok(),
        dataset,
        new ManifestVerification.Counts(expectedCount, actualCount),
        new ManifestVerification.Roots(expectedRoot, actualRoot, rootMatches()),
        manifestIntact,
        signature.name().toLowerCase(Locale.ROOT),
        out);
  }

  /** A sharded verification as JSON; the components are its fields, in this order. */
  @JsonPropertyOrder({"ok", "dataset", "count", "root", "manifest_intact", "signature", "shards"})
  public record Report(
      boolean ok,
      String dataset,
      ManifestVerification.Counts count,
      ManifestVerification.Roots root,
      @JsonProperty("manifest_intact") boolean manifestIntact,
      String signature,
      List<ShardJson> shards) {}

  /** One shard as JSON. */
  @JsonPropertyOrder({"position", "shard", "status", "count", "root", "verification"})
  public record ShardJson(
      long position,
      String shard,
      String status,
      ManifestVerification.Counts count,
      ManifestVerification.Roots root,
      ManifestVerification.Report verification) {}
}
