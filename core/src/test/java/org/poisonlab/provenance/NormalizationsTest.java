package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The normal form that tells benign re-encoding from substitution. */
class NormalizationsTest {
  private static final long CAP = 1 << 20;

  private static String normal(String s, Charset cs) {
    return Normalizations.normalText(s.getBytes(cs));
  }

  private static String sha(byte[] b) {
    return Normalizations.normalize(b, CAP).sha256();
  }

  private static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] zlib(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void lineEndsTrailingBlanksAndCharsetAreBenign() {
    String recorded = "na\u00efve caf\u00e9\n  indented stays\n\nend";
    assertEquals(recorded, normal(recorded, StandardCharsets.UTF_8));
    assertEquals(
        recorded,
        normal(
            "na\u00efve caf\u00e9 \t\r\n  indented stays\r\n \r\nend\n\n", StandardCharsets.UTF_8));
    assertEquals(
        recorded,
        normal("na\u00efve caf\u00e9\r  indented stays\r\rend", StandardCharsets.ISO_8859_1));
    assertEquals(
        recorded, normal("\ufeff" + recorded + "\n", StandardCharsets.UTF_8), "UTF-8 mark dropped");
    assertEquals(recorded, normal("\ufeff" + recorded, StandardCharsets.UTF_16LE));
    assertEquals(recorded, normal("\ufeff" + recorded, StandardCharsets.UTF_16BE));
    // windows-1252's curly quotes and euro sign, undeclared
    assertEquals(
        "\u201cquoted\u201d \u20ac5",
        normal("\u201cquoted\u201d \u20ac5", Charset.forName("windows-1252")));
    String cyrillic =
        "<html><meta charset=\"windows-1251\"><p>\u043f\u0440\u0438\u0432\u0435\u0442</p>";
    assertEquals(
        normal(cyrillic, StandardCharsets.UTF_8),
        normal(cyrillic, Charset.forName("windows-1251")));
  }

  @Test
  void gzipAndDeflateLayersAreRemoved() {
    byte[] text = "a line\nanother".getBytes(StandardCharsets.UTF_8);
    assertEquals(sha(text), sha(gzip(text)));
    assertEquals(sha(text), sha(zlib(text)));
    assertEquals("gzip", Normalizations.normalize(gzip(text), CAP).compression());
    byte[] binary = {0, 1, 2, 3, (byte) 0xff, 0, 7};
    assertEquals(sha(binary), sha(gzip(binary)), "a gzip layer over binary content");
    assertEquals("binary", Normalizations.normalize(binary, CAP).form());
    byte[] notGzip = {0x1f, (byte) 0x8b, 'x', 'y'};
    assertEquals(
        "\u001f\u2039xy",
        Normalizations.normalText(notGzip),
        "a body that only looks compressed is read as it is (windows-1252)");
    byte[] bomb = gzip(new byte[4096]);
    assertNull(Normalizations.normalize(bomb, 1000).sha256(), "decompressed over the cap");
  }

  @Test
  void htmlWhiteSpaceAndReferencesAreBenignButMarkupIsNot() {
    String a =
        "<!DOCTYPE html>\n<html>\n  <p>Caf&eacute; &amp; cr&#232;me &#x2014;\tbr&ucirc;l&eacute;e</p>\n</html>\n";
    String b =
        "<!doctype html> <html> <p>Caf\u00e9   &#38; cr\u00e8me \u2014 br\u00fbl\u00e9e</p>  </html>";
    assertNotEquals(
        normal(a, StandardCharsets.UTF_8), normal(b, StandardCharsets.UTF_8), "doctype case");
    String b2 = b.replace("<!doctype html>", "<!DOCTYPE html>");
    assertEquals(normal(a, StandardCharsets.UTF_8), normal(b2, StandardCharsets.UTF_8));
    assertEquals(
        "<!DOCTYPE html> <html> <p>Caf\u00e9 &amp; cr\u00e8me \u2014 br\u00fbl\u00e9e</p> </html>",
        normal(a, StandardCharsets.UTF_8));

    String escaped = "<html><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>";
    String live = "<html><p><script>alert(1)</script></p>";
    assertNotEquals(normal(escaped, StandardCharsets.UTF_8), normal(live, StandardCharsets.UTF_8));
    assertEquals(
        normal(escaped, StandardCharsets.UTF_8),
        normal("<html><p>&#60;script&#x3E;alert(1)&#x3c;/script&gt;</p>", StandardCharsets.UTF_8),
        "markup characters keep one spelling");
    assertEquals(
        "<html>&amp &unknown; &#0; &#;x &amp;amp;",
        normal("<html>&amp &unknown; &#0; &#;x &amp;amp;", StandardCharsets.UTF_8),
        "what is not a resolvable reference stays as written");
    assertEquals(
        "text &eacute;",
        normal("text &eacute;  ", StandardCharsets.UTF_8),
        "plain text: no references");
  }

  @Test
  void aChangedWordIsASubstitution() {
    byte[] a = "<html><p>pay to account 1234</p>".getBytes(StandardCharsets.UTF_8);
    byte[] b = "<html>\n<p>pay to account  1235</p>\n".getBytes(StandardCharsets.UTF_8);
    assertNotEquals(sha(a), sha(b));
    assertNotEquals(
        sha("a b".getBytes(StandardCharsets.UTF_8)), sha("ab".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theNormalFormIsIdempotent() {
    String alphabet = "ab \t\r\n\u00a0&;#x3c9<>!\u00e9\u20ac\f";
    String[] words = {
      "<!DOCTYPE html>", "<html>", "&amp;", "&lt;", "&#60;", "&eacute;", "&#x2014;", "&nbsp;"
    };
    qt().withFixedSeed(11L)
        .withExamples(400)
        .forAll(
            lists()
                .of(integers().between(0, alphabet.length() + words.length - 1))
                .ofSizeBetween(0, 40))
        .checkAssert(
            picks -> {
              StringBuilder sb = new StringBuilder();
              for (int p : picks) {
                sb.append(
                    p < alphabet.length()
                        ? String.valueOf(alphabet.charAt(p))
                        : words[p - alphabet.length()]);
              }
              for (Charset cs :
                  new Charset[] {StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1}) {
                String once = normal(sb.toString(), cs);
                assertEquals(once, normal(once, StandardCharsets.UTF_8), "input: " + sb);
              }
            });
  }
}
