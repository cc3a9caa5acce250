package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.BadInputException;

/**
 * Every single-byte change of a signed dataset's files is caught, and located.
 *
 * <p><b>Data file.</b> At every byte position of a fixture JSONL file (a few KB), the byte is
 * replaced by each of 14 other values (its 8 one-bit flips and the bytes space, tab, carriage
 * return, line feed, quote and backslash), the file is read and verified against the signed
 * manifest. A change is <em>located</em> when either the strict reader rejects the file naming the
 * line that holds the changed byte (or the next line, when the new byte is a line break that splits
 * it), or the verification fails and every change it reports concerns the example on that line (its
 * current or, when removed, its recorded position). The only changes allowed to pass are those
 * after which the file reads as exactly the same dataset (every example equal: id, content, label,
 * source and extra fields), and the test asserts that they are white space replaced by white space
 * (the space the writer puts before every record after the first, turned into a tab): the manifest
 * covers the examples, not the bytes that spell them.
 *
 * <p><b>Manifest file.</b> At every byte position of a signed manifest of 8 examples, the same 14
 * replacements: the manifest either does not read, or its verification fails (signature, root or
 * entries), unless it reads as an equal manifest (a white-space change between JSON tokens).
 */
class TamperingTest {
  @TempDir Path dir;

  /** White space and the bytes that end or escape a JSON string. */
  private static final byte[] SPECIAL = {' ', '\t', '\r', '\n', '"', '\\'};

  /** A text fixture: unicode, escapes, sources present and absent, an extra field. */
  private static Dataset textFixture() {
    SplittableRandom r = new SplittableRandom(3);
    String[] words = {
      "offer",
      "meeting",
      "naïve",
      "résumé",
      "quote\"d",
      "back\\slash",
      "tab\there",
      "line\nbreak",
      "€100",
      "free",
      "agenda",
      "日本",
      "win",
      "notes"
    };
    List<Example> es = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 4 + r.nextInt(10);
      for (int w = 0; w < len; w++) {
        sb.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
      }
      Example e =
          Example.ofText(
              sb.toString(), i % 3 == 0 ? "spam" : "ham", i % 4 == 0 ? null : "src" + (i % 5));
      if (i % 7 == 0) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> extra = new LinkedHashMap<>();
        extra.put("lang", JsonNodeFactory.instance.textNode("en"));
        extra.put("score", JsonNodeFactory.instance.numberNode(i));
        e = Example.of(e.id(), e.text(), null, null, null, null, e.label(), e.source(), extra);
      }
      es.add(e);
    }
    return new Dataset("fixture.jsonl", es);
  }

  /** An image fixture: 8 images of 4 × 4. */
  private static Dataset imageFixture() {
    SplittableRandom r = new SplittableRandom(5);
    List<Example> es = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] px = new byte[16];
      for (int p = 0; p < px.length; p++) {
        px[p] = (byte) r.nextInt(256);
      }
      es.add(Example.ofImage(px, new int[] {4, 4}, String.valueOf(i % 3), "cam" + (i % 2)));
    }
    return new Dataset("images.jsonl", es);
  }

  @Test
  void everySingleByteChangeOfATextDataFileIsDetectedAndLocated() throws IOException {
    everyByteOfTheDataFile(textFixture(), 1500);
  }

  @Test
  void everySingleByteChangeOfAnImageDataFileIsDetectedAndLocated() throws IOException {
    everyByteOfTheDataFile(imageFixture(), 800);
  }

  private void everyByteOfTheDataFile(Dataset fixture, int minBytes) throws IOException {
    Path file = dir.resolve("data.jsonl");
    ExampleJsonl.write(file, fixture);
    byte[] original = Files.readAllBytes(file);
    assertTrue(original.length >= minBytes, "fixture only " + original.length + " bytes");
    Dataset read = ExampleJsonl.read(file);
    assertEquals(fixture.examples(), read.examples(), "fixture does not round-trip");
    KeyPair keys = Signatures.generate();
    Manifest manifest = Manifests.sign(Manifests.of(read), keys.getPrivate());
    assertTrue(Manifests.verify(read, manifest, keys.getPublic()).ok());
    assertTrue(Manifests.verify(read, manifest, null).ok());

    int[] lineOf = new int[original.length];
    int line = 1;
    for (int i = 0; i < original.length; i++) {
      lineOf[i] = line;
      if (original[i] == '\n') {
        line++;
      }
    }
    Path tampered = dir.resolve("tampered.jsonl");
    int changes = 0;
    int unreadable = 0;
    int unchanged = 0;
    for (int pos = 0; pos < original.length; pos++) {
      for (byte b : replacements(original[pos])) {
        byte[] bytes = original.clone();
        bytes[pos] = b;
        Files.write(tampered, bytes);
        changes++;
        String what = "byte " + pos + " (line " + lineOf[pos] + ") " + hex(original[pos]);
        what += " -> " + hex(b);
        Dataset now;
        try {
          now = ExampleJsonl.read(tampered);
        } catch (BadInputException e) {
          // a new line break splits the line: the rest of it is then the next line
          boolean split = b == '\n' && e.line() == lineOf[pos] + 1;
          assertTrue(e.line() == lineOf[pos] || split, what + ": " + e.getMessage());
          unreadable++;
          continue;
        }
        // the signature covers the header only, checked once above; the root and entries here
        ManifestVerification v = Manifests.verify(now, manifest, null);
        if (v.ok()) {
          assertTrue(read.examples().equals(now.examples()), what + " passed but changed the data");
          assertTrue(isSpace(original[pos]) && isSpace(b), what + " passed");
          unchanged++;
          continue;
        }
        long example = lineOf[pos] - 1;
        assertTrue(!v.changes().isEmpty(), what + ": no change reported");
        for (ManifestVerification.Change c : v.changes()) {
          long at = c.actual() != null ? c.actual().position() : c.expected().position();
          assertEquals(example, at, what + ": " + c);
        }
      }
    }
    assertTrue(unreadable > 0 && unreadable < changes, unreadable + " of " + changes);
    assertTrue(unchanged < changes / 50, unchanged + " white-space changes of " + changes);
  }

  @Test
  void everySingleByteChangeOfASignedManifestFailsVerification() throws IOException {
    Dataset text = textFixture();
    Dataset data = text.withExamples(text.examples().subList(0, 8));
    KeyPair keys = Signatures.generate();
    Manifest manifest = Manifests.sign(Manifests.of(data), keys.getPrivate());
    Path file = dir.resolve("manifest.json");
    Manifests.write(file, manifest);
    byte[] original = Files.readAllBytes(file);
    Path tampered = dir.resolve("tampered.json");
    int unreadable = 0;
    int failed = 0;
    int equal = 0;
    for (int pos = 0; pos < original.length; pos++) {
      for (byte b : replacements(original[pos])) {
        byte[] bytes = original.clone();
        bytes[pos] = b;
        Files.write(tampered, bytes);
        String what = "manifest byte " + pos + " " + hex(original[pos]) + " -> " + hex(b);
        Manifest m;
        try {
          m = Manifests.read(tampered);
        } catch (BadInputException e) {
          unreadable++;
          continue;
        }
        if (Manifests.verify(data, m, keys.getPublic()).ok()) {
          assertTrue(manifest.equals(m), what + " passed but changed the manifest");
          assertTrue(isSpace(original[pos]) && isSpace(b), what + " passed");
          equal++;
        } else {
          failed++;
        }
      }
    }
    assertTrue(unreadable > 0 && failed > 0, unreadable + " unreadable, " + failed + " failed");
    assertTrue(equal < (unreadable + failed) / 20, equal + " white-space changes passed");
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  /** Other byte values to put at a position: its 8 one-bit flips and the special bytes. */
  private static byte[] replacements(byte original) {
    byte[] out = new byte[8 + SPECIAL.length];
    int k = 0;
    for (int bit = 0; bit < 8; bit++) {
      out[k++] = (byte) (original ^ (1 << bit));
    }
    for (byte s : SPECIAL) {
      boolean dup = s == original;
      for (int j = 0; j < k && !dup; j++) {
        dup = out[j] == s;
      }
      if (!dup) {
        out[k++] = s;
      }
    }
    return Arrays.copyOf(out, k);
  }

  private static String hex(byte b) {
    return String.format("0x%02x", b & 0xFF);
  }
}
