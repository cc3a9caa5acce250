package org.poisonlab.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.poisonlab.io.BadInputException;

/**
 * An Example JSONL file read line by line, plain or gzip-compressed (told by the gzip magic bytes
 * {@code 1f 8b}, which no JSON text starts with). Strict unless {@code skipped} is given.
 */
final class JsonlSource implements ExampleSource {
  private final Path file;
  private final Consumer<BadInputException> skipped;

  /**
   * @param skipped receives each skipped bad line; null for strict reading
   */
  JsonlSource(Path file, Consumer<BadInputException> skipped) {
    this.file = file;
    this.skipped = skipped;
  }

  @Override
  public String name() {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  @Override
  public Optional<Dataset.Kind> knownKind() {
    return Optional.empty();
  }

  @Override
  public OptionalLong knownSize() {
    return OptionalLong.empty();
  }

  @Override
  public Stream<Example> open() {
    if (!Files.exists(file)) {
      throw new BadInputException(file, 0, "no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "not a regular file");
    }
    InputStream in;
    try {
      in = decompressed(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Lines lines = new Lines(in);
    return StreamSupport.stream(lines, false).onClose(lines::close);
  }

  private InputStream decompressed(BufferedInputStream raw) throws IOException {
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 != 0x1f || b1 != 0x8b) {
      return raw;
    }
    try {
      return new GZIPInputStream(raw, 1 << 16);
    } catch (IOException e) {
      raw.close();
      throw new BadInputException(file, 0, "corrupt gzip stream: " + e.getMessage());
    }
  }

  /** The examples of one pass: one line parsed per advance. */
  private final class Lines extends Spliterators.AbstractSpliterator<Example> {
    private final InputStream in;
    private final JsonlLineReader lines;
    private long lineNo;
    private Boolean image;
    private long firstLine;

    Lines(InputStream in) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.in = in;
      this.lines = new JsonlLineReader(in);
    }

    @Override
    public boolean tryAdvance(Consumer<? super Example> action) {
      try {
        while (lines.next()) {
          lineNo++;
          if (lines.isBlank()) {
            continue;
          }
          Example e;
          try {
            e = checked(ExampleJsonParser.parse(file, lineNo, lines.buffer(), lines.length()));
          } catch (BadInputException bad) {
            if (skipped == null) {
              throw bad;
            }
            skipped.accept(bad);
            continue;
          }
          action.accept(e);
          return true;
        }
        return false;
      } catch (EOFException e) {
        throw new BadInputException(file, lineNo + 1, "truncated gzip stream");
      } catch (ZipException e) {
        throw new BadInputException(file, lineNo + 1, "corrupt gzip stream: " + e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    /** The example, if it is of the kind of the first one in the file. */
    private Example checked(Example e) {
      if (image == null) {
        image = e.isImage();
        firstLine = lineNo;
      } else if (image != e.isImage()) {
        throw new BadInputException(
            file,
            lineNo,
            (e.isImage() ? "image" : "text")
                + " example in a file of "
                + (image ? "image" : "text")
                + " examples (see line "
                + firstLine
                + ")");
      }
      return e;
    }

    void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
