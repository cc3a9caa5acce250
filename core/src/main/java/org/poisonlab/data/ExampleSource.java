package org.poisonlab.data;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Examples that can be read one pass at a time, without holding them all: an Example JSONL file
 * ({@link ExampleJsonl#source}), a pinned dataset split ({@link PinnedDatasets#source}), or an
 * in-memory {@link Dataset}, which is itself a source.
 *
 * <p>Code that reads the examples once, in order, takes a source; code that needs them all at once
 * (random access, several passes, shuffling) takes a {@link Dataset}, and a caller turns a source
 * into one with {@link #load()}.
 *
 * <p>Each {@link #open()} starts a fresh pass over the same examples in the same order. Memory held
 * by a pass is one example at a time plus the reader's buffers. Readers are strict unless made
 * otherwise: the first bad record ends the pass with a {@link org.poisonlab.io.BadInputException}
 * naming the file and line (or record), thrown from the stream's terminal operation.
 */
public interface ExampleSource {
  /** A short name for messages and provenance: a file name, {@code fashion-mnist:train}. */
  String name();

  /**
   * Whether the examples are text or images, when known before reading them (an IDX file, a dataset
   * in memory); empty when only reading tells (an Example JSONL file).
   */
  Optional<Dataset.Kind> knownKind();

  /**
   * Whether the examples are text or images: {@link #knownKind()}, else what the first example is
   * (reading one record), else text for an empty source, as for an empty {@link Dataset}.
   *
   * @throws org.poisonlab.io.BadInputException if the first record is bad
   */
  default Dataset.Kind kind() {
    return knownKind()
        .orElseGet(
            () -> {
              try (Stream<Example> s = open()) {
                return s.findFirst()
                    .map(e -> e.isImage() ? Dataset.Kind.IMAGE : Dataset.Kind.TEXT)
                    .orElse(Dataset.Kind.TEXT);
              }
            });
  }

  /** The number of examples, when known before reading them; empty otherwise. */
  OptionalLong knownSize();

  /**
   * Opens one pass over the examples, in order. The stream holds an open file: close it (a
   * try-with-resources block), as with {@link java.nio.file.Files#lines}. Sequential; its iterator
   * and {@code forEachOrdered} read lazily.
   *
   * @throws org.poisonlab.io.BadInputException for a missing file (at once) or a bad record (when
   *     the stream reaches it)
   * @throws java.io.UncheckedIOException if reading fails
   */
  Stream<Example> open();

  /**
   * Reads one pass, handing each example to {@code action} in order; the stream is closed after.
   *
   * @throws org.poisonlab.io.BadInputException as {@link #open()}; the examples before the bad one
   *     have been handed over
   */
  default void forEach(Consumer<? super Example> action) {
    try (Stream<Example> s = open()) {
      s.forEachOrdered(action);
    }
  }

  /**
   * All the examples in memory, under this source's name: one pass into a {@link Dataset}.
   *
   * @throws org.poisonlab.io.BadInputException as {@link #open()}
   * @throws IllegalArgumentException if the examples mix text and images
   */
  default Dataset load() {
    try (Stream<Example> s = open()) {
      return new Dataset(name(), s.toList());
    }
  }
}
