package org.poisonlab.cli;

/** Exit codes of every command (docs/reference.md, "Exit codes"). */
final class ExitCodes {
  static final int OK = 0;
  static final int NEGATIVE = 1;
  static final int BAD_INPUT = 2;
  static final int INTERNAL = 3;

  private ExitCodes() {}
}
