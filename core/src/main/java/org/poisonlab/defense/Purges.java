package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleSource;

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
   * Which examples a purge keeps, decided in a pass before the one that writes them: so a purge of
   * a source larger than memory reads it twice, holding only the flagged ids and per-source counts.
   *
   * @param removedSources for purge by source, the removed sources, by p-value then name; empty for
   *     purge by example
   * @param testedSources for purge by source, the number of sources tested (the Bonferroni m)
   * @param flaggedIds how many distinct ids were flagged
   * @param flaggedFound how many examples of the set carry a flagged id: fewer than {@code
   *     flaggedIds} when the flags name examples the set does not have (flags of another set)
   */
  public record Plan(
      Predicate<Example> keeps,
      List<RemovedSource> removedSources,
      int testedSources,
      int flaggedIds,
      long flaggedFound) {
    public Plan {
      removedSources = List.copyOf(removedSources);
    }

    /** This plan applied to {@code train} in memory. */
    public PurgeResult apply(Dataset train) {
      List<Example> kept = new ArrayList<>(train.size());
      for (Example e : train) {
        if (keeps.test(e)) {
          kept.add(e);
        }
      }
      return new PurgeResult(
          train.withExamples(kept), train.size() - kept.size(), removedSources, testedSources);
    }
  }

  /**
   * Removes every example whose id is flagged.
   *
   * @param train not modified
   * @param flaggedIds not modified; ids absent from {@code train} are ignored
   */
  public static PurgeResult byExample(Dataset train, Collection<String> flaggedIds) {
    return planByExample(train, flaggedIds).apply(train);
  }

  /**
   * The plan that removes every example whose id is flagged: one pass over {@code train} to count
   * the flagged ids it holds.
   *
   * @throws org.poisonlab.io.BadInputException for a bad record of {@code train}
   */
  public static Plan planByExample(ExampleSource train, Collection<String> flaggedIds) {
    Set<String> flagged = new HashSet<>(flaggedIds);
    long[] found = new long[1];
    if (!flagged.isEmpty()) {
      train.forEach(e -> found[0] += flagged.contains(e.id()) ? 1 : 0);
    }
    return new Plan(e -> !flagged.contains(e.id()), List.of(), 0, flagged.size(), found[0]);
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
    return planBySource(train, flaggedIds, alpha).apply(train);
  }

  /**
   * The plan that removes the sources whose flagged share is significantly above the base rate: one
   * pass over {@code train} to count flags per source (memory grows with the number of sources, not
   * of examples).
   *
   * @throws IllegalArgumentException if {@code alpha} is not in (0, 1)
   * @throws org.poisonlab.io.BadInputException for a bad record of {@code train}
   */
  public static Plan planBySource(
      ExampleSource train, Collection<String> flaggedIds, double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha " + alpha + " is not in (0, 1)");
    }
    Set<String> flagged = new HashSet<>(flaggedIds);
    Map<String, int[]> counts = new TreeMap<>();
    long[] totals = new long[2]; // flagged, all
    train.forEach(
        e -> {
          boolean f = flagged.contains(e.id());
          totals[0] += f ? 1 : 0;
          totals[1]++;
          if (e.source() != null) {
            int[] c = counts.computeIfAbsent(e.source(), k -> new int[2]);
            c[0] += f ? 1 : 0;
            c[1]++;
          }
        });
    List<RemovedSource> removed = suspiciousSources(counts, totals[0], totals[1], alpha);
    Set<String> removedNames = new HashSet<>();
    for (RemovedSource r : removed) {
      removedNames.add(r.source());
    }
    return new Plan(
        e -> e.source() == null || !removedNames.contains(e.source()),
        removed,
        counts.size(),
        flagged.size(),
        totals[0]);
  }

  /**
   * The sources whose flagged share is significantly above the base rate {@code flagged / total}:
   * one-sided binomial tail per source, Bonferroni over the sources; most significant first.
   *
   * @param counts per source, {flagged, all}; not modified
   */
  public static List<RemovedSource> suspiciousSources(
      Map<String, int[]> counts, long flagged, long total, double alpha) {
    double base = total == 0 ? 0 : (double) flagged / total;
    int m = counts.size();
    List<RemovedSource> removed = new ArrayList<>();
    for (Map.Entry<String, int[]> s : counts.entrySet()) {
      int k = s.getValue()[0];
      int n = s.getValue()[1];
      double p = Math.exp(Binomial.logUpperTail(k, n, base));
      if (k > 0 && p < alpha / m) {
        removed.add(new RemovedSource(s.getKey(), k, n, p));
      }
    }
    removed.sort(
        Comparator.comparingDouble(RemovedSource::pValue).thenComparing(RemovedSource::source));
    return removed;
  }
}
