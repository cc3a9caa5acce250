package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * A detector or attributor on one study point: how well its flags (an attributor's top 1.5 × poison
 * count) match the poisons, and the model retrained without them.
 *
 * @param name the method
 * @param options its options from the recipe; not written when empty
 * @param behavior attributors: triggered test inputs explained; null (not written) for detectors
 * @param poisonRecallAtK attributors: share of the poisons among the top k; null (not written) for
 *     detectors
 * @param flagged examples flagged
 * @param precision share of the flags that are poisons
 * @param recall share of the poisons flagged
 * @param auroc area under the ROC curve of the scores; null when undefined (always written)
 * @param recallAt15x recall among the top 1.5 × poison-count scores
 * @param afterPurge the flags purged and the model retrained
 */
@JsonPropertyOrder({
  "name",
  "options",
  "behavior",
  "poison_recall_at_k",
  "flagged",
  "precision",
  "recall",
  "auroc",
  "recall_at_1_5x",
  "after_purge"
})
public record MethodResult(
    String name,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> options,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer behavior,
    @JsonProperty("poison_recall_at_k") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double poisonRecallAtK,
    int flagged,
    double precision,
    double recall,
    Double auroc,
    @JsonProperty("recall_at_1_5x") double recallAt15x,
    @JsonProperty("after_purge") StudyPurge afterPurge) {}
