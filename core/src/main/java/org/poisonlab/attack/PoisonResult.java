package org.poisonlab.attack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.poisonlab.data.Dataset;

/**
 * What an attack produced.
 *
 * @param poisoned the poisoned training set
 * @param spec what was done, as a JSON-ready map (strings, numbers, booleans, lists, maps, nulls):
 *     at least {@code kind}, {@code variant}, {@code budget} ({@code count} and {@code rate}),
 *     {@code trigger}, {@code target}, {@code seed} and {@code sources}; copied, unmodifiable, in
 *     the given order
 * @param ids ids of the poisoned examples in {@code poisoned}, in the order they appear there;
 *     copied, unmodifiable
 */
public record PoisonResult(Dataset poisoned, Map<String, Object> spec, List<String> ids) {
  public PoisonResult {
    Objects.requireNonNull(poisoned, "poisoned");
    spec = Collections.unmodifiableMap(new LinkedHashMap<>(spec));
    ids = List.copyOf(ids);
  }
}
