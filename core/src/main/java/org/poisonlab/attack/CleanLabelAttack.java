package org.poisonlab.attack;

import java.util.Map;
import org.poisonlab.data.Dataset;

/**
 * A clean-label backdoor: the trigger is added only to examples already labelled the target, and no
 * label changes, so every poison looks correctly labelled to a human reviewer (Turner, Tsipras and
 * Madry 2019, "Label-Consistent Backdoor Attacks"; Shafahi et al. 2018, "Poison Frogs!"). The model
 * may learn {@code trigger -> target} as a shortcut; without the adversarial perturbations of
 * Turner et al. it is weaker than the dirty-label backdoor at the same budget.
 */
final class CleanLabelAttack implements Attack {
  static final String KIND = "clean-label";

  private final Budget budget;
  private final Trigger trigger;
  private final String target;
  private final AttackerSources sources;

  CleanLabelAttack(Budget budget, Trigger trigger, String target, AttackerSources sources) {
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
    Map<String, Object> spec = Poisoning.spec(KIND, BackdoorAttack.variant(t), t, target);
    return Poisoning.replace(
        clean,
        seed,
        Poisoning.Streams.of(seed),
        budget,
        sources,
        e -> e.label().equals(target),
        "examples labelled '" + target + "'",
        t::apply,
        spec);
  }
}
