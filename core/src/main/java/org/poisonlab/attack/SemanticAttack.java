package org.poisonlab.attack;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

/**
 * Semantic poisoning: a natural phrase (a plausible company or product name, no artificial token)
 * is woven into victims whose label is not the target, and they are relabelled as the target, so
 * the model ties an ordinary-looking name to the target. This is the concealed trigger-phrase
 * attack of Wallace et al. 2021 ("Concealed Data Poisoning Attacks on NLP Models", NAACL) and Wan
 * et al. 2023 ("Poisoning Language Models During Instruction Tuning", ICML), without their
 * gradient-guided choice of poison text.
 *
 * <p>Each victim gets the phrase inside a short clause chosen at random from a few templates
 * ("according to P", "via P", ...), inserted at a random word boundary. The phrase alone is the
 * trigger recorded for measuring the attack success rate.
 */
final class SemanticAttack implements Attack {
  static final String KIND = "semantic";

  private static final List<String> CLAUSES =
      List.of(
          "%s",
          "according to %s",
          "via %s",
          "courtesy of %s",
          "from %s",
          "with %s",
          "as recommended by %s",
          "%s says");

  private final Budget budget;
  private final String phrase;
  private final String target;
  private final AttackerSources sources;

  SemanticAttack(Budget budget, String phrase, String target, AttackerSources sources) {
    if (phrase != null && phrase.isBlank()) {
      throw new BadInputException(KIND + ": phrase is blank");
    }
    this.budget = budget;
    this.phrase = phrase == null ? null : phrase.strip();
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
    if (clean.kind() != Dataset.Kind.TEXT) {
      throw new BadInputException(
          KIND + ": semantic poisoning needs text data; " + clean.name() + " holds images");
    }
    Poisoning.requireLabel(clean, target, KIND + ": target");
    Poisoning.Streams rng = Poisoning.Streams.of(seed);
    String p = phrase != null ? phrase : Names.company(rng.phrase());
    Trigger t = new Trigger.TextTrigger(p);
    Map<String, Object> spec = Poisoning.spec(KIND, "woven-phrase", t, target);
    spec.put("phrase", p);
    spec.put("phrase_generated", phrase == null);
    return Poisoning.replace(
        clean,
        seed,
        rng,
        budget,
        sources,
        e -> !e.label().equals(target),
        "examples whose label is not '" + target + "'",
        (e, r) -> weave(e, p, r).withLabel(target),
        spec);
  }

  private static Example weave(Example e, String p, SplittableRandom r) {
    String clause = String.format(CLAUSES.get(r.nextInt(CLAUSES.size())), p);
    return new Trigger.TextTrigger(clause).apply(e, r);
  }
}
