package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * For an untargeted attack, what retraining on the purged set won back.
 *
 * @param poisonedAccuracy the poisoned model's accuracy
 * @param accuracyLost the clean model's accuracy minus the poisoned one's
 * @param accuracyWonBack the share of the lost accuracy the retrained model regained; null when
 *     nothing was lost (always written)
 */
@JsonPropertyOrder({"poisoned_accuracy", "accuracy_lost", "accuracy_won_back"})
public record FlipRecovery(
    @JsonProperty("poisoned_accuracy") double poisonedAccuracy,
    @JsonProperty("accuracy_lost") double accuracyLost,
    @JsonProperty("accuracy_won_back") Double accuracyWonBack) {}
