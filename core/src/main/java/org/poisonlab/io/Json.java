package org.poisonlab.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;

/**
 * JSON output with a stable layout: two-space indent, "\n" line ends, map keys in insertion order,
 * record components in declaration order. The same value always gives the same bytes.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));

  private Json() {}

  /** The shared mapper (do not reconfigure it). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@code value} as indented JSON, without a final newline. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} as indented JSON plus a newline to {@code file}, atomically. */
  public static void write(Path file, Object value) {
    AtomicFiles.writeString(file, pretty(value) + "\n");
  }
}
