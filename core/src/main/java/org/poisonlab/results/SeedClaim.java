package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the seed's table claims for an attack; for an attack not in that table only a note.
 *
 * @param budget the claimed budget, or null (not written)
 * @param detectableByEval the claimed detectability, or null (not written)
 * @param knownDefense the claimed known defense, or null (not written)
 * @param note why there is no claim, or null (not written)
 */
@JsonPropertyOrder({"budget", "detectable_by_eval", "known_defense", "note"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeedClaim(
    String budget,
    @JsonProperty("detectable_by_eval") String detectableByEval,
    @JsonProperty("known_defense") String knownDefense,
    String note) {}
