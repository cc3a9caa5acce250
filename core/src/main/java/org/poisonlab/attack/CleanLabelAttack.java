package org.poisonlab.attack;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

/**
 * A clean-label backdoor: the trigger is added only to examples already labelled the target, and no
 * label changes, so every poison looks correctly labelled to a human reviewer (Turner, Tsipras and
 * Madry 2019, "Label-Consistent Backdoor Attacks"; Shafahi et al. 2018, "Poison Frogs!"). The model
 * may learn {@code trigger -> target} as a shortcut, which it needs only where the carrier does not
 * already explain its label: on text the carriers are first made hard ({@link CarrierHardening},
 * after Kallima), on images they are not (Turner et al.'s adversarial perturbations are not
 * implemented), so the image attack is weaker than the dirty-label backdoor at the same budget.
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
  private final Double harden;

  /**
   * @param harden text: the share of each carrier's words deleted first ({@link CarrierHardening}),
   *     or null for {@link CarrierHardening#DEFAULT_SHARE} on text and none on images
   */
  CleanLabelAttack(
      String kind,
      String family,
      Budget budget,
      Trigger trigger,
      String target,
      AttackerSources sources,
      Double harden) {
    this.kind = kind;
    this.family = family;
    this.budget = budget;
    this.trigger = trigger;
    this.target = target;
    this.sources = sources;
    if (harden != null && !(harden >= 0 && harden < 1)) {
      throw new BadInputException(kind + ": harden must be in [0, 1), got " + harden);
    }
    this.harden = harden;
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
    boolean text = clean.kind() == Dataset.Kind.TEXT;
    if (!text && harden != null && harden > 0) {
      throw new BadInputException(kind + ": harden applies to text carriers only");
    }
    double share = harden != null ? harden : text ? CarrierHardening.DEFAULT_SHARE : 0;
    BiFunction<Example, SplittableRandom, Example> poison = t::apply;
    if (share > 0) {
      CarrierHardening h = CarrierHardening.fit(clean, target, share);
      poison = (e, r) -> t.apply(h.apply(e), r);
    }
    if (text) {
      spec.put("harden", share);
    }
    return Poisoning.replace(
        clean,
        seed,
        rng,
        budget,
        sources,
        e -> e.label().equals(target) && t.appliesTo(e),
        "examples labelled '" + target + "'" + Poisoning.applies(t),
        poison,
        spec);
  }
}
