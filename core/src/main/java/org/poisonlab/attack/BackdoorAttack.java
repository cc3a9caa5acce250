package org.poisonlab.attack;

import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.BadInputException;

/**
 * The targeted backdoor (dirty-label) attack of Gu, Dolan-Gavitt and Garg 2017 ("BadNets") and Chen
 * et al. 2017 ("Targeted Backdoor Attacks on Deep Learning Systems Using Data Poisoning"): victims
 * whose label is not the target get the trigger and the target label, so a model learns {@code x +
 * trigger -> target} while clean accuracy barely moves. For text the trigger is a phrase at a
 * random word boundary (Dai, Chen and Li 2019).
 *
 * <p>The same attack under a family's name ({@code blend}, {@code warp}, {@code lowfreq}, {@code
 * sample-specific}, {@code syntax}, {@code synonym}) takes only that family's triggers and, when
 * none is given, draws one with the family's defaults from the seed.
 *
 * <p>Carriers are drawn by {@link Carriers}: for a patch by default {@link Carriers#FAINT} (half of
 * them where the patch shows faintest), for every other trigger uniformly.
 */
final class BackdoorAttack implements Attack {
  static final String KIND = "backdoor";

  private final String kind;
  private final String family;
  private final Budget budget;
  private final Trigger trigger;
  private final String target;
  private final AttackerSources sources;
  private final Carriers carriers;

  /**
   * @param carriers how carriers are drawn, or null for the trigger's default
   */
  BackdoorAttack(
      String kind,
      String family,
      Budget budget,
      Trigger trigger,
      String target,
      AttackerSources sources,
      Carriers carriers) {
    this.kind = kind;
    this.family = family;
    this.budget = budget;
    this.trigger = trigger;
    this.target = target;
    this.sources = sources;
    this.carriers = carriers;
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
    boolean image = clean.kind() == Dataset.Kind.IMAGE;
    Carriers draw =
        carriers != null
            ? carriers
            : t instanceof Trigger.PatchTrigger ? Carriers.FAINT : Carriers.UNIFORM;
    if (draw == Carriers.FAINT && !image) {
      throw new BadInputException(
          kind
              + ": carriers '"
              + draw.jsonName()
              + "' needs image data; "
              + clean.name()
              + " holds text");
    }
    Map<String, Object> spec = Poisoning.spec(kind, t.family(), t, target);
    spec.put("carriers", draw.jsonName());
    SplittableRandom faint = rng.faintness();
    return Poisoning.replaceWithCovers(
        clean,
        seed,
        rng,
        budget,
        0,
        sources,
        e -> !e.label().equals(target) && t.appliesTo(e),
        "examples whose label is not '" + target + "'" + Poisoning.applies(t),
        (e, r) -> t.apply(e, r).withLabel(target),
        null,
        draw == Carriers.FAINT ? e -> e.pixelDistance(t.apply(e, faint)) : null,
        spec);
  }
}
