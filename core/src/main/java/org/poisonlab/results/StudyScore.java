package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A model of a study on the test set.
 *
 * @param accuracy clean accuracy
 * @param rate the attack success rate for a targeted attack; null (not written) when untargeted
 * @param accuracyDrop the clean model's accuracy minus this one; null (not written) for the clean
 *     model
 */
@JsonPropertyOrder({"accuracy", "rate", "accuracy_drop"})
public record StudyScore(
    double accuracy,
    @JsonUnwrapped TargetedRate rate,
    @JsonProperty("accuracy_drop") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double accuracyDrop) {}
