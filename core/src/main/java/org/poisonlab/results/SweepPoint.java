package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One budget of a row's sweep, measured.
 *
 * @param count poisons placed
 * @param rate share of the training set
 * @param accuracy the poisoned model's clean accuracy
 * @param attackSuccessRate its attack success rate; null (not written) when untargeted
 * @param accuracyDrop the clean model's accuracy minus the poisoned one's
 * @param pValue McNemar's p-value against the clean model
 * @param detectedByEval p below 0.01 with an accuracy drop
 */
@JsonPropertyOrder({
  "count",
  "rate",
  "accuracy",
  "attack_success_rate",
  "accuracy_drop",
  "p_value",
  "detected_by_eval"
})
public record SweepPoint(
    int count,
    double rate,
    double accuracy,
    @JsonProperty("attack_success_rate") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double attackSuccessRate,
    @JsonProperty("accuracy_drop") double accuracyDrop,
    @JsonProperty("p_value") double pValue,
    @JsonProperty("detected_by_eval") boolean detectedByEval) {}
