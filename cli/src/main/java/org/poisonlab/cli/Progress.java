package org.poisonlab.cli;

import java.io.PrintStream;
import java.util.function.Consumer;

/** Progress lines on standard error when it is a terminal (or when asked); quiet otherwise. */
final class Progress implements Consumer<String> {
  private final PrintStream err;
  private final boolean on;
  private final long start = System.nanoTime();

  private Progress(PrintStream err, boolean on) {
    this.err = err;
    this.on = on;
  }

  /** Progress when attached to a terminal, or when {@code POISONLAB_PROGRESS=1}. */
  static Progress forTerminal() {
    boolean on = System.console() != null || "1".equals(System.getenv("POISONLAB_PROGRESS"));
    return new Progress(System.err, on);
  }

  static Progress quiet() {
    return new Progress(System.err, false);
  }

  @Override
  public void accept(String message) {
    if (on) {
      err.printf("[%6.1fs] %s%n", (System.nanoTime() - start) / 1e9, message);
      err.flush();
    }
  }
}
