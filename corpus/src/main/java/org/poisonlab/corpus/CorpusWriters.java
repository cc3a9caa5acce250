package org.poisonlab.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.poisonlab.io.BadInputException;

/**
 * Creates a {@link DocumentWriter} for a corpus file, choosing the format by the name's ending, as
 * {@link CorpusReaders} reads it back.
 *
 * <ul>
 *   <li>{@code .jsonl}, {@code .jsonl.gz}, {@code .jsonl.zst}: one object a line with {@code id},
 *       {@code text}, {@code url}, {@code source}, {@code digest}, {@code fetch_time} (null fields
 *       left out).
 *   <li>{@code .parquet}: the same six string columns, {@code text} required, zstd-compressed, row
 *       groups of about 32 MiB (so a reader holds at most that much).
 *   <li>{@code .warc}, {@code .warc.gz} (a gzip member per record): a document with an http or
 *       https URL becomes a {@code response} record (a minimal {@code HTTP/1.1 200} header, {@code
 *       text/plain; charset=utf-8} body), any other a {@code resource} record with that content
 *       type. Each record has correct sha1 WARC-Block-Digest and WARC-Payload-Digest.
 *       WARC-Record-ID is the document's record id when that is an absolute URI, else {@code
 *       urn:poisonlab:id:}{@code <percent-encoded id>}, else (no id) a name-based {@code urn:uuid}
 *       made from the record's place and text; WARC-Target-URI is the URL, else {@code
 *       urn:poisonlab:doc:}{@code <source>:<id>}; WARC-Date is the fetch time when it parses as an
 *       ISO-8601 instant, else 1970-01-01T00:00:00Z (never the clock, so output is reproducible). A
 *       {@code PoisonLab-Source} header carries the source when the URL's host does not give it.
 * </ul>
 */
public final class CorpusWriters {
  private CorpusWriters() {}

  /**
   * A writer for {@code file}; nothing appears at {@code file} until the writer is closed.
   *
   * @throws BadInputException naming the file when its ending is not a known format
   * @throws UncheckedIOException if the temporary file cannot be created
   */
  public static DocumentWriter create(Path file) {
    CorpusFormat format = CorpusFormat.of(file.getFileName().toString());
    if (format == null) {
      throw new BadInputException(
          file, 0, "unknown corpus format (expected " + CorpusFormat.KNOWN + ")");
    }
    try {
      return switch (format) {
        case JSONL, JSONL_GZ, JSONL_ZST -> new JsonlDocumentWriter(file, format);
        case PARQUET -> new ParquetDocumentWriter(file, ParquetDocumentWriter.ROW_GROUP_BYTES);
        case WARC, WARC_GZ -> new WarcDocumentWriter(file, format == CorpusFormat.WARC_GZ);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
