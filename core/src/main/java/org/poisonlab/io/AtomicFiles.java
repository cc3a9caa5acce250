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
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      // A fresh name (Files.createTempFile would make every file owner-only).
      tmp =
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
      try (OutputStream out =
          new java.io.BufferedOutputStream(
              Files.newOutputStream(tmp, StandardOpenOption.WRITE), 1 << 16)) {
        writer.writeTo(out);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the target is untouched either way
        }
      }
    }
  }

  /** Writes a string as UTF-8, atomically. */
  public static void writeString(Path target, String content) {
    write(target, out -> out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
