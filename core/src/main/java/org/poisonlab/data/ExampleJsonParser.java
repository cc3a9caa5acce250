package org.poisonlab.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.poisonlab.io.BadInputException;

/**
 * Parses one Example JSONL object with the checks of {@link ExampleJsonl}: known fields straight
 * from the tokens, unknown fields as tree nodes with exact decimals.
 */
final class ExampleJsonParser {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ExampleJsonParser() {}

  /** Parses one non-blank line into an example; {@code buf[0..len)} holds its UTF-8 bytes. */
  static Example parse(Path file, long lineNo, byte[] buf, int len) {
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
}
