package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonCreator;
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
    @JsonUnwrapped @JsonProperty(access = JsonProperty.Access.READ_ONLY) FlipRecovery recovery,
    @JsonProperty("by_source") @JsonInclude(JsonInclude.Include.NON_NULL) SourcePurge bySource) {

  /** The record's own constructor; JSON is read through {@link #read}. */
  @JsonCreator(mode = JsonCreator.Mode.DISABLED)
  public AfterPurge {}

  /**
   * Reads a purge back from its JSON: the recovery's fields sit inline, so it is rebuilt from them
   * (present when {@code poisoned_accuracy} is).
   */
  @JsonCreator
  static AfterPurge read(
      @JsonProperty("accuracy") Double accuracy,
      @JsonProperty("attack_success_rate") Double attackSuccessRate,
      @JsonProperty("removed") int removed,
      @JsonProperty("removed_poisons") int removedPoisons,
      @JsonProperty("poisoned_accuracy") Double poisonedAccuracy,
      @JsonProperty("accuracy_lost") Double accuracyLost,
      @JsonProperty("accuracy_won_back") Double accuracyWonBack,
      @JsonProperty("by_source") SourcePurge bySource) {
    FlipRecovery r =
        poisonedAccuracy == null
            ? null
            : new FlipRecovery(
                poisonedAccuracy,
                accuracyLost == null ? Double.NaN : accuracyLost,
                accuracyWonBack);
    return new AfterPurge(accuracy, attackSuccessRate, removed, removedPoisons, r, bySource);
  }

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
