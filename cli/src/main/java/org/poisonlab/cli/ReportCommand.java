package org.poisonlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.poisonlab.io.Json;
import org.poisonlab.report.Reports;
import org.poisonlab.report.Section;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poisonlab report}: the self-contained HTML report of a run folder. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write the HTML report of a run folder: the seed's table beside its claims, budget sweeps, detector",
      "ROC/PR curves and score histograms, top flagged and attributed examples, sources ranked by flags,",
      "provenance verification and the run's own provenance. One file, inline SVG, no network when viewed.",
      "A section whose input files are absent says so."
    },
    footer = {"%nExamples:", "  poisonlab report run", "  poisonlab report run --out study.html"})
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin JsonOption json;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder (e.g. from demo).")
  Path runDir;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Report file (default: RUN_DIR/" + Reports.FILE_NAME + ").")
  Path out;

  @Override
  public Integer call() {
    Reports.Result r = Reports.write(runDir, out);
    PrintWriter o = spec.commandLine().getOut();
    if (json.json) {
      o.println(
          Json.pretty(
              new Written(
                  r.file().toString(),
                  r.bytes(),
                  r.rendered().stream().map(Section::id).toList(),
                  r.absent().stream().map(Section::id).toList())));
    } else {
      o.printf("wrote %s (%d bytes)%n", r.file(), r.bytes());
      for (Section s : r.absent()) {
        o.printf("  not in this run: %s (%s)%n", s.title(), s.inputs());
      }
    }
    o.flush();
    return ExitCodes.OK;
  }

  /** The {@code --json} answer: the page written, its size, and the sections drawn and absent. */
  private record Written(String out, long bytes, List<String> rendered, List<String> absent) {}
}
