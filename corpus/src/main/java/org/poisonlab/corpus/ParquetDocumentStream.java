package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Sha1;

/**
 * Parquet rows, one row group in memory at a time, reading only the columns a document needs.
 * {@code fetch_time} may be a string or an INT64 timestamp (then written as an ISO-8601 instant).
 */
final class ParquetDocumentStream implements DocumentStream {
  private static final List<String> OPTIONAL =
      List.of("id", "url", "source", "digest", "fetch_time");

  private final String file;
  private final ParquetFileReader reader;
  private final MessageType projection;
  private final MessageColumnIO columns;
  private final TimeUnit fetchTimeUnit;
  private final List<BadRecord> bad = new ArrayList<>();
  private final ReadCounter counter = new ReadCounter();
  private RecordReader<Group> rows;
  private long remaining;
  private long row;
  private int group;

  private ParquetDocumentStream(
      String file, ParquetFileReader reader, MessageType projection, TimeUnit fetchTimeUnit) {
    this.file = file;
    this.reader = reader;
    this.projection = projection;
    this.columns = new ColumnIOFactory().getColumnIO(projection);
    this.fetchTimeUnit = fetchTimeUnit;
  }

  static ParquetDocumentStream open(String file, InputFile in, Path named) {
    ParquetFileReader reader;
    try {
      reader =
          ParquetFileReader.open(
              in, ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(named, 0, "not a Parquet file: " + e.getMessage(), e);
    }
    try {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<Type> wanted = new ArrayList<>();
      wanted.add(stringColumn(schema, "text", named));
      TimeUnit unit = null;
      for (String name : OPTIONAL) {
        if (!schema.containsField(name)) {
          continue;
        }
        Type t = schema.getType(name);
        if (name.equals("fetch_time") && timestampUnit(t) != null) {
          unit = timestampUnit(t);
          wanted.add(t);
        } else {
          wanted.add(stringColumn(schema, name, named));
        }
      }
      MessageType projection = new MessageType(schema.getName(), wanted);
      reader.setRequestedSchema(projection);
      return new ParquetDocumentStream(file, reader, projection, unit);
    } catch (RuntimeException e) {
      try {
        reader.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static Type stringColumn(MessageType schema, String name, Path named) {
    if (!schema.containsField(name)) {
      throw new BadInputException(named, 0, "no \"" + name + "\" column");
    }
    Type t = schema.getType(name);
    if (!t.isPrimitive()
        || t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY
        || t.isRepetition(Type.Repetition.REPEATED)) {
      throw new BadInputException(
          named, 0, "column \"" + name + "\" is " + t + ", expected a single string");
    }
    return t;
  }

  private static TimeUnit timestampUnit(Type t) {
    if (t.isPrimitive()
        && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64
        && t.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation ts) {
      return ts.getUnit();
    }
    return null;
  }

  @Override
  public Document next() throws IOException {
    while (true) {
      while (remaining == 0) {
        if (!nextRowGroup()) {
          return null;
        }
      }
      remaining--;
      long index = row++;
      counter.records++;
      Group g = rows.read();
      String text = g == null ? null : string(g, "text");
      if (text == null) {
        bad.add(new BadRecord(file, index, "no text"));
        counter.bad = bad.size();
        continue;
      }
      String url = string(g, "url");
      String digest = string(g, "digest");
      if (digest == null) {
        digest = Sha1.base32(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      Lineage lineage = new Lineage(file, index, string(g, "id"), digest, url, fetchTime(g));
      counter.documents++;
      return new Document(
          lineage, JsonlDocumentStream.sourceOf(string(g, "source"), url, file), text);
    }
  }

  /**
   * Loads the next row group; false at the end. A row group that cannot be read is one bad record.
   */
  private boolean nextRowGroup() throws IOException {
    if (group >= reader.getRowGroups().size()) {
      return false;
    }
    long count = reader.getRowGroups().get(group).getRowCount();
    group++;
    PageReadStore pages;
    try {
      pages = reader.readNextRowGroup();
    } catch (IOException | RuntimeException e) {
      counter.records += count;
      bad.add(
          new BadRecord(
              file, row, "row group " + (group - 1) + " (" + count + " rows) unreadable: " + e));
      counter.bad = bad.size();
      row += count;
      remaining = 0;
      return true;
    }
    if (pages == null) {
      return false;
    }
    rows = columns.getRecordReader(pages, new GroupRecordConverter(projection));
    remaining = pages.getRowCount();
    return true;
  }

  private static String string(Group g, String field) {
    if (!g.getType().containsField(field) || g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    return g.getString(field, 0);
  }

  private String fetchTime(Group g) {
    if (fetchTimeUnit == null) {
      return string(g, "fetch_time");
    }
    if (g.getFieldRepetitionCount("fetch_time") == 0) {
      return null;
    }
    long v = g.getLong("fetch_time", 0);
    Instant t =
        switch (fetchTimeUnit) {
          case MILLIS -> Instant.ofEpochMilli(v);
          case MICROS -> Instant.EPOCH.plusNanos(Math.multiplyExact(v, 1000L));
          case NANOS -> Instant.EPOCH.plusNanos(v);
        };
    return t.toString();
  }

  @Override
  public List<BadRecord> badRecords() {
    return List.copyOf(bad);
  }

  @Override
  public ReadStats stats() {
    return counter.snapshot();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
