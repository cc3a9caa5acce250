package org.poisonlab.corpus;

/**
 * Where a document came from, carried through every output of a corpus scan.
 *
 * @param file the input file's name as given
 * @param offset the byte offset of the record in the file (JSONL: of the line in the decompressed
 *     stream; WARC: of the record in the file as stored), or the row index (Parquet)
 * @param recordId the record's own identifier (a JSONL line's {@code id}, a WARC-Record-ID, a
 *     Parquet id column), or null
 * @param digest the digest the record declares or, when it declares none, {@code sha1:} + base32 of
 *     the text bytes as read
 * @param url the document's URL, or null
 * @param fetchTime when the document was fetched (ISO-8601 as the format gives it), or null
 */
public record Lineage(
    String file, long offset, String recordId, String digest, String url, String fetchTime) {}
