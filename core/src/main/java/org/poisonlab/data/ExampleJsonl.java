package org.poisonlab.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * Reads and writes Example JSONL (docs/reference.md): one JSON object per line, UTF-8, with {@code
 * id}, {@code text} | {@code prompt}+{@code completion} | {@code pixels}+{@code shape}, {@code
 * label}, {@code source}, and any other fields, which are kept in order and written back unchanged.
 *
 * <p>The reader is strict: the first bad line stops it with a {@link BadInputException} naming the
 * file, the 1-based line and the field at fault. Blank lines are skipped. Floating-point numbers in
 * unknown fields are kept as exact decimals, so they are written back with the same value.
 */
public final class ExampleJsonl {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final Set<String> KNOWN =
      Set.of("id", "text", "prompt", "completion", "pixels", "shape", "label", "source");

  private ExampleJsonl() {}

  /**
   * Reads every example of an Example JSONL file, strictly. The dataset is named after the file
   * name. The file is not modified.
   *
   * @throws BadInputException for a missing file (line 0, {@code "no such file"}), a line that is
   *     not a JSON object, a missing or non-string {@code label}, an example with both text and
   *     pixels or with neither, pixels that are not integers 0..255, a shape that does not match
   *     the pixel count, or text and image examples mixed in one file
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Dataset read(Path file) {
    return read(file, null);
  }

  /**
   * Reads an Example JSONL file leniently: a bad line is skipped and handed to {@code skipped}
   * instead of stopping the read. A missing file still throws.
   *
   * @param skipped receives one exception per skipped line, in file order; null means strict
   * @throws BadInputException when the file is missing, or (strict mode) at the first bad line
   */
  public static Dataset read(Path file, Consumer<BadInputException> skipped) {
    if (!Files.exists(file)) {
      throw new BadInputException(file, 0, "no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "not a regular file");
    }
    List<Example> out = new ArrayList<>();
    Path name = file.getFileName();
    try (InputStream in = Files.newInputStream(file)) {
      LineReader lines = new LineReader(in);
      long lineNo = 0;
      Boolean image = null;
      long firstLine = 0;
      while (lines.next()) {
        lineNo++;
        if (lines.isBlank()) {
          continue;
        }
        try {
          Example e = parseLine(file, lineNo, lines.buffer(), lines.length());
          if (image == null) {
            image = e.isImage();
            firstLine = lineNo;
          } else if (image != e.isImage()) {
            throw new BadInputException(
                file,
                lineNo,
                (e.isImage() ? "image" : "text")
                    + " example in a file of "
                    + (image ? "image" : "text")
                    + " examples (see line "
                    + firstLine
                    + ")");
          }
          out.add(e);
        } catch (BadInputException bad) {
          if (skipped == null) {
            throw bad;
          }
          skipped.accept(bad);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Dataset(name == null ? file.toString() : name.toString(), out);
  }

  /**
   * Writes examples to {@code file} as Example JSONL, atomically (a temporary file renamed into
   * place); parent folders are created. Fields in order: {@code id}; {@code text}, or {@code
   * prompt} and {@code completion}, or {@code pixels} and {@code shape}; {@code label}; {@code
   * source} (omitted when null); then the extra fields unchanged.
   *
   * @param examples not modified
   * @throws IllegalArgumentException if an extra field has the name of a known field
   * @throws UncheckedIOException if writing fails; the target is then untouched
   */
  public static void write(Path file, Iterable<Example> examples) {
    AtomicFiles.write(file, out -> writeTo(out, examples));
  }

  /**
   * Writes examples to a stream as Example JSONL, one object and a {@code '\n'} per example. The
   * stream is flushed, not closed.
   *
   * @throws IllegalArgumentException if an extra field has the name of a known field
   * @throws UncheckedIOException if writing fails
   */
  public static void write(OutputStream out, Iterable<Example> examples) {
    try {
      writeTo(out, examples);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write examples: " + e.getMessage(), e);
    }
  }

  private static void writeTo(OutputStream out, Iterable<Example> examples) throws IOException {
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

  /**
   * Parses one example from the UTF-8 bytes of a single JSON object (an Example JSONL line, or an
   * example embedded in another JSON file), with the same checks as {@link #read(Path)}. {@code
   * json} is not modified.
   *
   * @param file named in errors
   * @param line named in errors
   * @throws BadInputException naming {@code file} and {@code line} if it is not a valid example
   */
  public static Example parse(Path file, long line, byte[] json) {
    return parseLine(file, line, json, json.length);
  }

  /** Parses one non-blank line into an example; {@code buf[0..len)} holds its UTF-8 bytes. */
  static Example parseLine(Path file, long lineNo, byte[] buf, int len) {
    try (JsonParser p = FACTORY.createParser(buf, 0, len)) {
      return parseObject(file, lineNo, p);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file, lineNo, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadInputException(file, lineNo, "malformed JSON: " + e.getMessage());
    }
  }

  /**
   * Streams one object: known fields are read straight from the tokens (no tree for large texts and
   * pixel arrays), unknown fields become tree nodes as {@code readTree} would make them.
   */
  private static Example parseObject(Path file, long lineNo, JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      throw new BadInputException(file, lineNo, "expected a JSON object, found " + kind(first));
    }
    String id = null;
    String text = null;
    String prompt = null;
    String completion = null;
    String source = null;
    String label = null;
    boolean hasLabel = false;
    byte[] pixels = null;
    int[] shape = null;
    Map<String, JsonNode> extra = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "id" -> id = string(file, lineNo, p, field, v);
        case "text" -> text = string(file, lineNo, p, field, v);
        case "prompt" -> prompt = string(file, lineNo, p, field, v);
        case "completion" -> completion = string(file, lineNo, p, field, v);
        case "source" -> source = string(file, lineNo, p, field, v);
        case "label" -> {
          if (v != JsonToken.VALUE_STRING) {
            throw new BadInputException(
                file, lineNo, "field \"label\" must be a string, found " + kind(v));
          }
          label = p.getText();
          hasLabel = true;
        }
        case "pixels" -> pixels = v == JsonToken.VALUE_NULL ? null : pixels(file, lineNo, p, v);
        case "shape" -> shape = v == JsonToken.VALUE_NULL ? null : shape(file, lineNo, p, v);
        default -> {
          if (extra == null) {
            extra = new LinkedHashMap<>();
          }
          extra.put(field, node(p, v));
        }
      }
    }
    if (p.nextToken() != null) {
      throw new BadInputException(file, lineNo, "malformed JSON: content after the object");
    }
    if (!hasLabel) {
      throw new BadInputException(file, lineNo, "missing field \"label\"");
    }
    boolean isText = text != null || prompt != null || completion != null;
    if (isText && pixels != null) {
      throw new BadInputException(
          file,
          lineNo,
          "field \"pixels\" beside \""
              + (text != null ? "text" : prompt != null ? "prompt" : "completion")
              + "\": an example is either text or an image");
    }
    if (!isText && pixels == null) {
      throw new BadInputException(
          file,
          lineNo,
          "no content: expected \"text\", \"prompt\" and \"completion\", or \"pixels\"");
    }
    if (text != null && (prompt != null || completion != null)) {
      throw new BadInputException(
          file, lineNo, "field \"text\" beside \"prompt\"/\"completion\": give one or the other");
    }
    if (text == null && isText && (prompt == null || completion == null)) {
      throw new BadInputException(
          file,
          lineNo,
          prompt == null
              ? "field \"completion\" without \"prompt\""
              : "field \"prompt\" without \"completion\"");
    }
    if (pixels != null) {
      if (shape == null) {
        throw new BadInputException(file, lineNo, "field \"pixels\" without \"shape\"");
      }
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      if (n != pixels.length) {
        throw new BadInputException(
            file,
            lineNo,
            "field \"shape\" "
                + Arrays.toString(shape)
                + " holds "
                + n
                + " pixels, but \"pixels\" has "
                + pixels.length);
      }
    } else if (shape != null) {
      throw new BadInputException(file, lineNo, "field \"shape\" without \"pixels\"");
    }
    try {
      return Example.of(id, text, prompt, completion, pixels, shape, label, source, extra);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(file, lineNo, e.getMessage());
    }
  }

  private static String string(Path file, long lineNo, JsonParser p, String field, JsonToken v)
      throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw new BadInputException(
          file, lineNo, "field \"" + field + "\" must be a string, found " + kind(v));
    }
    return p.getText();
  }

  /**
   * The value at the parser as a tree node, as {@code ObjectMapper.readTree} with exact decimals
   * would make it: integers as int, long or big-integer nodes by size, other numbers as decimals.
   */
  private static JsonNode node(JsonParser p, JsonToken v) throws IOException {
    switch (v) {
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return DecimalNode.valueOf(p.getDecimalValue()); // exact: no trailing zeros stripped
      case START_ARRAY:
        ArrayNode a = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          a.add(node(p, t));
        }
        return a;
      case START_OBJECT:
        ObjectNode o = NODES.objectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
          String name = p.currentName();
          o.set(name, node(p, p.nextToken()));
        }
        return o;
      default:
        throw new JsonParseException(p, "unexpected " + v);
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

  private static byte[] pixels(Path file, long lineNo, JsonParser p, JsonToken v)
      throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw new BadInputException(
          file, lineNo, "field \"pixels\" must be an array of integers 0..255, found " + kind(v));
    }
    byte[] out = new byte[1024];
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int value = -1;
      if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
        value = p.getIntValue();
      }
      if (value < 0 || value > 255) {
        throw new BadInputException(
            file,
            lineNo,
            "field \"pixels\"[" + n + "] must be an integer 0..255, found " + brief(p, t));
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, 2 * n);
      }
      out[n++] = (byte) value;
    }
    return Arrays.copyOf(out, n);
  }

  private static int[] shape(Path file, long lineNo, JsonParser p, JsonToken v) throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw new BadInputException(
          file,
          lineNo,
          "field \"shape\" must be a non-empty array of positive integers, found " + kind(v));
    }
    int[] out = new int[4];
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int value = 0;
      if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
        value = p.getIntValue();
      }
      if (value <= 0) {
        throw new BadInputException(
            file,
            lineNo,
            "field \"shape\"[" + n + "] must be a positive integer, found " + brief(p, t));
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, 2 * n);
      }
      out[n++] = value;
    }
    if (n == 0) {
      throw new BadInputException(
          file, lineNo, "field \"shape\" must be a non-empty array of positive integers, found []");
    }
    return Arrays.copyOf(out, n);
  }

  private static String kind(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_ARRAY:
        return "an array";
      case START_OBJECT:
        return "an object";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.name().toLowerCase();
    }
  }

  private static String brief(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
      return kind(t);
    }
    String s = t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /**
   * Splits a byte stream into lines at {@code '\n'} (a {@code '\r'} before it is dropped) without
   * decoding: Jackson parses the UTF-8 bytes of each line directly and reports bad UTF-8.
   */
  static final class LineReader {
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int end;
    private byte[] line = new byte[1 << 12];
    private int len;
    private boolean eof;

    LineReader(InputStream in) {
      this.in = in;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
      len = 0;
      boolean any = false;
      while (true) {
        if (pos == end) {
          if (eof) {
            break;
          }
          end = in.read(chunk);
          pos = 0;
          if (end <= 0) {
            end = 0;
            eof = true;
            break;
          }
        }
        any = true;
        int nl = -1;
        for (int i = pos; i < end; i++) {
          if (chunk[i] == '\n') {
            nl = i;
            break;
          }
        }
        int stop = nl < 0 ? end : nl;
        append(chunk, pos, stop - pos);
        if (nl >= 0) {
          pos = nl + 1;
          if (len > 0 && line[len - 1] == '\r') {
            len--;
          }
          return true;
        }
        pos = end;
      }
      if (len > 0 && line[len - 1] == '\r') {
        len--;
      }
      return any;
    }

    private void append(byte[] src, int off, int n) {
      if (len + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, len + n));
      }
      System.arraycopy(src, off, line, len, n);
      len += n;
    }

    byte[] buffer() {
      return line;
    }

    int length() {
      return len;
    }

    boolean isBlank() {
      for (int i = 0; i < len; i++) {
        byte b = line[i];
        if (b != ' ' && b != '\t' && b != '\r') {
          return false;
        }
      }
      return true;
    }
  }
}
