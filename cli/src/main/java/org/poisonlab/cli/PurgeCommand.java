package org.poisonlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.ExampleJsonl;
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
    Dataset data = Inputs.dataset(train);
    Purges.PurgeResult r =
        bySource
            ? Purges.bySource(data, scan.flagged(), alpha)
            : Purges.byExample(data, scan.flagged());
    ExampleJsonl.write(out, r.kept());
    PrintWriter o = spec.commandLine().getOut();
    if (json.json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("mode", bySource ? "source" : "example");
      root.put("n", data.size());
      root.put("removed", r.removed());
      root.put("kept", r.kept().size());
      if (bySource) {
        root.put("tested_sources", r.testedSources());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (Purges.RemovedSource s : r.removedSources()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("source", s.source());
          m.put("flagged", s.flagged());
          m.put("total", s.total());
          m.put("p_value", s.pValue());
          sources.add(m);
        }
        root.put("removed_sources", sources);
      }
      o.println(Json.pretty(root));
    } else {
      o.printf(
          "removed %d of %d examples; kept %d in %s%n",
          r.removed(), data.size(), r.kept().size(), out);
      if (bySource) {
        o.printf(
            "%d of %d sources removed (alpha %s, Bonferroni)%n",
            r.removedSources().size(), r.testedSources(), alpha);
        for (Purges.RemovedSource s : r.removedSources()) {
          o.printf(
              "  %s: %d of %d flagged, p = %.3g%n", s.source(), s.flagged(), s.total(), s.pValue());
        }
      }
    }
    o.flush();
    return ExitCodes.OK;
  }
}
