package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.defense.Purges;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab purge}: remove flagged examples, or whole suspicious sources. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = {
      "Remove what a scan or trace flagged: the flagged examples, or with --by-source every source whose",
      "flagged share is improbably high (one-sided binomial test, Bonferroni over sources)."
    },
    footer = {
      "%nExamples:",
      "  poisonlab purge --train poisoned.jsonl --flags flags.json --out purged.jsonl",
      "  poisonlab purge --train poisoned.jsonl --flags flags.json --by-source --out purged.jsonl --json"
    })
final class PurgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin JsonOption json;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "F",
      description = "Training set: JSONL file or NAME:SPLIT.")
  String train;

  @Option(
      names = "--flags",
      required = true,
      paramLabel = "FLAGS.json",
      description = "Scan or trace file.")
  Path flags;

  @Option(names = "--by-source", description = "Remove whole sources instead of examples.")
  boolean bySource;

  @Option(
      names = "--alpha",
      defaultValue = "0.01",
      paramLabel = "A",
      description = "Family-wise level of the per-source test (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--out", required = true, paramLabel = "F", description = "Purged set (JSONL).")
  Path out;

  @Override
  public Integer call() {
    if (!(alpha > 0 && alpha < 1)) {
      throw new BadInputException("--alpha " + alpha + " is not in (0, 1)");
    }
    ScanFiles.ScanFile scan = ScanFiles.read(flags);
    // streamed: the training set is read twice (to plan, to write), never held
    ExampleSource data = Inputs.source(train);
    Purges.Plan plan =
        bySource
            ? Purges.planBySource(data, scan.flagged(), alpha)
            : Purges.planByExample(data, scan.flagged());
    long missing = plan.flaggedIds() - plan.flaggedFound();
    if (plan.flaggedIds() > 0 && plan.flaggedFound() == 0) {
      throw new BadInputException(
          flags
              + ": none of its "
              + plan.flaggedIds()
              + " flagged ids is an example of "
              + train
              + " (flags of another set?); nothing written");
    }
    if (missing > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "purge: warning: %d of the %d ids flagged in %s are not in %s (flags of another"
                  + " set?)%n",
              missing, plan.flaggedIds(), flags, train);
    }
    int[] counts = new int[2]; // read, kept
    try (Stream<Example> examples = data.open()) {
      ExampleJsonl.write(
          out, examples.peek(e -> counts[0]++).filter(plan.keeps()).peek(e -> counts[1]++));
    }
    Result r = new Result(counts[0], counts[0] - counts[1], counts[1], plan);
    PrintWriter o = spec.commandLine().getOut();
    if (json.json) {
      o.println(
          Json.pretty(
              new PurgeJson(
                  bySource ? "source" : "example",
                  r.n(),
                  r.removed(),
                  r.kept(),
                  bySource ? r.plan().testedSources() : null,
                  bySource
                      ? r.plan().removedSources().stream()
                          .map(s -> new SourceJson(s.source(), s.flagged(), s.total(), s.pValue()))
                          .toList()
                      : null)));
    } else {
      o.printf("removed %d of %d examples; kept %d in %s%n", r.removed(), r.n(), r.kept(), out);
      if (bySource) {
        o.printf(
            "%d of %d sources removed (alpha %s, Bonferroni)%n",
            r.plan().removedSources().size(), r.plan().testedSources(), alpha);
        for (Purges.RemovedSource s : r.plan().removedSources()) {
          o.printf(
              "  %s: %d of %d flagged, p = %.3g%n", s.source(), s.flagged(), s.total(), s.pValue());
        }
      }
    }
    o.flush();
    return ExitCodes.OK;
  }

  /** What the purge read, removed and kept. */
  private record Result(int n, int removed, int kept, Purges.Plan plan) {}

  /** {@code purge --json}; the source fields only with {@code --by-source}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"mode", "n", "removed", "kept", "tested_sources", "removed_sources"})
  record PurgeJson(
      String mode,
      int n,
      int removed,
      int kept,
      @JsonProperty("tested_sources") Integer testedSources,
      @JsonProperty("removed_sources") List<SourceJson> removedSources) {}

  /** A removed source. */
  @JsonPropertyOrder({"source", "flagged", "total", "p_value"})
  record SourceJson(
      String source, int flagged, int total, @JsonProperty("p_value") double pValue) {}
}
