package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One row of the demo's detection table: every detector on the row's poisoned set.
 *
 * @param attack the attack
 * @param dataset the dataset
 * @param model the model family
 * @param budget the poison budget
 * @param poisons poisons in the set
 * @param examples examples in the set
 * @param best the detector whose flags were purged
 * @param detectors every detector that ran, in registry order
 * @param combined the combination of their scores
 * @param scanFile the row's scan file in the run folder; null when none was written
 */
@JsonPropertyOrder({
  "attack",
  "dataset",
  "model",
  "budget",
  "poisons",
  "examples",
  "best",
  "detectors",
  "combined",
  "scan_file"
})
public record DetectionRow(
    String attack,
    String dataset,
    String model,
    BudgetShare budget,
    int poisons,
    int examples,
    String best,
    List<DetectorScore> detectors,
    DetectorScore combined,
    @JsonProperty("scan_file") String scanFile) {}
