package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A defense on a row's poisoned set (docs/metrics.md for every measure): the default scan's flags
 * (a row's {@code defense}, chosen without the truth) or the detector the truth shows was best (its
 * {@code defense_hindsight}, a reference).
 *
 * @param name the detector, or for the default scan the detectors whose findings held ({@code
 *     "none"} when nothing was significant)
 * @param precision share of its flags that are poisons
 * @param recall share of the poisons it flagged
 * @param auroc area under the ROC curve of its scores; null when undefined (always written)
 * @param recallAt15x recall among the top 1.5 × poison-count scores
 * @param f1 harmonic mean of precision and recall
 * @param flagged how many examples it flagged
 * @param budget the poison budget of the row
 * @param detectorsRun how many detectors scanned the set
 * @param chosenBy the rule that picked the detector
 * @param verdict the default scan's verdict; null (and left out) for the hindsight choice
 * @param afterPurge the hindsight choice's flags purged and the model retrained; null (and left
 *     out) for the default scan, whose purge is the row's {@code after_purge}
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
  "chosen_by",
  "verdict",
  "after_purge"
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
    @JsonProperty("chosen_by") String chosenBy,
    @JsonInclude(JsonInclude.Include.NON_NULL) String verdict,
    @JsonProperty("after_purge") @JsonInclude(JsonInclude.Include.NON_NULL) AfterPurge afterPurge) {
  /** This summary with the purge of its flags. */
  public DefenseSummary withAfterPurge(AfterPurge a) {
    return new DefenseSummary(
        name,
        precision,
        recall,
        auroc,
        recallAt15x,
        f1,
        flagged,
        budget,
        detectorsRun,
        chosenBy,
        verdict,
        a);
  }
}
