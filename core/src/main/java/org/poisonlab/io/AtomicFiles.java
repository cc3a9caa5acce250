package org.poisonlab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader never sees half of one: the bytes go to a temporary file beside the
 * target, which is renamed into place only when complete. A failed write leaves the target as it
 * was and removes the temporary file.
 */
public final class AtomicFiles {
  private static final java.util.concurrent.atomic.AtomicLong TEMP_COUNTER =
      new java.util.concurrent.atomic.AtomicLong();

  /** Writes the content of a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} through {@code writer}, atomically, with the process's ordinary
   * permissions. Parent folders are created.
   *
   * @throws UncheckedIOException if writing or renaming fails; the target is then untouched
   */
  public static void write(Path target, Writer writer) {
    write(target, writer, false);
  }

  /**
   * Like {@link #write(Path, Writer)}, but on POSIX file systems the file is readable and writable
   * by its owner only from the moment it is created (for secrets such as private keys).
   */
  public static void writeOwnerOnly(Path target, Writer writer) {
    write(target, writer, true);
  }

  private static void write(Path target, Writer writer, boolean ownerOnly) {
    Path tmp = null;
    try {
      tmp = createTemp(target, ownerOnly);
      try (OutputStream out =
          new java.io.BufferedOutputStream(
              Files.newOutputStream(tmp, StandardOpenOption.WRITE), 1 << 16)) {
        writer.writeTo(out);
      }
      moveIntoPlace(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Creates an empty temporary file beside {@code target} (parent folders are created), for a
   * writer that fills it over time and then calls {@link #moveIntoPlace(Path, Path)}, or {@link
   * #deleteQuietly(Path)} on failure.
   *
   * @throws IOException if the folder or the file cannot be created
   */
  public static Path createTemp(Path target) throws IOException {
    return createTemp(target, false);
  }

  private static Path createTemp(Path target, boolean ownerOnly) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    // A fresh name (Files.createTempFile would make every file owner-only).
    Path tmp =
        dir.resolve(
            "."
                + abs.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "-"
                + TEMP_COUNTER.incrementAndGet()
                + ".tmp");
    if (ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          tmp,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    return tmp;
  }

  /**
   * Renames a complete temporary file made by {@link #createTemp(Path)} to {@code target},
   * atomically where the file system can, replacing what was there.
   */
  public static void moveIntoPlace(Path tmp, Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    try {
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes {@code tmp} if it is not null and exists, ignoring failure (best effort). */
  public static void deleteQuietly(Path tmp) {
    if (tmp != null) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: the target is untouched either way
      }
    }
  }

  /** Writes a string as UTF-8, atomically. */
  public static void writeString(Path target, String content) {
    write(target, out -> out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
