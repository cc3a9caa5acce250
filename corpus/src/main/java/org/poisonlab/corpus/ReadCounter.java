package org.poisonlab.corpus;

/** The mutable side of {@link ReadStats}, kept by one stream. */
final class ReadCounter {
  long records;
  long documents;
  long digestRecords;
  long digestsChecked;
  long skipped;
  long bad;

  ReadStats snapshot() {
    return new ReadStats(records, documents, digestRecords, digestsChecked, skipped, bad);
  }
}
