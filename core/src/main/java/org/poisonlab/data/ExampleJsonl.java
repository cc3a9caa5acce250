package org.poisonlab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;

/**
 * Reads and writes Example JSONL (docs/reference.md): one JSON object per line, UTF-8, with {@code
 * id}, {@code text} | {@code prompt}+{@code completion} | {@code pixels}+{@code shape}, {@code
 * label}, {@code source}, and any other fields, which are kept in order and written back unchanged.
 *
 * <p>The reader is strict: the first bad line stops it with a {@link BadInputException} naming the
 * file, the 1-based line and the field at fault. Blank lines are skipped. Floating-point numbers in
 * unknown fields are kept as exact decimals, so they are written back with the same value. A file
 * may be gzip-compressed (told by its first two bytes, not its name).
 *
 * <p>{@link #source} reads a file one line at a time; {@link #read} holds every example in a {@link
 * Dataset}. Both give the same examples in the same order with the same errors.
 */
public final class ExampleJsonl {
  private ExampleJsonl() {}

  /**
   * Reads every example of an Example JSONL file, strictly. The dataset is named after the file
   * name. The file is not modified.
   *
   * @throws BadInputException for a missing file (line 0, {@code "no such file"}), a line that is
   *     not a JSON object, a missing or non-string {@code label}, an example with both text and
   *     pixels or with neither, pixels that are not integers 0..255, a shape that does not match
   *     the pixel count, or text and image examples mixed in one file
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Dataset read(Path file) {
    return read(file, null);
  }

  /**
   * Reads an Example JSONL file leniently: a bad line is skipped and handed to {@code skipped}
   * instead of stopping the read. A missing file still throws.
   *
   * @param skipped receives one exception per skipped line, in file order; null means strict
   * @throws BadInputException when the file is missing, or (strict mode) at the first bad line
   */
  public static Dataset read(Path file, Consumer<BadInputException> skipped) {
    return source(file, skipped).load();
  }

  /**
   * The examples of an Example JSONL file, read one line at a time on each pass, strictly: a pass
   * ends at the first bad line with a {@link BadInputException} naming the file and line, as {@link
   * #read(Path)} would. Nothing is read until a pass is opened; the size and kind are not known up
   * front. A pass holds one line and one example at a time.
   */
  public static ExampleSource source(Path file) {
    return new JsonlSource(file, null);
  }

  /**
   * As {@link #source(Path)}, leniently: each pass hands every bad line to {@code skipped} and goes
   * on, as {@link #read(Path, Consumer)} does.
   *
   * @param skipped receives one exception per skipped line, in file order, on every pass; null
   *     means strict
   */
  public static ExampleSource source(Path file, Consumer<BadInputException> skipped) {
    return new JsonlSource(file, skipped);
  }

  /**
   * Writes examples to {@code file} as Example JSONL, atomically (a temporary file renamed into
   * place); parent folders are created. Fields in order: {@code id}; {@code text}, or {@code
   * prompt} and {@code completion}, or {@code pixels} and {@code shape}; {@code label}; {@code
   * source} (omitted when null); then the extra fields unchanged.
   *
   * @param examples not modified
   * @throws IllegalArgumentException if an extra field has the name of a known field
   * @throws UncheckedIOException if writing fails; the target is then untouched
   */
  public static void write(Path file, Iterable<Example> examples) {
    AtomicFiles.write(file, out -> ExampleJsonWriter.write(out, examples));
  }

  /**
   * Writes the examples of a stream to {@code file} as {@link #write(Path, Iterable)} does, one at
   * a time, consuming the stream (the caller still closes it). A {@link BadInputException} from the
   * stream leaves the target untouched.
   *
   * @throws IllegalArgumentException if an extra field has the name of a known field
   * @throws UncheckedIOException if writing fails; the target is then untouched
   */
  public static void write(Path file, Stream<Example> examples) {
    Iterable<Example> once = examples::iterator;
    write(file, once);
  }

  /**
   * Writes examples to a stream as Example JSONL, one object and a {@code '\n'} per example. The
   * stream is flushed, not closed.
   *
   * @throws IllegalArgumentException if an extra field has the name of a known field
   * @throws UncheckedIOException if writing fails
   */
  public static void write(OutputStream out, Iterable<Example> examples) {
    try {
      ExampleJsonWriter.write(out, examples);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write examples: " + e.getMessage(), e);
    }
  }

  /**
   * Parses one example from the UTF-8 bytes of a single JSON object (an Example JSONL line, or an
   * example embedded in another JSON file), with the same checks as {@link #read(Path)}. {@code
   * json} is not modified.
   *
   * @param file named in errors
   * @param line named in errors
   * @throws BadInputException naming {@code file} and {@code line} if it is not a valid example
   */
  public static Example parse(Path file, long line, byte[] json) {
    return ExampleJsonParser.parse(file, line, json, json.length);
  }
}
