package org.poisonlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.poisonlab.io.BadInputException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Inputs are never written over: before a command runs, every file it would write ({@code --out},
 * and the truth file of {@code attack} and {@code corpus plant}) is compared with every existing
 * file its other options and arguments name, and the command is refused in one line when one is the
 * other. A data set given as {@code NAME:SPLIT} is PoisonLab's own cached copy and never an output.
 */
final class OutputGuard {
  private OutputGuard() {}

  /**
   * Checks the command that {@code parsed} will run.
   *
   * @throws BadInputException naming the output option and the input it would overwrite
   */
  static void check(ParseResult parsed) {
    ParseResult leaf = parsed;
    while (leaf.subcommand() != null) {
      leaf = leaf.subcommand();
    }
    String command = leaf.commandSpec().qualifiedName();
    List<Named> outputs = new ArrayList<>();
    List<Named> inputs = new ArrayList<>();
    for (OptionSpec o : leaf.matchedOptions()) {
      List<Named> into = writes(command, o.longestName()) ? outputs : inputs;
      for (Path p : paths(o.getValue())) {
        into.add(new Named(o.longestName(), p));
      }
    }
    for (ArgSpec a : leaf.matchedPositionals()) {
      for (Path p : paths(a.getValue())) {
        inputs.add(new Named(a.paramLabel(), p));
      }
    }
    for (Named out : outputs) {
      if (!Files.isRegularFile(out.path())) {
        continue; // a new file, or a folder: its files are checked where they are named
      }
      for (Named in : inputs) {
        if (Files.isRegularFile(in.path()) && same(out.path(), in.path())) {
          throw new BadInputException(
              out.option()
                  + " "
                  + out.path()
                  + " is the input "
                  + in.option()
                  + " "
                  + in.path()
                  + ": "
                  + command
                  + " does not write over its inputs; name another file");
        }
      }
    }
  }

  /** Whether {@code option} of {@code command} names a file the command writes. */
  static boolean writes(String command, String option) {
    if (option.equals("--out")) {
      return true;
    }
    return option.equals("--truth")
        && (command.startsWith("poisonlab attack") || command.equals("poisonlab corpus plant"));
  }

  private static List<Path> paths(Object value) {
    List<Path> out = new ArrayList<>();
    if (value instanceof Path p) {
      out.add(p);
    } else if (value instanceof String s && !s.isBlank()) {
      try {
        out.add(Path.of(s));
      } catch (InvalidPathException e) {
        // not a file name (a trigger spec, a label): nothing to compare
      }
    } else if (value instanceof Collection<?> c) {
      for (Object v : c) {
        out.addAll(paths(v));
      }
    }
    return out;
  }

  private static boolean same(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  private record Named(String option, Path path) {}
}
