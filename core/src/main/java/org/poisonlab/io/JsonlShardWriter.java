package org.poisonlab.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes JSON objects one a line into numbered shards {@code shard-00000.jsonl}, {@code
 * shard-00001.jsonl}, … in a folder, starting a new shard once the current one holds at least the
 * shard size. The same records in the same order give the same bytes. Memory holds one record.
 */
public final class JsonlShardWriter implements Closeable {
  /** 64 MiB, the shard size of PoisonLab's corpora. */
  public static final long DEFAULT_SHARD_BYTES = 64L << 20;

  /** Writes the fields of one object (the writer opens and closes the object). */
  @FunctionalInterface
  public interface Fields {
    void writeTo(JsonGenerator g) throws IOException;
  }

  private static final JsonFactory FACTORY = new JsonFactory();

  private final Path dir;
  private final long shardBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(1 << 16);
  private final List<Path> shards = new ArrayList<>();
  private OutputStream out;
  private long inShard;
  private long records;
  private long bytes;

  /**
   * A writer into {@code dir} (created when missing). Existing shard files there are overwritten.
   *
   * @throws IllegalArgumentException if {@code shardBytes} is not positive
   */
  public JsonlShardWriter(Path dir, long shardBytes) {
    if (shardBytes <= 0) {
      throw new IllegalArgumentException("shard size must be positive, got " + shardBytes);
    }
    this.dir = dir;
    this.shardBytes = shardBytes;
  }

  /** The name of shard {@code index}: {@code shard-00007.jsonl}. */
  public static String shardName(int index) {
    return String.format(Locale.ROOT, "shard-%05d.jsonl", index);
  }

  /** Appends one object, its fields written by {@code fields}, and a newline. */
  public void write(Fields fields) {
    try {
      line.reset();
      try (JsonGenerator g = FACTORY.createGenerator(line, JsonEncoding.UTF8)) {
        g.writeStartObject();
        fields.writeTo(g);
        g.writeEndObject();
      }
      line.write('\n');
      if (out == null || inShard >= shardBytes) {
        nextShard();
      }
      line.writeTo(out);
      inShard += line.size();
      bytes += line.size();
      records++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a shard in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void nextShard() throws IOException {
    if (out != null) {
      out.close();
    }
    Files.createDirectories(dir);
    Path p = dir.resolve(shardName(shards.size()));
    shards.add(p);
    out = new java.io.BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
    inShard = 0;
  }

  /** The shards started so far, in order. */
  public List<Path> shards() {
    return List.copyOf(shards);
  }

  /** The number of records written. */
  public long records() {
    return records;
  }

  /** The number of bytes written, newlines included. */
  public long bytes() {
    return bytes;
  }

  @Override
  public void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close a shard in " + dir + ": " + e.getMessage(), e);
      } finally {
        out = null;
      }
    }
  }
}
