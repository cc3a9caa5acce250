package org.poisonlab.corpus;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.poisonlab.io.BadInputException;

/**
 * Opens a corpus file as a {@link DocumentStream}, choosing the format by the name's ending: {@code
 * .jsonl} (or {@code .json}), {@code .jsonl.gz}, {@code .jsonl.zst}, {@code .parquet}, {@code
 * .warc}, {@code .warc.gz}.
 *
 * <p>Every stream reads in memory bounded independently of the file's size: one line, one WARC
 * record or one Parquet row group at a time. Records that cannot be read are listed by {@link
 * DocumentStream#badRecords()} with their file and offset, and reading goes on.
 *
 * <ul>
 *   <li>JSONL, plain or compressed: offsets are byte offsets of lines in the decompressed stream. A
 *       gzip file may have several members and a zstd file several frames.
 *   <li>WARC, plain or gzip (a member per record): documents come from {@code response} records
 *       (the HTTP payload decoded with the charset of its Content-Type, UTF-8 when none) and {@code
 *       resource} records; non-text payloads are skipped and counted. Every WARC-Block-Digest, and
 *       the WARC-Payload-Digest of response and resource records, is recomputed (in any algorithm
 *       the JDK has: sha1, sha256, md5, ...); a record that does not match, or cannot be parsed, is
 *       a bad record at its offset in the file as stored. A file opened by path is searched for the
 *       next record after a malformed one; a stream cannot be searched, and the rest of it is
 *       reported as one bad record.
 *   <li>Parquet: columns {@code text} (required), and optionally {@code id}, {@code url}, {@code
 *       source}, {@code digest}, {@code fetch_time}; offsets are row indexes; a row without text is
 *       a bad record.
 * </ul>
 */
public final class CorpusReaders {
  private CorpusReaders() {}

  /**
   * A stream over {@code file}'s documents.
   *
   * @throws BadInputException naming the file when the ending is not a known format, the file
   *     cannot be opened, or (Parquet) it has no usable {@code text} column
   */
  public static DocumentStream open(Path file) {
    return open(file, true);
  }

  /**
   * A second read of {@code file}, whose first read found no bad record: JSONL texts are not hashed
   * again (the first read checked every {@code sha1:} digest); a declared digest is carried as
   * read, and a document without one gets none.
   */
  static DocumentStream reread(Path file) {
    return open(file, false);
  }

  private static DocumentStream open(Path file, boolean checkDigests) {
    String name = file.toString();
    CorpusFormat format = formatOf(file, file.getFileName().toString());
    try {
      return switch (format) {
        case PARQUET -> ParquetDocumentStream.open(name, new LocalInputFile(file), file);
        case WARC, WARC_GZ ->
            new WarcDocumentStream(name, FileChannel.open(file, StandardOpenOption.READ));
        default -> open(name, Files.newInputStream(file), format, file, checkDigests);
      };
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * A stream over the documents of {@code in}, a file named {@code name} in a format that reads
   * front to back (JSONL in all its forms, WARC). The stream closes {@code in}. {@code name} goes
   * into every lineage and bad record.
   *
   * @throws BadInputException naming the file when the ending is not a known format, is {@code
   *     .parquet} (use {@link #open(String, InputFile)}), or the start of {@code in} cannot be read
   */
  public static DocumentStream open(String name, InputStream in) {
    Path named = Path.of(name);
    CorpusFormat format = formatOf(named, name);
    if (format == CorpusFormat.PARQUET) {
      throw new BadInputException(
          named, 0, "Parquet needs random access: open it as an org.apache.parquet.io.InputFile");
    }
    try {
      if (format == CorpusFormat.WARC || format == CorpusFormat.WARC_GZ) {
        return new WarcDocumentStream(name, in);
      }
      return open(name, in, format, named, true);
    } catch (IOException e) {
      throw new BadInputException(named, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * A stream over the rows of a Parquet file given as a Parquet {@link InputFile} (for instance one
   * on a Hadoop file system). {@code name} goes into every lineage and bad record.
   *
   * @throws BadInputException naming the file when it is not Parquet or has no usable {@code text}
   *     column
   */
  public static DocumentStream open(String name, InputFile in) {
    return ParquetDocumentStream.open(name, in, Path.of(name));
  }

  private static DocumentStream open(
      String name, InputStream raw, CorpusFormat format, Path named, boolean checkDigests)
      throws IOException {
    try {
      InputStream buffered = new BufferedInputStream(raw, 1 << 16);
      InputStream in =
          switch (format) {
              // all members, not only the first; java.util.zip may stop early on streams
            case JSONL_GZ -> new GzipCompressorInputStream(buffered, true);
            case JSONL_ZST -> new BufferedInputStream(new ZstdInputStream(buffered), 1 << 16);
            default -> buffered;
          };
      return new JsonlDocumentStream(name, in, checkDigests);
    } catch (IOException e) {
      raw.close();
      throw new BadInputException(named, 0, "not a " + format + " file: " + e.getMessage(), e);
    }
  }

  private static CorpusFormat formatOf(Path file, String name) {
    CorpusFormat format = CorpusFormat.of(name);
    if (format == null) {
      throw new BadInputException(
          file, 0, "unknown corpus format (expected " + CorpusFormat.KNOWN + ")");
    }
    return format;
  }
}
