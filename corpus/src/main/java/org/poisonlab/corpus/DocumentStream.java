package org.poisonlab.corpus;

import java.io.IOException;
import java.util.List;

/**
 * Documents read one at a time from one file, in file order, in memory independent of the file's
 * size. Records that cannot be read are skipped and listed by {@link #badRecords()}.
 */
public interface DocumentStream extends AutoCloseable {
  /** The next document, or null at the end of the file. */
  Document next() throws IOException;

  /** The records skipped so far, in file order. */
  List<BadRecord> badRecords();

  /** Counts of what has been read so far. */
  ReadStats stats();

  @Override
  void close() throws IOException;
}
