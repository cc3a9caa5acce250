package org.poisonlab.data;

import java.io.BufferedInputStream;
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
import org.poisonlab.io.BadInputException;

/**
 * One split of the Fashion-MNIST derived cache read record by record: an image from the images IDX
 * file, its label from the labels IDX file and its id from the precomputed ids, the same examples
 * {@link FashionMnistFormat#load} gives. Kind and size are known from the headers.
 */
final class FashionMnistSource implements ExampleSource {
  private static final int[] SHAPE = {FashionMnistFormat.SIDE, FashionMnistFormat.SIDE};

  private final Path derivedDir;
  private final String prefix;
  private final String name;
  private final int count;

  /**
   * Checks that the three files of the split agree.
   *
   * @throws BadInputException if a file is missing or malformed, or the counts differ
   */
  FashionMnistSource(Path derivedDir, String prefix, String name) throws IOException {
    this.derivedDir = derivedDir;
    this.prefix = prefix;
    this.name = name;
    try (Parts p = new Parts()) {
      this.count = p.images.count();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<Dataset.Kind> knownKind() {
    return Optional.of(Dataset.Kind.IMAGE);
  }

  @Override
  public OptionalLong knownSize() {
    return OptionalLong.of(count);
  }

  @Override
  public Stream<Example> open() {
    Parts parts;
    try {
      parts = new Parts();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + derivedDir + ": " + e.getMessage(), e);
    }
    Records records = new Records(parts);
    return StreamSupport.stream(records, false).onClose(parts::closeUnchecked);
  }

  /** The open files of one pass, checked against each other. */
  private final class Parts implements AutoCloseable {
    final Idx.Items images;
    final Idx.Items labels;
    final InputStream ids;

    Parts() throws IOException {
      Idx.Items im = null;
      Idx.Items lb = null;
      try {
        im =
            Idx.Items.open(
                derivedDir.resolve(prefix + "-images-idx3-ubyte"),
                FashionMnistFormat.SIDE,
                FashionMnistFormat.SIDE);
        lb = Idx.Items.open(derivedDir.resolve(prefix + "-labels-idx1-ubyte"));
        Path idsFile = derivedDir.resolve(prefix + FashionMnistFormat.IDS_SUFFIX);
        long idBytes = Files.isRegularFile(idsFile) ? Files.size(idsFile) : -1;
        if (lb.count() != im.count() || idBytes != (long) FashionMnistFormat.DIGEST * im.count()) {
          throw new BadInputException(
              derivedDir,
              0,
              "derived cache is inconsistent ("
                  + im.count()
                  + " images, "
                  + lb.count()
                  + " labels, "
                  + idBytes / FashionMnistFormat.DIGEST
                  + " ids): delete the folder to rebuild it");
        }
        this.ids = new BufferedInputStream(Files.newInputStream(idsFile), 1 << 16);
      } catch (RuntimeException | IOException e) {
        if (im != null) {
          im.close();
        }
        if (lb != null) {
          lb.close();
        }
        throw e;
      }
      this.images = im;
      this.labels = lb;
    }

    @Override
    public void close() throws IOException {
      try (images;
          labels;
          ids) {
        // closes all three, reporting the first failure
      }
    }

    void closeUnchecked() {
      try {
        close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + derivedDir + ": " + e.getMessage(), e);
      }
    }
  }

  /** One example per advance. */
  private final class Records extends Spliterators.AbstractSpliterator<Example> {
    private final Parts parts;
    private final byte[] digest = new byte[FashionMnistFormat.DIGEST];
    private int index;

    Records(Parts parts) {
      super(
          count,
          Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SIZED | Spliterator.IMMUTABLE);
      this.parts = parts;
    }

    @Override
    public boolean tryAdvance(Consumer<? super Example> action) {
      if (!parts.images.hasNext()) {
        return false;
      }
      try {
        byte[] pixels = parts.images.next();
        int label = parts.labels.next()[0] & 0xFF;
        if (parts.ids.readNBytes(digest, 0, digest.length) != digest.length) {
          throw new BadInputException(derivedDir, 0, prefix + " ids end before item " + index);
        }
        action.accept(
            FashionMnistFormat.example(derivedDir, prefix, index, pixels, label, digest, 0));
        index++;
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + derivedDir + ": " + e.getMessage(), e);
      }
    }
  }
}
