package org.poisonlab.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.poisonlab.io.BadInputException;

/**
 * A JSON or YAML document read into maps, lists and scalars that remember the line they start on,
 * so a checker can name the line of a bad field. Both formats go through Jackson's streaming
 * parser; YAML is chosen by the file name ({@code .yaml} or {@code .yml}).
 */
final class LocatedTree {
  /**
   * A value and its 1-based line. {@code value} is a {@code Map<String, Node>} (insertion order), a
   * {@code List<Node>}, a {@code String}, a {@code Long}, a {@code Double}, a {@code Boolean}, or
   * null.
   */
  record Node(Object value, int line) {}

  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  private LocatedTree() {}

  static boolean isYaml(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  /**
   * Reads the whole document.
   *
   * @throws BadInputException naming the file and line for a missing file, a syntax error, a
   *     duplicate key, or trailing content
   */
  static Node read(Path file) {
    boolean yaml = isYaml(file);
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = (yaml ? YAML : JSON).createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new BadInputException(file, 1, "empty recipe");
      }
      Node root = node(p, t, file);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new BadInputException(file, line(p), "unexpected content after the recipe");
      }
      return root;
    } catch (NoSuchFileException e) {
      throw new BadInputException(file, 0, "no such file");
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
      throw new BadInputException(
          file, line, "not valid " + (yaml ? "YAML" : "JSON") + ": " + firstLine(e));
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  private static Node node(JsonParser p, JsonToken t, Path file) throws IOException {
    int line = line(p);
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Node> m = new LinkedHashMap<>();
          for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
            String key = p.currentName();
            int keyLine = line(p);
            if (m.containsKey(key)) {
              throw new BadInputException(file, keyLine, "field \"" + key + "\" appears twice");
            }
            Node v = node(p, p.nextToken(), file);
            // Report a field at its key's line: that is where a reader looks for it.
            m.put(key, new Node(v.value(), keyLine));
          }
          return new Node(Collections.unmodifiableMap(m), line);
        }
      case START_ARRAY:
        {
          List<Node> l = new ArrayList<>();
          for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) {
            l.add(node(p, k, file));
          }
          return new Node(Collections.unmodifiableList(l), line);
        }
      case VALUE_STRING:
        return new Node(p.getText(), line);
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new BadInputException(file, line, "number " + p.getText() + " is too large");
        }
        return new Node(p.getLongValue(), line);
      case VALUE_NUMBER_FLOAT:
        return new Node(p.getDoubleValue(), line);
      case VALUE_TRUE:
        return new Node(Boolean.TRUE, line);
      case VALUE_FALSE:
        return new Node(Boolean.FALSE, line);
      case VALUE_NULL:
        return new Node(null, line);
      default:
        throw new BadInputException(file, line, "unexpected " + t);
    }
  }

  private static int line(JsonParser p) {
    return Math.max(0, p.currentTokenLocation().getLineNr());
  }

  private static String firstLine(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "syntax error";
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }
}
