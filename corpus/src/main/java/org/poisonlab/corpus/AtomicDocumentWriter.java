package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.file.Path;
import org.poisonlab.io.AtomicFiles;

/** The temporary-file discipline every format's writer shares: write, then rename or discard. */
abstract class AtomicDocumentWriter implements DocumentWriter {
  private final Path target;
  final Path tmp;
  private boolean failed;
  private boolean closed;

  AtomicDocumentWriter(Path target) throws IOException {
    this.target = target;
    this.tmp = AtomicFiles.createTemp(target);
  }

  /** Writes one document to the temporary file. */
  abstract void append(Document d) throws IOException;

  /** Flushes and closes the temporary file. */
  abstract void finish() throws IOException;

  @Override
  public final void write(Document document) throws IOException {
    if (closed) {
      throw new IllegalStateException("writer for " + target + " is closed");
    }
    try {
      append(document);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public final void abort() {
    if (!closed) {
      closed = true;
      try {
        finish();
      } catch (IOException | RuntimeException ignored) {
        // the file is discarded anyway
      }
      AtomicFiles.deleteQuietly(tmp);
    }
  }

  @Override
  public final void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    boolean done = false;
    try {
      finish();
      if (!failed) {
        AtomicFiles.moveIntoPlace(tmp, target);
        done = true;
      }
    } finally {
      if (!done) {
        AtomicFiles.deleteQuietly(tmp);
      }
    }
  }
}
