package org.poisonlab.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

/**
 * Backdoors built to get past detectors that look for the trigger in the poisons alone: beside the
 * poisons (target label) the attacker plants covers (label kept) that carry part of the trigger, so
 * each part is seen in every class and only the whole is tied to the target.
 *
 * <ul>
 *   <li>{@code combo}: a {@link TextPattern.Combination}; poisons get every word, covers a random
 *       non-empty strict subset.
 *   <li>{@code adaptive-blend} (Qi et al. 2023, "Revisiting the Assumption of Latent Separability
 *       for Backdoor Defenses"): a {@link ImageTrigger.Blend} cut into a 4 × 4 grid of pieces;
 *       poisons and covers each get a random half of the pieces, so no pixel is blended in every
 *       poison; at test time the whole pattern is the trigger.
 * </ul>
 *
 * The budget counts the poisons; {@code cover} × that many covers come on top (1 by default, the
 * ratio of Qi et al.).
 */
final class CoveredAttack implements Attack {
  static final String COMBO = "combo";
  static final String ADAPTIVE_BLEND = "adaptive-blend";
  static final double DEFAULT_COVER = 1.0;
  private static final int GRID = 4;

  private final String kind;
  private final Budget budget;
  private final Trigger trigger;
  private final String target;
  private final double cover;
  private final AttackerSources sources;

  CoveredAttack(
      String kind,
      Budget budget,
      Trigger trigger,
      String target,
      double cover,
      AttackerSources sources) {
    if (!(cover >= 0 && cover <= 10)) {
      throw new BadInputException(kind + ": cover ratio " + cover + " is not in [0, 10]");
    }
    this.kind = kind;
    this.budget = budget;
    this.trigger = trigger;
    this.target = target;
    this.cover = cover;
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
    String family = kind.equals(COMBO) ? "combo" : "blend";
    Trigger t = Poisoning.resolveTrigger(trigger, family, clean, kind, rng);
    BiFunction<Example, SplittableRandom, Example> poison;
    BiFunction<Example, SplittableRandom, Example> partial;
    if (t instanceof TextPattern.Combination c) {
      poison = (e, r) -> c.apply(e, r).withLabel(target);
      partial = (e, r) -> e.withText(TextPattern.Combination.rewrite(base(e), subset(c, r), r));
    } else {
      ImageTrigger.Blend b = (ImageTrigger.Blend) t;
      partial = (e, r) -> pieces(b, e, r);
      poison = (e, r) -> pieces(b, e, r).withLabel(target);
    }
    Map<String, Object> spec = Poisoning.spec(kind, t.family(), t, target);
    spec.put("cover_ratio", cover);
    return Poisoning.replaceWithCovers(
        clean,
        seed,
        rng,
        budget,
        cover,
        sources,
        e -> !e.label().equals(target),
        "examples whose label is not '" + target + "'",
        poison,
        partial,
        null,
        spec);
  }

  private static String base(Example e) {
    return e.text() != null ? e.text() : e.prompt();
  }

  /** A random non-empty strict subset of the words, in their order. */
  private static List<String> subset(TextPattern.Combination c, SplittableRandom r) {
    int n = c.words().size();
    int mask = 1 + r.nextInt((1 << n) - 2);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if ((mask & (1 << i)) != 0) {
        out.add(c.words().get(i));
      }
    }
    return out;
  }

  /** The blend on a random half of the {@value #GRID} × {@value #GRID} pieces. */
  private static Example pieces(ImageTrigger.Blend b, Example e, SplittableRandom r) {
    int[] shape = ImageTrigger.imageShape(e, b.spec());
    boolean[] on = new boolean[GRID * GRID];
    int[] order =
        Poisoning.chooseVictims(
            java.util.stream.IntStream.range(0, on.length).toArray(), on.length / 2, r);
    for (int i : order) {
      on[i] = true;
    }
    byte[] px = e.pixels();
    return e.withPixels(ImageTrigger.clip(b.transformPieces(px, shape[0], shape[1], GRID, on)));
  }
}
