package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FlatJsonFieldsTest {
  private static final String[] EXTRA = {"lang", "meta", "n", "te\\u0078t", "text "};
  private static final String[] SCALARS = {
    "0",
    "-0",
    "17",
    "-42",
    "123456789012345678",
    "1234567890123456789",
    "01",
    "1.5",
    "1e3",
    "-",
    "true",
    "false",
    "null",
    "tru",
    "nul",
    "[1, 2]",
    "{\"a\": \"b\"}",
    "[]",
    "{}"
  };
  private static final String PLAIN = "abcXYZ09 _-.;:<>{}[]/#'";

  /**
   * A string body: plain characters, escapes of every kind, and some that are not in the subset.
   */
  private static String body(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(40);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(20);
      if (k < 12) {
        b.append(PLAIN.charAt(r.nextInt(PLAIN.length())));
      } else {
        b.append(
            switch (k) {
              case 12 -> "\\n";
              case 13 -> "\\\"";
              case 14 -> "\\\\";
              case 15 -> new String[] {"\\/", "\\b", "\\f", "\\r", "\\t"}[r.nextInt(5)];
              case 16 ->
                  new String[] {"\\u00e9", "\\u0041", "\\ud83d\\ude00", "\\x", "\\"}[r.nextInt(5)];
              case 17 -> new String[] {"é", "€", "\u0001", "\t", "\u007f"}[r.nextInt(5)];
              case 18 -> "\"";
              default -> "  ";
            });
      }
    }
    return b.toString();
  }

  private static String line(SplittableRandom r) {
    StringBuilder b = new StringBuilder(r.nextInt(4) == 0 ? " {" : "{");
    int fields = r.nextInt(6);
    for (int f = 0; f < fields; f++) {
      if (f > 0) {
        b.append(r.nextInt(5) == 0 ? " , " : ",");
      }
      String name =
          r.nextInt(3) == 0
              ? EXTRA[r.nextInt(EXTRA.length)]
              : FlatJsonFields.NAMES[r.nextInt(FlatJsonFields.NAMES.length)];
      b.append('"').append(name).append('"').append(r.nextInt(4) == 0 ? " : " : ":");
      if (r.nextInt(4) == 0) {
        b.append(SCALARS[r.nextInt(SCALARS.length)]);
      } else {
        b.append('"').append(body(r)).append('"');
      }
    }
    b.append(r.nextInt(10) == 0 ? ",}" : "}");
    if (r.nextInt(6) == 0) {
      b.append(r.nextInt(2) == 0 ? " " : " trailing");
    }
    String s = b.toString();
    if (r.nextInt(8) == 0 && !s.isEmpty()) {
      int cut = r.nextInt(s.length());
      s = s.substring(0, cut) + s.substring(cut + 1);
    }
    return s;
  }

  /**
   * Against the JSON parser, on lines drawn from the subset, from its edges and outside it (bad
   * escapes, raw control and non-ASCII characters, numbers, nesting, repeated keys, cut lines):
   * whenever the reader answers, the parser accepts the line and reads the same fields.
   */
  @Test
  void whatItReadsIsWhatTheParserReads() {
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger drawn = new AtomicInteger();
    qt().withExamples(4000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              SplittableRandom r = new SplittableRandom(seed);
              String line = line(r);
              byte[] b = line.getBytes(StandardCharsets.UTF_8);
              String[] fast = new FlatJsonFields().read(b, b.length);
              drawn.incrementAndGet();
              if (fast == null) {
                return;
              }
              answered.incrementAndGet();
              String[] parsed;
              try {
                parsed = JsonlDocumentStream.parsedFields(b, b.length);
              } catch (IOException e) {
                throw new AssertionError("read a line the parser refuses: " + line, e);
              }
              assertArrayEquals(parsed, fast, line);
            });
    // the drawn lines reach both sides of the subset's edge
    assertTrue(answered.get() > drawn.get() / 10, answered + " of " + drawn);
    assertTrue(answered.get() < drawn.get() * 9 / 10, answered + " of " + drawn);
  }

  /** A line as a JSON writer makes it, with every escape of the subset, is read here. */
  @Test
  void aWrittenDocumentLineIsRead() throws IOException {
    String text = "class A {\n\tString s = \"a\\\\b/c\";\r\n}\f\b";
    String line =
        "{\"id\":\"x\",\"text\":\""
            + new String(JsonStringEncoder.getInstance().quoteAsString(text))
            + "\",\"source\":\"s\",\"n\":3}";
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    String[] fast = new FlatJsonFields().read(b, b.length);
    assertNotNull(fast);
    assertArrayEquals(JsonlDocumentStream.parsedFields(b, b.length), fast);
    assertTrue(text.equals(fast[0]));
    byte[] accent = "{\"text\":\"café\"}".getBytes(StandardCharsets.UTF_8);
    assertNull(new FlatJsonFields().read(accent, accent.length), "non-ASCII goes to the parser");
  }
}
