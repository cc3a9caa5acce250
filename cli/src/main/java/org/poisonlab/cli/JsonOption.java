package org.poisonlab.cli;

import picocli.CommandLine.Option;

/** {@code --json}: a machine-readable result on standard output. */
final class JsonOption {
  @Option(
      names = "--json",
      description = "Print a machine-readable JSON result on standard output.")
  boolean json;
}
