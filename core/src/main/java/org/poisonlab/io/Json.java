package org.poisonlab.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

  /**
   * The strict reader of user files: duplicate keys, trailing tokens after a value, and lossy
   * decimals are errors ({@code 0.10} stays {@code 0.10}). Built on first use, so a command that
   * only streams JSON never pays for data binding.
   */
  public static ObjectMapper strict() {
    return Strict.MAPPER;
  }

  private static final class Strict {
    static final ObjectMapper MAPPER =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
  }

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
