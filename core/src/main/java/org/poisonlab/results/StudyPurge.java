package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A method's flags purged and the model retrained.
 *
 * @param removed examples removed
 * @param poisonsRemoved poisons among them
 * @param accuracy the retrained model's accuracy; null when the purge kept nothing (always written)
 * @param rate its attack success rate for a targeted attack; null (not written) otherwise
 */
@JsonPropertyOrder({"removed", "poisons_removed", "accuracy", "rate"})
public record StudyPurge(
    int removed,
    @JsonProperty("poisons_removed") int poisonsRemoved,
    Double accuracy,
    @JsonUnwrapped TargetedRate rate) {}
