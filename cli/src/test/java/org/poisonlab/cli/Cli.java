package org.poisonlab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the command line in-process and captures what it prints. */
final class Cli {
  record Run(int exitCode, String out, String err) {}

  private Cli() {}

  static Run run(String... args) {
    CommandLine cl = PoisonLab.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * {@code attack backdoor --in IN --out OUT --truth TRUTH --count COUNT}, then {@code options}
   * (the target, the trigger, the seed, ...).
   */
  static Run backdoor(Path in, Path out, Path truth, int count, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "attack",
                "backdoor",
                "--in",
                in.toString(),
                "--out",
                out.toString(),
                "--truth",
                truth.toString(),
                "--count",
                Integer.toString(count)));
    args.addAll(List.of(options));
    return run(args.toArray(String[]::new));
  }
}
