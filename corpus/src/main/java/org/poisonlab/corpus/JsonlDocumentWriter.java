package org.poisonlab.corpus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.poisonlab.io.Json;

/** JSONL, plain, gzip or zstd. */
final class JsonlDocumentWriter extends AtomicDocumentWriter {
  private final OutputStream out;
  private final JsonGenerator json;

  JsonlDocumentWriter(Path target, CorpusFormat format) throws IOException {
    super(target);
    OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
    this.out =
        switch (format) {
          case JSONL_GZ -> new GZIPOutputStream(file, 1 << 16);
          case JSONL_ZST -> new BufferedOutputStream(new ZstdOutputStream(file, 3), 1 << 16);
          default -> file;
        };
    this.json = Json.strict().getFactory().createGenerator(out);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    // each object ends with its own line break, not Jackson's space between root values
    json.setRootValueSeparator(null);
  }

  @Override
  void append(Document d) throws IOException {
    Lineage l = d.lineage();
    json.writeStartObject();
    field("id", l.recordId());
    field("text", d.text());
    field("url", l.url());
    field("source", d.source());
    field("digest", l.digest());
    field("fetch_time", l.fetchTime());
    json.writeEndObject();
    json.writeRaw('\n');
  }

  private void field(String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }

  @Override
  void finish() throws IOException {
    try {
      json.flush();
    } finally {
      out.close();
    }
  }
}
