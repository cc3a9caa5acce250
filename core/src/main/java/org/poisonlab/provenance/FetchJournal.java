package org.poisonlab.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * The resume state of a download folder, {@code state.jsonl}: an append-only JSONL file with one
 * line per decided row ({@link Entry}), that holds no verdict in memory.
 *
 * <p>A run appends its entries in index order (line numbers strictly increasing), the verdicts it
 * kept from earlier runs included, so the file is a sequence of sorted runs: a run ends where the
 * next line number is not larger than the one before. The next run merges them as it walks the
 * index (a merge join: {@link #previous} is asked for increasing lines), with one reader per run
 * and the later run winning. When a run completes, the file is cut down to that run's entries,
 * which hold every verdict still valid. Memory is one entry per run, whatever the number of rows.
 *
 * <p>An entry is appended, in one write, only after its file is in place, so a crash loses at most
 * the entry being written; a torn last line is cut off when the journal is opened.
 */
final class FetchJournal implements Closeable {
  /**
   * One decided row.
   *
   * @param line the row's line in the index
   * @param url the row's URL
   * @param sha256 the row's recorded hash
   * @param normalizedSha256 the row's recorded hash of the normal form, or null
   * @param verdict {@code ok}, {@code reencoded} or {@code substituted}
   * @param actualSha256 the hash of what was received (its file name)
   * @param bytes its size
   * @param detail the result's detail line, or null
   * @param tolerant whether the verdict was reached with {@code --tolerant}
   */
  @JsonPropertyOrder({
    "line",
    "url",
    "sha256",
    "normalized_sha256",
    "verdict",
    "actual_sha256",
    "bytes",
    "detail",
    "tolerant"
  })
  record Entry(
      long line,
      String url,
      String sha256,
      @JsonProperty("normalized_sha256") String normalizedSha256,
      String verdict,
      @JsonProperty("actual_sha256") String actualSha256,
      long bytes,
      String detail,
      boolean tolerant) {}

  private static final ObjectMapper JSON = Json.mapper();

  private final Path file;
  private final List<RunReader> runs;
  private final long runStart;
  private final OutputStream out;
  private long lastLine;

  private FetchJournal(Path file, List<RunReader> runs, long runStart, OutputStream out) {
    this.file = file;
    this.runs = runs;
    this.runStart = runStart;
    this.out = out;
  }

  /**
   * Opens the journal, creating it when absent, cutting off a torn last line.
   *
   * @throws BadInputException naming the line of an entry that does not parse
   */
  static FetchJournal open(Path file) {
    List<long[]> bounds = new ArrayList<>();
    long end = 0;
    try {
      if (Files.exists(file)) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
          ByteArrayOutputStream line = new ByteArrayOutputStream(256);
          long offset = 0;
          long lineNo = 0;
          long prev = Long.MAX_VALUE;
          for (int b = in.read(); b >= 0; b = in.read()) {
            offset++;
            if (b != '\n') {
              line.write(b);
              continue;
            }
            lineNo++;
            if (line.size() > 0) {
              Entry e = parse(file, lineNo, line.toByteArray());
              if (e.line() <= prev) {
                bounds.add(new long[] {end, 0});
              }
              prev = e.line();
            }
            line.reset();
            end = offset;
            if (!bounds.isEmpty()) {
              bounds.get(bounds.size() - 1)[1] = end;
            }
          }
        }
        if (Files.size(file) != end) {
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(end); // the entry being written when a run stopped
          }
        }
      }
      List<RunReader> runs = new ArrayList<>(bounds.size());
      for (long[] r : bounds) {
        runs.add(new RunReader(file, r[0], r[1]));
      }
      OutputStream out =
          new BufferedOutputStream(
              Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
      return new FetchJournal(file, runs, end, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Entry parse(Path file, long lineNo, byte[] line) {
    try {
      Entry e = JSON.readValue(line, Entry.class);
      if (e.line() < 1 || e.url() == null || e.sha256() == null || e.verdict() == null) {
        throw new IllegalArgumentException("incomplete");
      }
      return e;
    } catch (IOException | RuntimeException x) {
      throw new BadInputException(
          file, lineNo, "not a download verdict; delete the file to start over");
    }
  }

  /** The number of sorted runs found when the journal was opened. */
  int runs() {
    return runs.size();
  }

  /**
   * The latest entry an earlier run recorded for an index line, or null. Lines must be asked for in
   * increasing order.
   */
  Entry previous(long line) {
    Entry found = null;
    for (RunReader r : runs) {
      Entry e = r.advance(line);
      if (e != null) {
        found = e;
      }
    }
    return found;
  }

  /**
   * Appends an entry of this run and flushes it to the file.
   *
   * @throws IllegalStateException if its line is not after the last appended one
   */
  void append(Entry e) {
    if (e.line() <= lastLine) {
      throw new IllegalStateException("entry for line " + e.line() + " after " + lastLine);
    }
    lastLine = e.line();
    try {
      out.write(JSON.writeValueAsBytes(e));
      out.write('\n');
      out.flush();
    } catch (IOException x) {
      throw new UncheckedIOException("cannot write " + file + ": " + x.getMessage(), x);
    }
  }

  /**
   * Ends a complete run: the file is cut down, atomically, to the entries this run appended, which
   * carry every verdict still valid; the journal is closed.
   */
  void finish() {
    close();
    if (runStart == 0) {
      return;
    }
    AtomicFiles.write(
        file,
        os -> {
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(runStart);
            try (InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
              in.transferTo(os);
            }
          }
        });
  }

  @Override
  public void close() {
    try {
      out.close();
      for (RunReader r : runs) {
        r.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads one sorted run, the entries in {@code [start, end)} of the file. */
  private static final class RunReader implements Closeable {
    private final Path file;
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private long left;
    private Entry head;
    private boolean done;

    RunReader(Path file, long start, long end) throws IOException {
      this.file = file;
      this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      in.skipNBytes(start);
      this.left = end - start;
    }

    /** Skips entries before {@code lineNo}; the entry for it, or null. */
    Entry advance(long lineNo) {
      while (!done && (head == null || head.line() < lineNo)) {
        head = next();
      }
      return head != null && head.line() == lineNo ? head : null;
    }

    private Entry next() {
      try {
        while (left > 0) {
          line.reset();
          for (int b = in.read(); b >= 0 && left > 0; b = in.read()) {
            left--;
            if (b == '\n') {
              break;
            }
            line.write(b);
          }
          if (line.size() > 0) {
            return parse(file, 0, line.toByteArray());
          }
        }
        done = true;
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
