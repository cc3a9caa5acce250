package org.poisonlab.corpus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.poisonlab.io.Json;

/**
 * A scan's work folder, {@code OUT/work}: one finished folder per shard, renamed into place when
 * complete, so a killed scan resumes at the first unfinished shard. {@code plan.json} records the
 * inputs (path, size, modification time) and settings; a rerun with a different plan starts clean.
 */
final class ScanWork {
  static final ObjectMapper MAPPER = Json.mapper();

  final Path dir;

  ScanWork(Path out) {
    this.dir = out.resolve("work");
  }

  /** Starts clean unless the folder holds the same plan. */
  void open(String plan) throws IOException {
    Path p = dir.resolve("plan.json");
    if (Files.isRegularFile(p) && Files.readString(p).equals(plan)) {
      return;
    }
    deleteTree(dir);
    Files.createDirectories(dir);
    Files.writeString(p, plan);
  }

  Path shard(int i) {
    return dir.resolve(String.format("shard-%05d", i));
  }

  boolean shardDone(int i) {
    return Files.isRegularFile(shard(i).resolve("result.json"));
  }

  /** A temporary folder for shard {@code i}, emptied. */
  Path shardTemp(int i) throws IOException {
    Path t = dir.resolve(String.format(".shard-%05d.tmp", i));
    deleteTree(t);
    Files.createDirectories(t);
    return t;
  }

  void finishShard(int i, Path temp) throws IOException {
    deleteTree(shard(i));
    Files.move(temp, shard(i), StandardCopyOption.ATOMIC_MOVE);
  }

  ShardResult result(int i) throws IOException {
    return MAPPER.readValue(shard(i).resolve("result.json").toFile(), ShardResult.class);
  }

  /** Shard {@code i}'s signatures, one record of {@link #recordBytes} per document. */
  MappedByteBuffer signatures(int i) throws IOException {
    try (FileChannel ch = FileChannel.open(shard(i).resolve("sig.bin"))) {
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
  }

  /** Bits of a signature record's flag word. */
  static final int HAS_SIGNATURE = 1;

  static final int HAS_RUN = 2;

  /** Byte offsets in a signature record: flags, prefix, suffix, source hash, signature. */
  static final int AT_FLAGS = 8;

  static final int AT_PREFIX = 12;
  static final int AT_SUFFIX = 20;
  static final int AT_SOURCE = 28;
  static final int AT_SIGNATURE = 36;

  static int recordBytes(int k) {
    return AT_SIGNATURE + 4 * k;
  }

  /** Writes a shard's documents and signatures as the scanner hands them over. */
  static final class ShardWriter implements ShardScanner.DocumentSink, AutoCloseable {
    private final JsonGenerator docs;
    private final DataOutputStream sigs;
    private final int k;

    ShardWriter(Path temp, int k) throws IOException {
      this(
          Files.newOutputStream(temp.resolve("docs.jsonl")),
          Files.newOutputStream(temp.resolve("sig.bin")),
          k);
    }

    /** Writes to these streams, and closes them. */
    ShardWriter(OutputStream docs, OutputStream sigs, int k) throws IOException {
      this.docs = MAPPER.getFactory().createGenerator(new BufferedOutputStream(docs));
      this.docs.setRootValueSeparator(null);
      this.sigs = new DataOutputStream(new BufferedOutputStream(sigs, 1 << 16));
      this.k = k;
    }

    @Override
    public void accept(long key, Document d, DocumentFeatures f) throws IOException {
      docs.writeStartObject();
      docs.writeFieldName("doc");
      writeLineage(docs, d.lineage());
      docs.writeStringField("source", d.source());
      docs.writeEndObject();
      docs.writeRaw('\n');
      sigs.writeLong(f.exactHash());
      sigs.writeInt((f.signature() == null ? 0 : HAS_SIGNATURE) | (f.hasRun() ? HAS_RUN : 0));
      sigs.writeLong(f.prefix());
      sigs.writeLong(f.suffix());
      sigs.writeLong(f.source());
      for (int i = 0; i < k; i++) {
        sigs.writeInt(f.signature() == null ? 0 : f.signature()[i]);
      }
    }

    @Override
    public void close() throws IOException {
      docs.close();
      sigs.close();
    }
  }

  /** The lineage key as the contract writes it: fields the format has, nulls left out. */
  static void writeLineage(JsonGenerator g, Lineage l) throws IOException {
    g.writeStartObject();
    g.writeStringField("file", l.file());
    g.writeNumberField("offset", l.offset());
    if (l.recordId() != null) {
      g.writeStringField("record_id", l.recordId());
    }
    g.writeStringField("digest", l.digest());
    if (l.url() != null) {
      g.writeStringField("url", l.url());
    }
    if (l.fetchTime() != null) {
      g.writeStringField("fetch_time", l.fetchTime());
    }
    g.writeEndObject();
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              x -> {
                try {
                  Files.delete(x);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
