package org.poisonlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/** The pieces of the recipe runner that do not need data or training. */
class RecipeRunnerTest {
  /** 200 hams, then 100 spams: a file sorted by class, like the SpamAssassin split. */
  private static List<Example> sortedByClass() {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      out.add(Example.ofText("mail number " + i, i < 200 ? "ham" : "spam", null));
    }
    return out;
  }

  @Test
  void limitSamplesByIdNotByFilePosition() {
    Dataset d = new Dataset("sorted", sortedByClass());
    Dataset small = StudyInputs.limit(d, 60);
    assertEquals(60, small.size());
    assertEquals(List.of("ham", "spam"), small.labels(), "both classes survive the limit");
    int spam = (int) small.examples().stream().filter(e -> e.label().equals("spam")).count();
    assertTrue(spam > 8 && spam < 35, "about a third spam, got " + spam);
  }

  @Test
  void limitIsTheSameSetWhateverTheOrderAndKeepsTheOrder() {
    List<Example> shuffled = sortedByClass();
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      Collections.swap(shuffled, i, rng.nextInt(i + 1));
    }
    Dataset a = StudyInputs.limit(new Dataset("a", sortedByClass()), 50);
    Dataset b = StudyInputs.limit(new Dataset("b", shuffled), 50);
    Set<String> ida = new HashSet<>();
    a.forEach(e -> ida.add(e.id()));
    Set<String> idb = new HashSet<>();
    b.forEach(e -> idb.add(e.id()));
    assertEquals(ida, idb);
    List<Integer> positions = new ArrayList<>();
    for (Example e : b) {
      positions.add(shuffled.indexOf(e));
    }
    List<Integer> sorted = new ArrayList<>(positions);
    Collections.sort(sorted);
    assertEquals(sorted, positions, "original order kept");
    Dataset all = new Dataset("all", sortedByClass());
    assertSame(all, StudyInputs.limit(all, 0));
    assertSame(all, StudyInputs.limit(all, 300));
  }

  @Test
  void derivedSeedsDifferByEveryPartOfTheStep() {
    long base = StepSeeds.derive(0, "train", "spam", "0:backdoor", 1);
    assertEquals(base, StepSeeds.derive(0, "train", "spam", "0:backdoor", 1));
    assertNotEquals(base, StepSeeds.derive(1, "train", "spam", "0:backdoor", 1));
    assertNotEquals(base, StepSeeds.derive(0, "eval", "spam", "0:backdoor", 1));
    assertNotEquals(base, StepSeeds.derive(0, "train", "mnist", "0:backdoor", 1));
    assertNotEquals(base, StepSeeds.derive(0, "train", "spam", "1:backdoor", 1));
    assertNotEquals(base, StepSeeds.derive(0, "train", "spam", "0:backdoor", 2));
  }
}
