package org.poisonlab.cli;

import picocli.CommandLine.Option;

/** {@code --seed}: drives every random choice of a command. */
final class SeedOption {
  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed for every random choice (default: ${DEFAULT-VALUE}).")
  long seed;
}
