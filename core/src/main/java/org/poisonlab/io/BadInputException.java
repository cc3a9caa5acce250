package org.poisonlab.io;

import java.nio.file.Path;

/**
 * Bad input from a user: a malformed file, a value out of range, a hash that does not match. The
 * command line turns it into one line, {@code file:line: message}, and exit code 2.
 *
 * <p>{@code file} may be null when the input is not a file (a command-line value); {@code line} is
 * 1-based, or 0 when the problem is not tied to one line.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String problem;

  public BadInputException(Path file, long line, String problem) {
    this(file, line, problem, null);
  }

  public BadInputException(Path file, long line, String problem, Throwable cause) {
    super(format(file, line, problem), cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** A problem with a value given on the command line or in a request, not in a file. */
  public BadInputException(String problem) {
    this(null, 0, problem, null);
  }

  /** The file at fault, or null. */
  public Path file() {
    return file;
  }

  /** The 1-based line at fault, or 0. */
  public long line() {
    return line;
  }

  /** The problem without the file and line prefix. */
  public String problem() {
    return problem;
  }

  private static String format(Path file, long line, String problem) {
    if (file == null) {
      return problem;
    }
    return line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem;
  }
}
