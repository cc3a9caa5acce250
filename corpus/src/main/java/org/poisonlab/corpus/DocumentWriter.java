package org.poisonlab.corpus;

import java.io.IOException;

/**
 * Writes documents to one corpus file, in the order given. The bytes go to a temporary file beside
 * the target, which {@link #close()} renames into place: a reader never sees half a file. The same
 * documents in the same order give the same bytes.
 */
public interface DocumentWriter extends AutoCloseable {
  /**
   * Appends a document. Its text, record id, URL and source read back unchanged through {@link
   * CorpusReaders}.
   *
   * @throws IOException if writing fails; the writer then discards the file on close
   */
  void write(Document document) throws IOException;

  /** Discards what was written: the target stays as it was. Close is then a no-op. */
  void abort();

  /**
   * Finishes the file and renames it into place, unless a write failed or {@link #abort()} was
   * called, in which case the temporary file is removed and the target stays as it was.
   *
   * @throws IOException if finishing or renaming fails (the target then stays as it was)
   */
  @Override
  void close() throws IOException;
}
