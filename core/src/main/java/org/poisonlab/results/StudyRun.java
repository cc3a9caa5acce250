package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * One point of a study: a seed, a dataset, an attack at one budget, and every method on it.
 *
 * @param seed the run seed
 * @param dataset the dataset's name in the recipe
 * @param attack the attack as it describes itself (kind and parameters)
 * @param budget the poisons placed and the budget asked for
 * @param clean the clean model
 * @param poisoned the poisoned model
 * @param detectableByEval McNemar's test of the poisoned against the clean model
 * @param detectors every detector of the recipe, in recipe order
 * @param attributors every attributor of the recipe, in recipe order
 */
@JsonPropertyOrder({
  "seed",
  "dataset",
  "attack",
  "budget",
  "clean",
  "poisoned",
  "detectable_by_eval",
  "detectors",
  "attributors"
})
public record StudyRun(
    long seed,
    String dataset,
    Map<String, Object> attack,
    StudyBudget budget,
    StudyScore clean,
    StudyScore poisoned,
    @JsonProperty("detectable_by_eval") EvalVerdict detectableByEval,
    List<MethodResult> detectors,
    List<MethodResult> attributors) {

  /**
   * A study point's budget.
   *
   * @param count poisons placed
   * @param rate share of the training set
   * @param asked the budget as the recipe gave it
   */
  @JsonPropertyOrder({"count", "rate", "asked"})
  public record StudyBudget(int count, double rate, Map<String, Number> asked) {}
}
