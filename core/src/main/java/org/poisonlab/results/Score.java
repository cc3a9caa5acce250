package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A model on the test set.
 *
 * @param accuracy clean accuracy, or null when there was no model to evaluate (always written)
 * @param attackSuccessRate share of triggered non-target inputs classified as the target; null (and
 *     not written) for an untargeted attack
 * @param accuracyDrop clean accuracy minus this accuracy; null (not written) where not reported
 */
@JsonPropertyOrder({"accuracy", "attack_success_rate", "accuracy_drop"})
public record Score(
    Double accuracy,
    @JsonProperty("attack_success_rate") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double attackSuccessRate,
    @JsonProperty("accuracy_drop") @JsonInclude(JsonInclude.Include.NON_NULL) Double accuracyDrop) {

  /** The score with {@code drop} as its accuracy drop. */
  public Score withAccuracyDrop(double drop) {
    return new Score(accuracy, attackSuccessRate, drop);
  }
}
