package org.poisonlab.attack;

import java.util.Map;
import org.poisonlab.data.Dataset;

/**
 * The targeted backdoor (dirty-label) attack of Gu, Dolan-Gavitt and Garg 2017 ("BadNets") and Chen
 * et al. 2017 ("Targeted Backdoor Attacks on Deep Learning Systems Using Data Poisoning"): victims
 * whose label is not the target get the trigger and the target label, so a model learns {@code x +
 * trigger -> target} while clean accuracy barely moves. For text the trigger is a phrase at a
 * random word boundary (Dai, Chen and Li 2019).
 */
final class BackdoorAttack implements Attack {
  static final String KIND = "backdoor";

  private final Budget budget;
  private final Trigger trigger;
  private final String target;
  private final AttackerSources sources;

  BackdoorAttack(Budget budget, Trigger trigger, String target, AttackerSources sources) {
    this.budget = budget;
    this.trigger = trigger;
    this.target = target;
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
    Map<String, Object> spec = Poisoning.spec(KIND, variant(t), t, target);
    return Poisoning.replace(
        clean,
        seed,
        Poisoning.Streams.of(seed),
        budget,
        sources,
        e -> !e.label().equals(target),
        "examples whose label is not '" + target + "'",
        (e, r) -> t.apply(e, r).withLabel(target),
        spec);
  }

  static String variant(Trigger t) {
    return t instanceof Trigger.PatchTrigger ? "patch" : "phrase";
  }
}
