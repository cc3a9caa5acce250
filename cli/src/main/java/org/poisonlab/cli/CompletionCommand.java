package org.poisonlab.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poisonlab completion bash}: prints a shell completion script for every command. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a completion script for the shell, built from the commands and options themselves.",
      "Load it with: source <(poisonlab completion bash)   (bash; zsh after 'autoload -U bashcompinit && bashcompinit')"
    },
    footer = {"%nExample:", "  poisonlab completion bash"})
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash (zsh reads the bash script too)")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new org.poisonlab.io.BadInputException(
          "unknown shell '" + shell + "'; expected bash or zsh");
    }
    CommandLine root = spec.root().commandLine();
    var o = spec.commandLine().getOut();
    o.print(AutoComplete.bash(root.getCommandName(), root));
    o.flush();
    return ExitCodes.OK;
  }
}
