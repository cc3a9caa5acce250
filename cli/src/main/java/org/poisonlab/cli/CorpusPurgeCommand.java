package org.poisonlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.poisonlab.corpus.CorpusPurge;
import org.poisonlab.defense.Purges;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab corpus purge}: a corpus written again without what a scan flagged. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = {
      "Write a corpus again without the documents a corpus scan flagged, or with --by-source without",
      "every source whose flagged share is improbably high. Each input file becomes a file of the same",
      "name and format in OUT, documents in order with their lineage; inputs are never modified."
    },
    footer = {
      "%nExamples:",
      "  poisonlab corpus purge --in train.jsonl --flags corpus-scan --out clean",
      "  poisonlab corpus purge --in train.jsonl --flags corpus-scan/flags.jsonl --by-source --out clean --json"
    })
final class CorpusPurgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin JsonOption json;

  @Option(
      names = "--in",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "The corpus as scanned: files, folders of them, or a pinned corpus name.")
  List<String> in;

  @Option(
      names = "--flags",
      required = true,
      paramLabel = "DIR",
      description = "The scan's output folder, or its flags.jsonl.")
  Path flags;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--by-source", description = "Remove whole sources instead of documents.")
  boolean bySource;

  @Option(
      names = "--alpha",
      defaultValue = "0.01",
      paramLabel = "A",
      description = "Family-wise level of the per-source test (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Override
  public Integer call() {
    if (!(alpha > 0 && alpha < 1)) {
      throw new BadInputException("--alpha " + alpha + " is not in (0, 1)");
    }
    CorpusPurge.Result r;
    try {
      r = CorpusPurge.run(Inputs.corpusFiles(in), flags, out, bySource, alpha);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(r));
    } else {
      o.printf(
          "%,d documents read, %,d kept, %,d removed, in %d files under %s%n",
          r.read(), r.kept(), r.read() - r.kept(), r.outputs().size(), out);
      for (Purges.RemovedSource s : r.removedSources()) {
        o.printf(
            "removed source %s: %,d of %,d flagged (p = %.2g)%n",
            s.source(), s.flagged(), s.total(), s.pValue());
      }
      if (r.badRecords() > 0) {
        o.printf("%,d input records could not be read and were not written%n", r.badRecords());
      }
    }
    o.flush();
    return ExitCodes.OK;
  }
}
