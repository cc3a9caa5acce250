package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A purge and the model retrained without what it removed.
 *
 * @param accuracy the retrained model's accuracy; null when the purge kept nothing (always written)
 * @param attackSuccessRate its attack success rate; null (not written) when untargeted
 * @param removed examples removed
 * @param removedPoisons poisons among them
 * @param recovery for an untargeted attack, the accuracy won back (its fields written inline); null
 *     (not written) otherwise
 * @param bySource the same flags purged by source instead; null (not written) where not measured
 */
@JsonPropertyOrder({
  "accuracy",
  "attack_success_rate",
  "removed",
  "removed_poisons",
  "recovery",
  "by_source"
})
public record AfterPurge(
    Double accuracy,
    @JsonProperty("attack_success_rate") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double attackSuccessRate,
    int removed,
    @JsonProperty("removed_poisons") int removedPoisons,
    @JsonUnwrapped FlipRecovery recovery,
    @JsonProperty("by_source") @JsonInclude(JsonInclude.Include.NON_NULL) SourcePurge bySource) {

  /** A purge of {@code removed} examples ({@code removedPoisons} poisons) and its score. */
  public static AfterPurge of(Score score, int removed, int removedPoisons) {
    return new AfterPurge(
        score.accuracy(), score.attackSuccessRate(), removed, removedPoisons, null, null);
  }

  /** This purge with {@code r} as its recovery. */
  public AfterPurge withRecovery(FlipRecovery r) {
    return new AfterPurge(accuracy, attackSuccessRate, removed, removedPoisons, r, bySource);
  }

  /** This purge with {@code s} as its purge by source. */
  public AfterPurge withBySource(SourcePurge s) {
    return new AfterPurge(accuracy, attackSuccessRate, removed, removedPoisons, recovery, s);
  }
}
