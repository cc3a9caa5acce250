package org.poisonlab.attack;

import java.util.Map;
import org.poisonlab.data.Dataset;

/**
 * A clean-label backdoor: the trigger is added only to examples already labelled the target, and no
 * label changes, so every poison looks correctly labelled to a human reviewer (Turner, Tsipras and
 * Madry 2019, "Label-Consistent Backdoor Attacks"; Shafahi et al. 2018, "Poison Frogs!"). The model
 * may learn {@code trigger -> target} as a shortcut; without the adversarial perturbations of
 * Turner et al. it is weaker than the dirty-label backdoor at the same budget.
 *
 * <p>Under the name {@code sig} it is the attack of Barni, Kallas and Tondi 2019 with a sinusoidal
 * signal ({@link ImageTrigger.Signal}) as trigger.
 */
final class CleanLabelAttack implements Attack {
  static final String KIND = "clean-label";

  private final String kind;
  private final String family;
  private final Budget budget;
  private final Trigger trigger;
  private final String target;
  private final AttackerSources sources;

  CleanLabelAttack(
      String kind,
      String family,
      Budget budget,
      Trigger trigger,
      String target,
      AttackerSources sources) {
    this.kind = kind;
    this.family = family;
    this.budget = budget;
    this.trigger = trigger;
    this.target = target;
    this.sources = sources;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public PoisonResult apply(Dataset clean, long seed) {
    Poisoning.requireNonEmpty(clean, kind);
    Poisoning.requireLabel(clean, target, kind + ": target");
    Poisoning.Streams rng = Poisoning.Streams.of(seed);
    Trigger t = Poisoning.resolveTrigger(trigger, family, clean, kind, rng);
    Map<String, Object> spec = Poisoning.spec(kind, t.family(), t, target);
    return Poisoning.replace(
        clean,
        seed,
        rng,
        budget,
        sources,
        e -> e.label().equals(target) && t.appliesTo(e),
        "examples labelled '" + target + "'" + Poisoning.applies(t),
        t::apply,
        spec);
  }
}
