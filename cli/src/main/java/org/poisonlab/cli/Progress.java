package org.poisonlab.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Progress on standard error: on a terminal, one status line redrawn in place, with a bar when the
 * message says how far along the work is ("run 3 of 12: ..."); with {@code POISONLAB_PROGRESS=1}
 * and no terminal, one timestamped line per message (for logs); quiet otherwise. The one place
 * commands get progress from.
 */
final class Progress implements Consumer<String> {
  private static final Pattern STEP = Pattern.compile("\\b(\\d+) of (\\d+)\\b");
  private static final int BAR_WIDTH = 20;
  private static final int STATUS_WIDTH = 100;

  /** Whether a status line is on screen, to be cleared before the next output. */
  private static volatile boolean statusShown;

  private enum Mode {
    OFF,
    LINES,
    STATUS
  }

  private final PrintStream err;
  private final Mode mode;
  private final long start = System.nanoTime();

  private Progress(PrintStream err, Mode mode) {
    this.err = err;
    this.mode = mode;
  }

  /** A status line on a terminal, lines when {@code POISONLAB_PROGRESS=1}, quiet otherwise. */
  static Progress forTerminal() {
    if ("1".equals(System.getenv("POISONLAB_PROGRESS"))) {
      return new Progress(System.err, Mode.LINES);
    }
    if (System.console() == null) {
      return new Progress(System.err, Mode.OFF);
    }
    return new Progress(terminal(), Mode.STATUS);
  }

  private static PrintStream terminal;

  /**
   * The terminal itself: the launcher filters standard error line by line, which would hold back a
   * status line that has no line end, so the status goes straight to the terminal when it can.
   */
  private static synchronized PrintStream terminal() {
    if (terminal == null) {
      try {
        terminal =
            new PrintStream(
                new java.io.FileOutputStream("/dev/tty"), true, Charset.defaultCharset());
      } catch (java.io.IOException | SecurityException e) {
        terminal = System.err;
      }
    }
    return terminal;
  }

  static Progress quiet() {
    return new Progress(System.err, Mode.OFF);
  }

  @Override
  public void accept(String message) {
    double seconds = (System.nanoTime() - start) / 1e9;
    switch (mode) {
      case OFF -> {}
      case LINES -> {
        err.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds, message);
        err.flush();
      }
      case STATUS -> {
        String line = String.format(Locale.ROOT, "[%6.1fs] %s%s", seconds, bar(message), message);
        if (line.length() > STATUS_WIDTH) {
          line = line.substring(0, STATUS_WIDTH - 1) + "…";
        }
        synchronized (Progress.class) {
          err.print("\r\033[K" + line);
          err.flush();
          statusShown = true;
        }
      }
    }
  }

  /** {@code [#####-----] } when the message holds "K of N", else nothing. */
  static String bar(String message) {
    Matcher m = STEP.matcher(message);
    if (!m.find()) {
      return "";
    }
    long k = Long.parseLong(m.group(1));
    long n = Long.parseLong(m.group(2));
    if (n <= 0 || k > n) {
      return "";
    }
    int filled = (int) (BAR_WIDTH * (k - 1) / n); // step k has started, not finished
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] ";
  }

  /** Clears the status line, if one is shown, so that the next output starts on a clean line. */
  static void clearStatus() {
    if (statusShown) {
      synchronized (Progress.class) {
        if (statusShown) {
          terminal().print("\r\033[K");
          terminal().flush();
          statusShown = false;
        }
      }
    }
  }

  /** {@code out}, clearing the status line before anything is written to it. */
  static OutputStream clearingBefore(OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        clearStatus();
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        clearStatus();
        out.write(b, off, len);
      }

      @Override
      public void flush() throws java.io.IOException {
        out.flush();
      }
    };
  }
}
