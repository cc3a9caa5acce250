package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A source and how many of its examples were flagged (or removed).
 *
 * @param source the source
 * @param flagged its flagged examples
 * @param total its examples
 * @param pValue the binomial p-value of that many flags, where a purge by source tested it; null
 *     (not written) otherwise
 */
@JsonPropertyOrder({"source", "flagged", "total", "p_value"})
public record SourceFlags(
    String source,
    int flagged,
    int total,
    @JsonProperty("p_value") @JsonInclude(JsonInclude.Include.NON_NULL) Double pValue) {}
