package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/**
 * Removing what a scan or trace flagged: single examples, or whole sources.
 *
 * <p>By source, a source is removed when its flagged share is improbably high against the base
 * rate: with {@code p} the share of flagged examples in the whole set, a source with {@code k} of
 * its {@code n} examples flagged has p-value {@code P(Bin(n, p) ≥ k)} (one-sided binomial test),
 * and is removed when that is below {@code alpha / m}, Bonferroni over the {@code m} named sources.
 * Examples without a source are never removed by source.
 */
public final class Purges {
  /** The significance level of purge by source. */
  public static final double ALPHA = 0.01;

  private Purges() {}

  /**
   * A removed source.
   *
   * @param pValue the one-sided binomial p-value of its flagged count
   */
  public record RemovedSource(String source, int flagged, int total, double pValue) {}

  /**
   * What a purge kept and removed.
   *
   * @param kept the remaining examples, in their original order, under the input's name
   * @param removed how many examples were removed
   * @param removedSources for purge by source, the removed sources, by p-value then name; empty for
   *     purge by example
   * @param testedSources for purge by source, the number of sources tested (the Bonferroni m)
   */
  public record PurgeResult(
      Dataset kept, int removed, List<RemovedSource> removedSources, int testedSources) {
    public PurgeResult {
      removedSources = List.copyOf(removedSources);
    }
  }

  /**
   * Removes every example whose id is flagged.
   *
   * @param train not modified
   * @param flaggedIds not modified; ids absent from {@code train} are ignored
   */
  public static PurgeResult byExample(Dataset train, Collection<String> flaggedIds) {
    Set<String> flagged = new HashSet<>(flaggedIds);
    List<Example> kept = new ArrayList<>(train.size());
    for (Example e : train) {
      if (!flagged.contains(e.id())) {
        kept.add(e);
      }
    }
    return new PurgeResult(train.withExamples(kept), train.size() - kept.size(), List.of(), 0);
  }

  /**
   * Removes the sources whose flagged share is significantly above the base rate (see the class
   * comment).
   *
   * @param train not modified
   * @param flaggedIds not modified; ids absent from {@code train} are ignored
   * @param alpha the family-wise significance level, in (0, 1)
   * @throws IllegalArgumentException if {@code alpha} is not in (0, 1)
   */
  public static PurgeResult bySource(Dataset train, Collection<String> flaggedIds, double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha " + alpha + " is not in (0, 1)");
    }
    Set<String> flagged = new HashSet<>(flaggedIds);
    Map<String, int[]> counts = new TreeMap<>();
    int flaggedTotal = 0;
    for (Example e : train) {
      boolean f = flagged.contains(e.id());
      flaggedTotal += f ? 1 : 0;
      if (e.source() != null) {
        int[] c = counts.computeIfAbsent(e.source(), k -> new int[2]);
        c[0] += f ? 1 : 0;
        c[1]++;
      }
    }
    double base = train.isEmpty() ? 0 : (double) flaggedTotal / train.size();
    int m = counts.size();
    List<RemovedSource> removed = new ArrayList<>();
    Set<String> removedNames = new HashSet<>();
    for (Map.Entry<String, int[]> s : counts.entrySet()) {
      int k = s.getValue()[0];
      int n = s.getValue()[1];
      double p = Math.exp(Binomial.logUpperTail(k, n, base));
      if (k > 0 && p < alpha / m) {
        removed.add(new RemovedSource(s.getKey(), k, n, p));
        removedNames.add(s.getKey());
      }
    }
    removed.sort(
        java.util.Comparator.comparingDouble(RemovedSource::pValue)
            .thenComparing(RemovedSource::source));
    List<Example> kept = new ArrayList<>(train.size());
    for (Example e : train) {
      if (e.source() == null || !removedNames.contains(e.source())) {
        kept.add(e);
      }
    }
    return new PurgeResult(train.withExamples(kept), train.size() - kept.size(), removed, m);
  }
}
