package org.poisonlab.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.poisonlab.io.BadInputException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al., "Gradient-based learning
 * applied to document recognition", 1998; format described with the MNIST database): a magic number
 * {@code 0x0000TTNN} (type {@code TT}, {@code NN} dimensions), {@code NN} big-endian 32-bit sizes,
 * then the values in row-major order. Only unsigned bytes ({@code TT = 0x08}) are supported.
 */
public final class Idx {
  private static final int MAX_DIMS = 4;

  private Idx() {}

  /**
   * Reads an IDX file, raw or gzip-compressed (recognised by the gzip magic bytes {@code 1f 8b}).
   * The file is not modified.
   *
   * @throws BadInputException (line 0) for a missing file, a wrong magic number ({@code "wrong IDX
   *     magic 0x...; expected 0x00000801 or 0x00000803 ..."}), fewer bytes than the sizes call for
   *     ({@code "truncated: expected N bytes, found M"}), more bytes than that, or a gzip stream
   *     that ends early ({@code "truncated gzip stream"}) or is corrupt
   * @throws UncheckedIOException if the file cannot be read
   */
  public static IdxArray read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(
          file, 0, Files.exists(file) ? "not a regular file" : "no such file");
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      return read(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, file);
    } catch (EOFException e) {
      throw new BadInputException(file, 0, "truncated gzip stream");
    } catch (ZipException e) {
      throw new BadInputException(file, 0, "corrupt gzip stream: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an uncompressed IDX stream to its end; {@code file} names it in messages. The stream is
   * not closed.
   */
  static IdxArray read(InputStream in, Path file) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4) {
      throw new BadInputException(
          file, 0, "truncated: expected at least 4 bytes, found " + magic.length);
    }
    int m = toInt(magic, 0);
    int dimsCount = m & 0xFF;
    if ((m >>> 8) != 0x08 || dimsCount < 1 || dimsCount > MAX_DIMS) {
      throw new BadInputException(
          file,
          0,
          String.format(
              "wrong IDX magic 0x%08x; expected 0x00000801 or 0x00000803"
                  + " (unsigned bytes in 1 to %d dimensions: 0x0000080N)",
              m, MAX_DIMS));
    }
    int header = 4 + 4 * dimsCount;
    byte[] sizes = in.readNBytes(4 * dimsCount);
    if (sizes.length < 4 * dimsCount) {
      throw new BadInputException(
          file,
          0,
          "truncated: expected " + header + " bytes of header, found " + (4 + sizes.length));
    }
    int[] dims = new int[dimsCount];
    long n = 1;
    for (int i = 0; i < dimsCount; i++) {
      dims[i] = toInt(sizes, 4 * i);
      if (dims[i] < 0) {
        throw new BadInputException(
            file,
            0,
            "dimension " + i + " has a negative size " + dims[i] + " (sizes read as signed)");
      }
      n *= dims[i];
      if (n > Integer.MAX_VALUE - 64) {
        throw new BadInputException(
            file,
            0,
            "sizes " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " are too large to load");
      }
    }
    byte[] data = new byte[(int) n];
    int got = in.readNBytes(data, 0, data.length);
    if (got < data.length) {
      throw new BadInputException(
          file, 0, "truncated: expected " + (header + n) + " bytes, found " + (header + got));
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new BadInputException(
          file,
          0,
          "sizes "
              + Arrays.toString(dims)
              + " do not match the bytes: expected "
              + (header + n)
              + " bytes, found "
              + (header + n + extra));
    }
    return new IdxArray(dims, data);
  }

  /**
   * Reads a raw (uncompressed) IDX file of unsigned bytes as one fresh array per item, without a
   * whole-file buffer: for bulk loaders that hand the arrays over to examples.
   *
   * @param itemDims the expected dimensions after the first (e.g. 28, 28)
   * @throws BadInputException if the magic, the dimensions or the file size do not match
   */
  static byte[][] readItems(Path file, int... itemDims) throws IOException {
    try (Items in = Items.open(file, itemDims)) {
      byte[][] items = new byte[in.count()][];
      for (int i = 0; i < items.length; i++) {
        items[i] = in.next();
      }
      return items;
    }
  }

  /**
   * A raw (uncompressed) IDX file of unsigned bytes read item by item: the header and the file size
   * are checked on opening, then each {@link #next()} reads one item into a fresh array. Holds one
   * 64 KiB buffer.
   */
  static final class Items implements java.io.Closeable {
    private final Path file;
    private final InputStream in;
    private final int count;
    private final int size;
    private int read;

    private Items(Path file, InputStream in, int count, int size) {
      this.file = file;
      this.in = in;
      this.count = count;
      this.size = size;
    }

    /**
     * Opens {@code file} and checks its header against {@code itemDims} (the dimensions after the
     * first; none for a 1-D file of single values) and its size against the header.
     *
     * @throws BadInputException if the magic, the dimensions or the file size do not match
     */
    static Items open(Path file, int... itemDims) throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new BadInputException(file, 0, "no such file");
      }
      long fileSize = Files.size(file);
      InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      try {
        int dimsCount = itemDims.length + 1;
        int header = 4 + 4 * dimsCount;
        byte[] head = in.readNBytes(header);
        int magic = head.length < 4 ? -1 : toInt(head, 0);
        if (magic != (0x0800 | dimsCount)) {
          throw new BadInputException(
              file,
              0,
              String.format("wrong IDX magic 0x%08x; expected 0x%08x", magic, 0x0800 | dimsCount));
        }
        if (head.length < header) {
          throw new BadInputException(
              file, 0, "truncated: expected " + header + " bytes of header, found " + head.length);
        }
        int n = toInt(head, 4);
        int size = 1;
        for (int i = 0; i < itemDims.length; i++) {
          int d = toInt(head, 8 + 4 * i);
          if (d != itemDims[i]) {
            throw new BadInputException(
                file, 0, "item dimension " + i + " is " + d + ", expected " + itemDims[i]);
          }
          size *= d;
        }
        long expected = header + (long) n * size;
        if (n < 0 || fileSize != expected) {
          throw new BadInputException(
              file,
              0,
              (fileSize < expected ? "truncated: " : "sizes do not match the bytes: ")
                  + "expected "
                  + expected
                  + " bytes, found "
                  + fileSize);
        }
        return new Items(file, in, n, size);
      } catch (RuntimeException | IOException e) {
        in.close();
        throw e;
      }
    }

    /** The number of items the header states. */
    int count() {
      return count;
    }

    /** True while items remain. */
    boolean hasNext() {
      return read < count;
    }

    /**
     * The next item as a fresh array the caller owns.
     *
     * @throws java.util.NoSuchElementException after the last item
     * @throws BadInputException if the file ends early (it shrank after opening)
     */
    byte[] next() throws IOException {
      if (read == count) {
        throw new java.util.NoSuchElementException("all " + count + " items of " + file + " read");
      }
      byte[] item = new byte[size];
      if (in.readNBytes(item, 0, size) != size) {
        throw new BadInputException(file, 0, "truncated while reading item " + read);
      }
      read++;
      return item;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static int toInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }
}
