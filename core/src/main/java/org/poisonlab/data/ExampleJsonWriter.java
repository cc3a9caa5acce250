package org.poisonlab.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.poisonlab.io.Json;

/** Writes examples as Example JSONL lines in the field order {@link ExampleJsonl} states. */
final class ExampleJsonWriter {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private static final Set<String> KNOWN =
      Set.of("id", "text", "prompt", "completion", "pixels", "shape", "label", "source");

  private ExampleJsonWriter() {}

  static void write(OutputStream out, Iterable<Example> examples) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      // One object per line: no separator between root values besides the newline.
      g.setRootValueSeparator(null);
      for (Example e : examples) {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        if (e.isImage()) {
          g.writeFieldName("pixels");
          g.writeStartArray();
          for (int i = 0, n = e.pixelCount(); i < n; i++) {
            g.writeNumber(e.pixel(i));
          }
          g.writeEndArray();
          g.writeFieldName("shape");
          g.writeArray(e.shape(), 0, e.shape().length);
        } else if (e.text() != null) {
          g.writeStringField("text", e.text());
        } else {
          g.writeStringField("prompt", e.prompt());
          g.writeStringField("completion", e.completion());
        }
        g.writeStringField("label", e.label());
        if (e.source() != null) {
          g.writeStringField("source", e.source());
        }
        for (Map.Entry<String, JsonNode> x : e.extra().entrySet()) {
          if (KNOWN.contains(x.getKey())) {
            throw new IllegalArgumentException(
                "example "
                    + e.id()
                    + " has an extra field named like a known field: "
                    + x.getKey());
          }
          g.writeFieldName(x.getKey());
          writeNode(g, x.getValue());
        }
        g.writeEndObject();
        g.writeRaw('\n');
      }
      g.flush();
    }
  }

  /** Writes a tree node as it is; the inverse of {@link #node}. */
  private static void writeNode(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT:
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          g.writeFieldName(f.getKey());
          writeNode(g, f.getValue());
        }
        g.writeEndObject();
        break;
      case ARRAY:
        g.writeStartArray();
        for (JsonNode x : n) {
          writeNode(g, x);
        }
        g.writeEndArray();
        break;
      case STRING:
        g.writeString(n.textValue());
        break;
      case BOOLEAN:
        g.writeBoolean(n.booleanValue());
        break;
      case NULL:
      case MISSING:
        g.writeNull();
        break;
      case NUMBER:
        switch (n.numberType()) {
          case INT:
            g.writeNumber(n.intValue());
            break;
          case LONG:
            g.writeNumber(n.longValue());
            break;
          case BIG_INTEGER:
            g.writeNumber(n.bigIntegerValue());
            break;
          case FLOAT:
            g.writeNumber(n.floatValue());
            break;
          case DOUBLE:
            g.writeNumber(n.doubleValue());
            break;
          default:
            g.writeNumber(n.decimalValue());
        }
        break;
      case BINARY:
        g.writeBinary(n.binaryValue());
        break;
      default:
        // a POJO node: only data binding knows how to write it
        Json.strict().writeTree(g, n);
    }
  }
}
