package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/** Parquet with string columns id, text (required), url, source, digest, fetch_time. */
final class ParquetDocumentWriter extends AtomicDocumentWriter {
  /** Row groups of this size bound what a reader holds at once. */
  static final long ROW_GROUP_BYTES = 32L << 20;

  static final MessageType SCHEMA =
      Types.buildMessage()
          .optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("id")
          .required(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("text")
          .optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("url")
          .optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("source")
          .optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("digest")
          .optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named("fetch_time")
          .named("document");

  private final ParquetWriter<Group> writer;
  private final SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);

  ParquetDocumentWriter(Path target, long rowGroupBytes) throws IOException {
    super(target);
    this.writer =
        ExampleParquetWriter.builder(new LocalOutputFile(tmp))
            .withConf(new PlainParquetConfiguration())
            .withType(SCHEMA)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.ZSTD)
            .withRowGroupSize(rowGroupBytes)
            .build();
  }

  @Override
  void append(Document d) throws IOException {
    Lineage l = d.lineage();
    Group g = groups.newGroup();
    put(g, "id", l.recordId());
    put(g, "text", d.text());
    put(g, "url", l.url());
    put(g, "source", d.source());
    put(g, "digest", l.digest());
    put(g, "fetch_time", l.fetchTime());
    writer.write(g);
  }

  private static void put(Group g, String field, String value) {
    if (value != null) {
      g.append(field, value);
    }
  }

  @Override
  void finish() throws IOException {
    writer.close();
  }
}
