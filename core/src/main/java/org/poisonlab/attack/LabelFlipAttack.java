package org.poisonlab.attack;

import java.util.List;
import java.util.Map;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.BadInputException;

/**
 * Random label flipping, the untargeted "random poisoning" row of the table: victims drawn
 * uniformly from the candidates get a wrong label, content untouched (so their ids stay).
 *
 * <p>Two noise models, as in Natarajan et al. 2013 ("Learning with Noisy Labels", NeurIPS): uniform
 * (symmetric) noise, where a victim of class {@code y} gets label {@code y'} with probability
 * {@code 1/(L-1)} for every {@code y' != y}; and class-conditional noise, where victims come only
 * from class A and all become B. The attack itself follows the random-flip baseline of Xiao, Xiao
 * and Eckert 2012 ("Adversarial Label Flips Attack on Support Vector Machines", ECAI).
 */
final class LabelFlipAttack implements Attack {
  static final String KIND = "label-flip";

  private final Budget budget;
  private final FlipMode mode;
  private final AttackerSources sources;

  LabelFlipAttack(Budget budget, FlipMode mode, AttackerSources sources) {
    this.budget = budget;
    this.mode = mode;
    this.sources = sources;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public PoisonResult apply(Dataset clean, long seed) {
    Poisoning.requireNonEmpty(clean, KIND);
    Poisoning.Streams rng = Poisoning.Streams.of(seed);
    if (mode instanceof FlipMode.ClassConditional cc) {
      Poisoning.requireLabel(clean, cc.from(), KIND + ": source class");
      Poisoning.requireLabel(clean, cc.to(), KIND + ": target");
      Map<String, Object> spec = Poisoning.spec(KIND, "class-conditional", null, cc.to());
      spec.put("from_label", cc.from());
      return Poisoning.replace(
          clean,
          seed,
          rng,
          budget,
          sources,
          e -> e.label().equals(cc.from()),
          "examples labelled '" + cc.from() + "'",
          (e, r) -> e.withLabel(cc.to()),
          spec);
    }
    List<String> labels = clean.labels();
    if (labels.size() < 2) {
      throw new BadInputException(
          KIND
              + ": "
              + clean.name()
              + " has only the label "
              + labels
              + "; flipping needs at least two");
    }
    Map<String, Object> spec = Poisoning.spec(KIND, "uniform", null, null);
    spec.put("from_label", null);
    return Poisoning.replace(
        clean,
        seed,
        rng,
        budget,
        sources,
        e -> true,
        "all examples",
        (e, r) -> {
          int own = clean.labelIndex(e.label());
          int other = r.nextInt(labels.size() - 1);
          return e.withLabel(labels.get(other >= own ? other + 1 : other));
        },
        spec);
  }
}
