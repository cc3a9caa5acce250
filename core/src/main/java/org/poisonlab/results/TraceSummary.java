package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A backdoor row traced to its poisons, the top of the trace purged and the model retrained.
 *
 * @param method the attribution method
 * @param behavior how many triggered test inputs were explained
 * @param recallAtK share of the poisons among the top k (k = poison count); null when k is 0
 * @param recallAt15x share of the poisons among the top 1.5 × k
 * @param precisionAt15x share of the top 1.5 × k that are poisons
 * @param auroc area under the ROC curve of the scores; null when undefined (always written)
 * @param topSources up to three sources with the most examples in the top 1.5 × k
 * @param afterPurge the top 1.5 × k purged
 * @param afterPurgeTopK the top k purged
 * @param chosenBy what was purged
 */
@JsonPropertyOrder({
  "method",
  "behavior",
  "recall_at_k",
  "recall_at_1_5x",
  "precision_at_1_5x",
  "auroc",
  "top_sources",
  "after_purge",
  "after_purge_top_k",
  "chosen_by"
})
public record TraceSummary(
    String method,
    int behavior,
    @JsonProperty("recall_at_k") Double recallAtK,
    @JsonProperty("recall_at_1_5x") double recallAt15x,
    @JsonProperty("precision_at_1_5x") double precisionAt15x,
    Double auroc,
    @JsonProperty("top_sources") List<SourceFlags> topSources,
    @JsonProperty("after_purge") AfterPurge afterPurge,
    @JsonProperty("after_purge_top_k") AfterPurge afterPurgeTopK,
    @JsonProperty("chosen_by") String chosenBy) {}
