package org.poisonlab.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.poisonlab.data.BadInputException;
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
      DataCommand.class,
      AttackCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ScanCommand.class,
      PurgeCommand.class,
      TraceCommand.class,
      ProvenanceCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    },
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
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
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
