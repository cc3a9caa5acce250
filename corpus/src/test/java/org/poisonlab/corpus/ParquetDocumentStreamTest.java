package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;

class ParquetDocumentStreamTest {
  @TempDir Path dir;

  @Test
  void manyRowGroupsAreReadInOrderWithRowIndexesAsOffsets() throws IOException {
    Path f = dir.resolve("c.parquet");
    int n = 3000;
    try (DocumentWriter w = new ParquetDocumentWriter(f, 4 << 10)) {
      for (int i = 0; i < n; i++) {
        w.write(new Document(new Lineage("in", 0, "r" + i, null, null, null), "s", "row " + i));
      }
    }
    try (DocumentStream s = CorpusReaders.open("c.parquet", new LocalInputFile(f))) {
      for (int i = 0; i < n; i++) {
        Document d = s.next();
        assertEquals(i, d.lineage().offset());
        assertEquals("row " + i, d.text());
        assertEquals("r" + i, d.lineage().recordId());
      }
      assertEquals(null, s.next());
      assertEquals(n, s.stats().documents());
    }
    try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new LocalInputFile(f))) {
      assertTrue(reader.getRowGroups().size() > 1, "the test needs several row groups");
    }
  }

  private static MessageType schema(boolean textRequired) {
    var b = Types.buildMessage();
    (textRequired ? b.required(PrimitiveTypeName.BINARY) : b.optional(PrimitiveTypeName.BINARY))
        .as(LogicalTypeAnnotation.stringType())
        .named("text");
    b.optional(PrimitiveTypeName.INT64)
        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
        .named("fetch_time");
    b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("other");
    return b.named("doc");
  }

  @Test
  void aRowWithoutTextIsABadRecordAtItsIndexAndTimestampsBecomeInstants() throws IOException {
    Path f = dir.resolve("t.parquet");
    MessageType schema = schema(false);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(f))
            .withConf(new PlainParquetConfiguration())
            .withType(schema)
            .build()) {
      w.write(groups.newGroup().append("text", "a").append("fetch_time", 1_700_000_000_000L));
      w.write(groups.newGroup().append("other", "no text here"));
      w.write(groups.newGroup().append("text", "c"));
    }
    try (DocumentStream s = CorpusReaders.open(f)) {
      Document a = s.next();
      assertEquals("2023-11-14T22:13:20Z", a.lineage().fetchTime());
      assertEquals(f.toString(), a.source());
      Document c = s.next();
      assertEquals(2, c.lineage().offset());
      assertEquals(null, s.next());
      assertEquals(1, s.badRecords().size());
      assertEquals(1, s.badRecords().get(0).offset());
      assertEquals(new ReadStats(3, 2, 0, 0, 0, 1), s.stats());
    }
  }

  @Test
  void aFileWithoutATextColumnIsRejectedNamingIt() throws IOException {
    Path f = dir.resolve("x.parquet");
    MessageType schema =
        Types.buildMessage()
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("body")
            .named("doc");
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(f))
            .withConf(new PlainParquetConfiguration())
            .withType(schema)
            .build()) {
      w.write(new SimpleGroupFactory(schema).newGroup().append("body", "b"));
    }
    BadInputException e = assertThrows(BadInputException.class, () -> CorpusReaders.open(f));
    assertTrue(e.getMessage().contains("x.parquet") && e.getMessage().contains("text"));
  }
}
