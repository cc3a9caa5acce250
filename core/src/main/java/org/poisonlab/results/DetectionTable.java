package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The demo's {@code detection.json}: the same seed gives the same bytes (the detectors' seconds are
 * kept for the text table only, and the row's scan and purge times go to {@code run.json}).
 *
 * @param seed the one seed
 * @param quick whether this was the quick demo
 * @param bestRule how the best detector of a row is chosen
 * @param quickSkips the detectors the quick demo leaves out; null (not written) for the full demo
 * @param rows one row per scanned table row, in table order
 */
@JsonPropertyOrder({"seed", "quick", "best_rule", "quick_skips", "rows"})
public record DetectionTable(
    long seed,
    boolean quick,
    @JsonProperty("best_rule") String bestRule,
    @JsonProperty("quick_skips") @JsonInclude(JsonInclude.Include.NON_NULL) String quickSkips,
    List<DetectionRow> rows) {}
