package org.poisonlab.attack;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * Truth files: what an attack did, for scoring detectors and attributors against it. The format is
 * {@code {"attack": {...spec...}, "ids": ["sha256:...", ...]}}, UTF-8, two-space indented, {@code
 * \n} line ends, object keys sorted at every level, so the same result always gives the same bytes.
 */
public final class TruthFiles {
  private static final ObjectMapper JSON = Json.mapper();

  private TruthFiles() {}

  /**
   * The content of a truth file.
   *
   * @param attack the attack's spec as read, a JSON object whose fields depend on the attack kind;
   *     copied in and out
   * @param ids the poisoned examples' ids, in file order; unmodifiable
   */
  public record Truth(ObjectNode attack, List<String> ids) {
    public Truth {
      attack = attack.deepCopy();
      ids = List.copyOf(ids);
    }

    @Override
    public ObjectNode attack() {
      return attack.deepCopy();
    }

    /** The ids as a set, for membership tests. */
    public Set<String> idSet() {
      return Collections.unmodifiableSet(new LinkedHashSet<>(ids));
    }
  }

  /**
   * Writes the truth of {@code result} to {@code file}, atomically (a temporary file renamed into
   * place); parent folders are created.
   *
   * @throws java.io.UncheckedIOException if the file cannot be written; it is then untouched
   * @throws IllegalArgumentException if the spec holds a value JSON cannot represent
   */
  public static void write(Path file, PoisonResult result) {
    AtomicFiles.write(file, out -> out.write(toJson(result).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The truth of {@code result} as a JSON object, {@code {"attack": spec, "ids": [...]}}: what
   * {@link #write} writes, and what scan and trace files carry under {@code "truth"}.
   */
  public static Map<String, Object> asMap(PoisonResult result) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("attack", result.spec());
    root.put("ids", result.ids());
    return root;
  }

  /** The exact text {@link #write} writes, ending with a line break. */
  public static String toJson(PoisonResult result) {
    try {
      return JSON.writer(new Printer())
              .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
              .writeValueAsString(asMap(result))
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("attack spec cannot be written as JSON: " + e, e);
    }
  }

  /**
   * Reads a truth file.
   *
   * @throws BadInputException naming the file (and the line, for malformed JSON) if it is missing,
   *     unreadable, not JSON, or lacks an {@code attack} object or an {@code ids} array of strings
   */
  public static Truth read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new BadInputException(file, 0, "truth file does not exist");
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new BadInputException(
          file, Math.max(line, 0), "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read truth file: " + e);
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(
          file, 0, "a truth file is a JSON object with \"attack\" and \"ids\"");
    }
    JsonNode attack = root.get("attack");
    if (attack == null || !attack.isObject()) {
      throw new BadInputException(file, 0, "missing \"attack\" object");
    }
    JsonNode idsNode = root.get("ids");
    if (idsNode == null || !idsNode.isArray()) {
      throw new BadInputException(file, 0, "missing \"ids\" array");
    }
    List<String> ids = new ArrayList<>(idsNode.size());
    for (int i = 0; i < idsNode.size(); i++) {
      JsonNode id = idsNode.get(i);
      if (!id.isTextual()) {
        throw new BadInputException(file, 0, "\"ids\" entry " + i + " is not a string: " + id);
      }
      ids.add(id.asText());
    }
    return new Truth((ObjectNode) attack, ids);
  }

  /** Two-space indent, one value per line, {@code "key": value}, {@code \n} everywhere. */
  private static final class Printer extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    Printer() {
      DefaultIndenter indent = new DefaultIndenter("  ", "\n");
      indentObjectsWith(indent);
      indentArraysWith(indent);
    }

    @Override
    public Printer createInstance() {
      return new Printer();
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }
  }
}
