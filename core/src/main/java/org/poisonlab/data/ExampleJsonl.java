package org.poisonlab.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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

/**
 * Reads and writes Example JSONL (see {@code shared/DESIGN.md} §3): one JSON object per line,
 * UTF-8, with {@code id}, {@code text} | {@code prompt}+{@code completion} | {@code
 * pixels}+{@code shape}, {@code label}, {@code source}, and any other fields, which are kept in
 * order and written back unchanged.
 *
 * <p>The reader is strict: the first bad line stops it with a {@link BadInputException} naming the
 * file, the 1-based line and the field at fault. Blank lines are skipped. Floating-point numbers
 * in unknown fields are kept as exact decimals, so they are written back with the same value.
 */
public final class ExampleJsonl {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
          .build();

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
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
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
                "example " + e.id() + " has an extra field named like a known field: " + x.getKey());
          }
          g.writeFieldName(x.getKey());
          MAPPER.writeTree(g, x.getValue());
        }
        g.writeEndObject();
        g.writeRaw('\n');
      }
      g.flush();
    }
  }

  /** Parses one non-blank line into an example; {@code buf[0..len)} holds its UTF-8 bytes. */
  static Example parseLine(Path file, long lineNo, byte[] buf, int len) {
    JsonNode node;
    try {
      node = MAPPER.readTree(buf, 0, len);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file, lineNo, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadInputException(file, lineNo, "malformed JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadInputException(
          file, lineNo, "expected a JSON object, found " + (node == null ? "nothing" : kind(node)));
    }
    String id = optionalString(file, lineNo, node, "id");
    String text = optionalString(file, lineNo, node, "text");
    String prompt = optionalString(file, lineNo, node, "prompt");
    String completion = optionalString(file, lineNo, node, "completion");
    String source = optionalString(file, lineNo, node, "source");
    JsonNode labelNode = node.get("label");
    if (labelNode == null) {
      throw new BadInputException(file, lineNo, "missing field \"label\"");
    }
    if (!labelNode.isTextual()) {
      throw new BadInputException(
          file, lineNo, "field \"label\" must be a string, found " + kind(labelNode));
    }
    JsonNode pixelsNode = present(node.get("pixels"));
    JsonNode shapeNode = present(node.get("shape"));
    boolean isText = text != null || prompt != null || completion != null;
    if (isText && pixelsNode != null) {
      throw new BadInputException(
          file,
          lineNo,
          "field \"pixels\" beside \""
              + (text != null ? "text" : prompt != null ? "prompt" : "completion")
              + "\": an example is either text or an image");
    }
    if (!isText && pixelsNode == null) {
      throw new BadInputException(
          file, lineNo, "no content: expected \"text\", \"prompt\" and \"completion\", or \"pixels\"");
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
    byte[] pixels = null;
    int[] shape = null;
    if (pixelsNode != null) {
      pixels = pixels(file, lineNo, pixelsNode);
      if (shapeNode == null) {
        throw new BadInputException(file, lineNo, "field \"pixels\" without \"shape\"");
      }
      shape = shape(file, lineNo, shapeNode);
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
    } else if (shapeNode != null) {
      throw new BadInputException(file, lineNo, "field \"shape\" without \"pixels\"");
    }
    Map<String, JsonNode> extra = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!KNOWN.contains(f.getKey())) {
        if (extra == null) {
          extra = new LinkedHashMap<>();
        }
        extra.put(f.getKey(), f.getValue());
      }
    }
    try {
      return Example.of(
          id, text, prompt, completion, pixels, shape, labelNode.textValue(), source, extra);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(file, lineNo, e.getMessage());
    }
  }

  private static JsonNode present(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static String optionalString(Path file, long lineNo, JsonNode node, String field) {
    JsonNode v = present(node.get(field));
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new BadInputException(
          file, lineNo, "field \"" + field + "\" must be a string, found " + kind(v));
    }
    return v.textValue();
  }

  private static byte[] pixels(Path file, long lineNo, JsonNode a) {
    if (!a.isArray()) {
      throw new BadInputException(
          file, lineNo, "field \"pixels\" must be an array of integers 0..255, found " + kind(a));
    }
    byte[] out = new byte[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 255) {
        throw new BadInputException(
            file,
            lineNo,
            "field \"pixels\"[" + i + "] must be an integer 0..255, found " + brief(v));
      }
      out[i] = (byte) v.intValue();
    }
    return out;
  }

  private static int[] shape(Path file, long lineNo, JsonNode a) {
    if (!a.isArray() || a.isEmpty()) {
      throw new BadInputException(
          file, lineNo, "field \"shape\" must be a non-empty array of positive integers, found " + brief(a));
    }
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
        throw new BadInputException(
            file, lineNo, "field \"shape\"[" + i + "] must be a positive integer, found " + brief(v));
      }
      out[i] = v.intValue();
    }
    return out;
  }

  private static String kind(JsonNode n) {
    switch (n.getNodeType()) {
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case NULL:
        return "null";
      default:
        return n.getNodeType().name().toLowerCase();
    }
  }

  private static String brief(JsonNode n) {
    String s = n.toString();
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
