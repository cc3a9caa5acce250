package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A poison budget as placed.
 *
 * @param count how many training examples were poisoned
 * @param rate {@code count} over the training-set size, rounded to four decimals
 */
@JsonPropertyOrder({"count", "rate"})
public record BudgetShare(int count, double rate) {}
