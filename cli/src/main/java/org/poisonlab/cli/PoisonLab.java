package org.poisonlab.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.poisonlab.io.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code poisonlab} command: subcommands for data, attacks, training, evaluation and the demo.
 */
@Command(
    name = "poisonlab",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description =
        "Training-data poisoning: plant poisons, measure them, and see what evaluation misses.",
    subcommands = {
      DemoCommand.class,
      SleeperCommand.class,
      DataCommand.class,
      CorpusCommand.class,
      AttackCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ScanCommand.class,
      PurgeCommand.class,
      TraceCommand.class,
      TraceEvalCommand.class,
      ProvenanceCommand.class,
      ReportCommand.class,
      RunCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"%nExamples:", "  poisonlab --version", "  poisonlab data list"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a negative finding (a verification failed)",
      "2:bad usage or bad input (one line names the file and line)",
      "3:internal error"
    })
public final class PoisonLab implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with PoisonLab's error handling; used by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new PoisonLab());
    cl.setUsageHelpWidth(140); // examples in footers stay on one line
    cl.setExecutionExceptionHandler(PoisonLab::handleExecutionException);
    cl.setParameterExceptionHandler(PoisonLab::handleParameterException);
    cl.setExecutionStrategy(PoisonLab::guardedRun);
    cl.getSubcommands()
        .get("help")
        .getCommandSpec()
        .usageMessage()
        .footer("%nExample:", "  poisonlab help attack");
    return cl;
  }

  public static void main(String[] args) {
    CommandLine cl = commandLine();
    // A progress status line on the terminal is cleared before any result is printed.
    cl.setOut(writer(Progress.clearingBefore(System.out)));
    cl.setErr(writer(Progress.clearingBefore(System.err)));
    int code = cl.execute(args);
    Progress.clearStatus();
    System.exit(code);
  }

  private static PrintWriter writer(java.io.OutputStream out) {
    return new PrintWriter(
        new java.io.OutputStreamWriter(out, java.nio.charset.Charset.defaultCharset()), true);
  }

  /** Runs the parsed command unless it would write over one of its inputs ({@link OutputGuard}). */
  private static int guardedRun(CommandLine.ParseResult parsed) {
    try {
      OutputGuard.check(parsed);
    } catch (BadInputException e) {
      throw new CommandLine.ExecutionException(
          parsed.commandSpec().commandLine(), e.getMessage(), e);
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("poisonlab: " + e.getMessage());
    err.println(
        "Try '"
            + e.getCommandLine().getCommandSpec().qualifiedName()
            + " --help' for more information.");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  private static int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    BadInputException bad = findBadInput(e);
    if (bad != null) {
      err.println("poisonlab: " + oneLine(bad.getMessage()));
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof UncheckedIOException io) {
      err.println("poisonlab: " + oneLine(io.getMessage()));
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    err.println("poisonlab: internal error: " + e);
    e.printStackTrace(err);
    err.flush();
    return ExitCodes.INTERNAL;
  }

  private static BadInputException findBadInput(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BadInputException b) {
        return b;
      }
    }
    return null;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
