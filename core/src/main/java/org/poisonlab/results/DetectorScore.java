package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A detector's flags and scores against the truth (docs/metrics.md).
 *
 * @param name the detector, or {@code combined}
 * @param flagged examples flagged
 * @param precision share of the flags that are poisons
 * @param recall share of the poisons flagged
 * @param f1 harmonic mean of precision and recall
 * @param auroc area under the ROC curve of the scores; null when undefined (always written)
 * @param recallAt15x recall among the top 1.5 × poison-count scores
 * @param seconds the scan's wall time, for the demo's text table; never written (the same seed
 *     gives the same {@code detection.json} bytes); null for the combination
 * @param bySource the flags purged by source; null (not written) for the combination
 */
@JsonPropertyOrder({
  "name",
  "flagged",
  "precision",
  "recall",
  "f1",
  "auroc",
  "recall_at_1_5x",
  "by_source"
})
public record DetectorScore(
    String name,
    int flagged,
    double precision,
    double recall,
    double f1,
    Double auroc,
    @JsonProperty("recall_at_1_5x") double recallAt15x,
    @JsonIgnore Double seconds,
    @JsonProperty("by_source") @JsonInclude(JsonInclude.Include.NON_NULL) SourcePurge bySource) {}
