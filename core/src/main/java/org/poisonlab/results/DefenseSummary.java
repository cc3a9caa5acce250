package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The best detector on a row's poisoned set (docs/metrics.md for every measure).
 *
 * @param name the detector
 * @param precision share of its flags that are poisons
 * @param recall share of the poisons it flagged
 * @param auroc area under the ROC curve of its scores; null when undefined (always written)
 * @param recallAt15x recall among the top 1.5 × poison-count scores
 * @param f1 harmonic mean of precision and recall
 * @param flagged how many examples it flagged
 * @param budget the poison budget of the row
 * @param detectorsRun how many detectors scanned the set
 * @param chosenBy the rule that picked the best detector
 */
@JsonPropertyOrder({
  "name",
  "precision",
  "recall",
  "auroc",
  "recall_at_1_5x",
  "f1",
  "flagged",
  "budget",
  "detectors_run",
  "chosen_by"
})
public record DefenseSummary(
    String name,
    double precision,
    double recall,
    Double auroc,
    @JsonProperty("recall_at_1_5x") double recallAt15x,
    double f1,
    int flagged,
    BudgetShare budget,
    @JsonProperty("detectors_run") int detectorsRun,
    @JsonProperty("chosen_by") String chosenBy) {}
