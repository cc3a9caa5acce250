package org.poisonlab.corpus;

/**
 * A record a reader could not use (malformed, or its content does not match its declared digest),
 * reported with its place; the reader goes on with the next record.
 *
 * @param file the input file's name
 * @param offset the record's byte offset (or row index)
 * @param problem what is wrong, in one line
 */
public record BadRecord(String file, long offset, String problem) {
  /** {@code file@offset: problem}, the form every report uses. */
  public String describe() {
    return file + "@" + offset + ": " + problem;
  }
}
