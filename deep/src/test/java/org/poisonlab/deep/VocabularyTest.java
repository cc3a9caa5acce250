package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Example;

class VocabularyTest {
  private static final Vocabulary V =
      new Vocabulary(List.of(Vocabulary.PAD, Vocabulary.UNKNOWN, "free", "money", "now"));

  @Test
  void idsAreTheSameWhetherKeptOrMadeAfresh() {
    String text = "Free money NOW, free money later";
    int[] expected = {2, 3, 4, 2, 3, 1};
    assertArrayEquals(expected, V.ids(text, 100));
    assertArrayEquals(expected, V.ids(text, 100), "kept");
    assertArrayEquals(expected, V.ids(new String(text.toCharArray()), 100), "an equal string");
    // a smaller cap than the kept one is answered from the text itself, not from the kept ids
    assertArrayEquals(new int[] {2, 3}, V.ids(text, 2));
    // a larger cap replaces what is kept
    assertArrayEquals(expected, V.ids(text, 1_000));
    assertArrayEquals(new int[] {2, 3, 4}, V.ids(text, 3));
    assertArrayEquals(expected, V.ids(text, 1_000));
  }

  @Test
  void theBatchingCostIsTheCappedTokenCount() {
    assertEquals(6, V.cost(Example.ofText("free money now free money x", "spam", "s"), 100));
    assertEquals(4, V.cost(Example.ofText("free money now free money x", "spam", "s"), 4));
  }
}
