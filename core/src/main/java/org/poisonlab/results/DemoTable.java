package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The demo's {@code table.json}.
 *
 * @param seed the one seed
 * @param quick whether this was the quick demo
 * @param rows one row per attack and dataset, in table order
 */
@JsonPropertyOrder({"seed", "quick", "rows"})
public record DemoTable(long seed, boolean quick, List<TableRow> rows) {}
