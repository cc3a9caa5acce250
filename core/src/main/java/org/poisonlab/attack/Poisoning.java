package org.poisonlab.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

/** The steps every built-in attack shares: checks, victim choice, sources, the spec. */
final class Poisoning {
  private Poisoning() {}

  /**
   * Independent random streams of one attack run, split from the seed in a fixed order so that
   * changing how one of them is used leaves the others as they were.
   */
  record Streams(
      SplittableRandom victims,
      SplittableRandom payload,
      SplittableRandom assignment,
      SplittableRandom sourceNames,
      SplittableRandom phrase,
      SplittableRandom faintness) {
    static Streams of(long seed) {
      SplittableRandom root = new SplittableRandom(seed);
      return new Streams(
          root.split(), root.split(), root.split(), root.split(), root.split(), root.split());
    }
  }

  static void requireNonEmpty(Dataset clean, String kind) {
    if (clean.isEmpty()) {
      throw new BadInputException(kind + ": training set " + clean.name() + " is empty");
    }
  }

  static void requireLabel(Dataset clean, String label, String role) {
    if (label == null) {
      throw new BadInputException(role + " label is missing");
    }
    if (clean.labelIndex(label) < 0) {
      throw new BadInputException(
          role
              + " label '"
              + label
              + "' is not among the labels of "
              + clean.name()
              + ": "
              + clean.labels());
    }
  }

  /**
   * The trigger to use on {@code clean}: {@code given}, or the default (the phrase {@value
   * Trigger#DEFAULT_TEXT_PHRASE} for text, a 4x4 white patch in the bottom-right corner for
   * images), checked against the data.
   */
  static Trigger resolveTrigger(Trigger given, Dataset clean, String kind) {
    return resolveTrigger(given, null, clean, kind, null);
  }

  /**
   * As {@link #resolveTrigger(Trigger, Dataset, String)} for an attack bound to a trigger {@code
   * family} (null for none): a given trigger must be of that family, and without one the family's
   * default is drawn from {@code rng.phrase()}.
   */
  static Trigger resolveTrigger(
      Trigger given, String family, Dataset clean, String kind, Streams rng) {
    Trigger t = given;
    if (family != null && t != null && !t.family().equals(family)) {
      throw new BadInputException(
          kind
              + ": trigger '"
              + t.spec()
              + "' is a "
              + t.family()
              + " trigger; expected "
              + family
              + ":…");
    }
    if (t == null && family != null) {
      boolean image = ImageTrigger.FAMILIES.contains(family);
      if (image != (clean.kind() == Dataset.Kind.IMAGE)) {
        throw new BadInputException(
            kind
                + ": needs "
                + (image ? "image" : "text")
                + " data; "
                + clean.name()
                + " holds "
                + name(clean.kind()));
      }
      t =
          image
              ? ImageTrigger.defaultFor(family, rng.phrase())
              : TextPattern.defaultFor(family, rng.phrase());
    }
    if (t == null) {
      if (clean.kind() == Dataset.Kind.TEXT) {
        t = new Trigger.TextTrigger(Trigger.DEFAULT_TEXT_PHRASE);
      } else {
        int[] shape = clean.get(0).shape();
        if (shape.length != 2 || shape[0] < 4 || shape[1] < 4) {
          throw new BadInputException(
              kind
                  + ": no default patch for images of shape "
                  + Arrays.toString(shape)
                  + "; give a trigger patch:WxH@X,Y");
        }
        t = new Trigger.PatchTrigger(4, 4, shape[1] - 4, shape[0] - 4, 255);
      }
    }
    if (t.kind() != clean.kind()) {
      throw new BadInputException(
          kind
              + ": trigger '"
              + t.spec()
              + "' is for "
              + name(t.kind())
              + " data but "
              + clean.name()
              + " holds "
              + name(clean.kind()));
    }
    if (t instanceof Trigger.PatchTrigger p && !p.fits(clean.get(0).shape())) {
      throw new BadInputException(
          kind
              + ": trigger "
              + p.spec()
              + " does not fit the images of "
              + clean.name()
              + " of shape "
              + Arrays.toString(clean.get(0).shape()));
    }
    return t;
  }

  /** What a pool description adds for a trigger that applies only to some examples. */
  static String applies(Trigger t) {
    return t instanceof TextPattern.Synonym
        ? " holding at least two words of its synonym table"
        : "";
  }

  private static String name(Dataset.Kind k) {
    return k == Dataset.Kind.TEXT ? "text" : "image";
  }

  static int[] positions(Dataset d, Predicate<Example> keep) {
    int[] out = new int[d.size()];
    int n = 0;
    for (int i = 0; i < d.size(); i++) {
      if (keep.test(d.get(i))) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The number of victims, with the attack and the pool named when the budget is too large. */
  static int victimCount(Budget budget, int total, int candidates, String kind, String pool) {
    try {
      return budget.count(total, candidates);
    } catch (BadInputException e) {
      throw new BadInputException(kind + ": " + e.problem() + " (" + pool + ")");
    }
  }

  /**
   * {@code k} positions drawn uniformly without replacement from {@code candidates} (a partial
   * Fisher-Yates shuffle), sorted ascending. {@code candidates} is not modified.
   */
  static int[] chooseVictims(int[] candidates, int k, SplittableRandom rng) {
    int[] pool = candidates.clone();
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(pool.length - i);
      int tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    int[] chosen = Arrays.copyOf(pool, k);
    Arrays.sort(chosen);
    return chosen;
  }

  /**
   * {@code k} positions drawn from {@code candidates} by {@link Carriers#FAINT}, sorted ascending.
   * The candidates are shuffled uniformly (a full Fisher-Yates shuffle whose first {@code k} steps
   * are those of {@link #chooseVictims}). The faint pool is the candidates whose change is above 0
   * (the trigger shows at all) and below half the median change (element {@code n / 2} of the
   * sorted changes): where the trigger shows at under half its usual strength. Of {@code h = k /
   * 2}, each class {@code c} gets {@code floor(h n_c / n)} places ({@code n_c} its candidates),
   * filled by its pool members of smallest change, ties in shuffled order; the remaining places go
   * to the first others in shuffled order. When every change is equal the pool is empty and this is
   * the set {@link #chooseVictims} draws from the same stream.
   *
   * @param change each candidate's change, in the order of {@code candidates}
   * @param classes each candidate's class (a label index), in the same order
   */
  static int[] chooseFaint(
      int[] candidates, int k, SplittableRandom rng, double[] change, int[] classes) {
    int n = candidates.length;
    int[] shuffled = new int[n];
    for (int i = 0; i < n; i++) {
      shuffled[i] = i;
    }
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(n - i);
      int tmp = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = tmp;
    }
    boolean[] taken = new boolean[n];
    int[] chosen = new int[k];
    int c = 0;
    if (n > 0) {
      double[] sorted = change.clone();
      Arrays.sort(sorted);
      double median = sorted[n / 2];
      int classCount = Arrays.stream(classes).max().getAsInt() + 1;
      int[] perClass = new int[classCount];
      for (int cl : classes) {
        perClass[cl]++;
      }
      Integer[] pool =
          IntStream.range(0, n)
              .filter(r -> change[shuffled[r]] > 0 && change[shuffled[r]] < median / 2)
              .boxed()
              .toArray(Integer[]::new);
      Arrays.sort(pool, Comparator.comparingDouble(r -> change[shuffled[r]]));
      int[] quota = new int[classCount];
      for (int cl = 0; cl < classCount; cl++) {
        quota[cl] = (int) ((long) (k / 2) * perClass[cl] / n);
      }
      for (int r : pool) {
        int cl = classes[shuffled[r]];
        if (quota[cl] > 0) {
          quota[cl]--;
          taken[r] = true;
          chosen[c++] = candidates[shuffled[r]];
        }
      }
    }
    for (int r = 0; c < k; r++) {
      if (!taken[r]) {
        chosen[c++] = candidates[shuffled[r]];
      }
    }
    Arrays.sort(chosen);
    return chosen;
  }

  /** The source of the {@code j}-th poison. */
  static String sourceFor(
      int j, List<String> names, AttackerSources.Assignment a, SplittableRandom rng) {
    return a == AttackerSources.Assignment.ROUND_ROBIN
        ? names.get(j % names.size())
        : names.get(rng.nextInt(names.size()));
  }

  /**
   * Replaces {@code budget} victims drawn from the examples that pass {@code isCandidate} by {@code
   * poison} of them, in place, each with an attacker source.
   */
  static PoisonResult replace(
      Dataset clean,
      long seed,
      Streams rng,
      Budget budget,
      AttackerSources sources,
      Predicate<Example> isCandidate,
      String pool,
      BiFunction<Example, SplittableRandom, Example> poison,
      Map<String, Object> spec) {
    return replaceWithCovers(
        clean, seed, rng, budget, 0, sources, isCandidate, pool, poison, null, null, spec);
  }

  /**
   * As {@link #replace}, and then {@code covers} more examples, drawn uniformly from those not
   * chosen as victims (any label), replaced by {@code cover} of them: correctly labelled examples
   * an attacker plants beside the poisons so that a defence keyed on part of the trigger sees it in
   * both classes. Covers carry attacker sources too (continuing the assignment); the ids list only
   * the poisons, and the spec records {@code covers}. With {@code cover} null: no covers, and none
   * recorded. With {@code change} null the victims are drawn uniformly, otherwise by {@link
   * #chooseFaint} on each candidate's change.
   */
  static PoisonResult replaceWithCovers(
      Dataset clean,
      long seed,
      Streams rng,
      Budget budget,
      double coverShare,
      AttackerSources sources,
      Predicate<Example> isCandidate,
      String pool,
      BiFunction<Example, SplittableRandom, Example> poison,
      BiFunction<Example, SplittableRandom, Example> cover,
      ToDoubleFunction<Example> change,
      Map<String, Object> spec) {
    String kind = (String) spec.get("kind");
    int[] candidates = positions(clean, isCandidate);
    int k = victimCount(budget, clean.size(), candidates.length, kind, pool);
    int[] victims;
    if (change == null) {
      victims = chooseVictims(candidates, k, rng.victims());
    } else {
      double[] changes = new double[candidates.length];
      int[] classes = new int[candidates.length];
      for (int i = 0; i < candidates.length; i++) {
        Example e = clean.get(candidates[i]);
        changes[i] = change.applyAsDouble(e);
        classes[i] = clean.labelIndex(e.label());
      }
      victims = chooseFaint(candidates, k, rng.victims(), changes, classes);
    }
    int[] covers = new int[0];
    if (cover != null) {
      boolean[] taken = new boolean[clean.size()];
      for (int v : victims) {
        taken[v] = true;
      }
      int[] rest = IntStream.range(0, clean.size()).filter(i -> !taken[i]).toArray();
      covers =
          chooseVictims(
              rest, (int) Math.min(rest.length, Math.round(coverShare * k)), rng.victims());
      spec.put("covers", covers.length);
    }
    List<String> names = sources.resolve(rng.sourceNames());
    List<Example> out = new ArrayList<>(clean.examples());
    List<String> ids = new ArrayList<>(k);
    int j = 0;
    for (int v : victims) {
      String source = sourceFor(j++, names, sources.assignment(), rng.assignment());
      Example p = poison.apply(clean.get(v), rng.payload()).withSource(source);
      out.set(v, p);
      ids.add(p.id());
    }
    for (int v : covers) {
      String source = sourceFor(j++, names, sources.assignment(), rng.assignment());
      out.set(v, cover.apply(clean.get(v), rng.payload()).withSource(source));
    }
    Dataset poisoned = new Dataset(clean.name() + "+" + kind, out);
    return new PoisonResult(
        poisoned, finish(spec, seed, budget, k, clean, names, sources, poisoned), ids);
  }

  /**
   * The start of a spec; {@link #finish} adds what is known only after poisoning. The keys are
   * written sorted, so their order here is for readers of the code only.
   */
  static Map<String, Object> spec(String kind, String variant, Trigger trigger, String target) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", kind);
    spec.put("variant", variant);
    spec.put("trigger", trigger == null ? null : trigger.spec());
    spec.put("target", target);
    return spec;
  }

  static Map<String, Object> finish(
      Map<String, Object> spec,
      long seed,
      Budget budget,
      int count,
      Dataset clean,
      List<String> names,
      AttackerSources sources,
      Dataset poisoned) {
    spec.put("seed", seed);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("count", count);
    b.put("rate", (double) count / clean.size());
    b.put("requested", Collections.unmodifiableMap(budget.toJson()));
    spec.put("budget", Collections.unmodifiableMap(b));
    spec.put("sources", List.copyOf(names));
    spec.put("source_assignment", sources.assignment().jsonName());
    spec.put("clean", dataSummary(clean));
    spec.put("poisoned", dataSummary(poisoned));
    return spec;
  }

  private static Map<String, Object> dataSummary(Dataset d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("size", d.size());
    m.put("content_hash", d.contentHash());
    return Collections.unmodifiableMap(m);
  }
}
