package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Whether ordinary evaluation detects the poisoning: McNemar's test of the poisoned model's paired
 * predictions against the clean model's (docs/metrics.md).
 *
 * @param verdict true when the p-value is below 0.01 and accuracy dropped
 * @param pValue the exact two-sided p-value, rounded
 * @param test always {@code mcnemar}
 * @param b test inputs the clean model got right and the poisoned one wrong
 * @param c test inputs the poisoned model got right and the clean one wrong
 */
@JsonPropertyOrder({"verdict", "p_value", "test", "b", "c"})
public record EvalVerdict(
    boolean verdict, @JsonProperty("p_value") double pValue, String test, long b, long c) {}
