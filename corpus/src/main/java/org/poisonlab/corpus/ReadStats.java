package org.poisonlab.corpus;

/**
 * What a {@link DocumentStream} has read so far.
 *
 * <p>{@code records = documents + skipped + bad}. {@code digestsChecked <= digestRecords}; a scan
 * reports "digests checked on {@code 100 * digestsChecked / digestRecords} % of the records that
 * carry one".
 *
 * @param records records met: JSONL non-blank lines, Parquet rows, WARC records of every type (an
 *     unreadable stretch of a WARC file counts as one)
 * @param documents records returned as documents
 * @param digestRecords records that declare a digest of their own content (a WARC-Block-Digest, or
 *     the WARC-Payload-Digest of a {@code response} or {@code resource} record; a {@code revisit}
 *     record's payload digest names another record's payload and does not count)
 * @param digestsChecked of those, records whose every such digest was recomputed and compared (a
 *     digest in an algorithm the JDK lacks is not checked)
 * @param skipped records read without trouble that hold no document (WARC {@code warcinfo} and
 *     {@code request} records, non-text payloads)
 * @param bad records reported by {@link DocumentStream#badRecords()}
 */
public record ReadStats(
    long records, long documents, long digestRecords, long digestsChecked, long skipped, long bad) {

  /** The share of records carrying a digest whose digests were checked, 1 when none carry one. */
  public double digestCoverage() {
    return digestRecords == 0 ? 1.0 : (double) digestsChecked / digestRecords;
  }
}
