package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a purge by source removed, and, after retraining, what is left of the attack.
 *
 * @param testedSources sources tested
 * @param removedSources sources removed
 * @param removed examples removed
 * @param removedPoisons poisons among them
 * @param poisonsRemovedShare share of the poisons removed
 * @param cleanRemovedShare share of the clean examples removed
 * @param accuracy the retrained model's accuracy; null (not written) when not retrained
 * @param attackSuccessRate its attack success rate; null (not written) when untargeted or not
 *     retrained
 * @param sources the removed sources; null (not written) when not listed
 */
@JsonPropertyOrder({
  "tested_sources",
  "removed_sources",
  "removed",
  "removed_poisons",
  "poisons_removed_share",
  "clean_removed_share",
  "accuracy",
  "attack_success_rate",
  "sources"
})
public record SourcePurge(
    @JsonProperty("tested_sources") int testedSources,
    @JsonProperty("removed_sources") int removedSources,
    int removed,
    @JsonProperty("removed_poisons") int removedPoisons,
    @JsonProperty("poisons_removed_share") double poisonsRemovedShare,
    @JsonProperty("clean_removed_share") double cleanRemovedShare,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double accuracy,
    @JsonProperty("attack_success_rate") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double attackSuccessRate,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<SourceFlags> sources) {

  /** This purge with the retrained model's score and the removed sources. */
  public SourcePurge retrained(Score score, List<SourceFlags> removedList) {
    return new SourcePurge(
        testedSources,
        removedSources,
        removed,
        removedPoisons,
        poisonsRemovedShare,
        cleanRemovedShare,
        score.accuracy(),
        score.attackSuccessRate(),
        removedList);
  }
}
