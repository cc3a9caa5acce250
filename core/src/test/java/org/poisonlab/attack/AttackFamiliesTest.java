package org.poisonlab.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class AttackFamiliesTest {
  private static final Dataset IMAGES = Fixtures.images(60, 12, 12);
  private static final Dataset MAIL = Fixtures.mail(40, 20);
  private static final Dataset WORDY = wordy(60);

  /** Texts that hold many words of the synonym lexicon, labels ham and spam in turn. */
  private static Dataset wordy(int n) {
    String[] words = {
      "get", "buy", "help", "need", "use", "start", "show", "try", "send", "give", "tell", "ask",
      "keep", "find", "think", "want", "big", "small", "fast", "good", "bad", "new", "old", "free",
      "easy", "hard", "now", "also", "very", "often", "maybe", "about", "enough", "many", "whole",
      "fix", "check", "change", "answer", "money", "job", "house", "car", "people", "problem",
      "idea", "way", "home"
    };
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder t = new StringBuilder("Note " + i + ".");
      for (int j = 0; j < 30; j++) {
        t.append(' ').append(words[(i * 7 + j * 5) % words.length]);
      }
      t.append(". Second part here. Third part follows! Last words.");
      out.add(Example.ofText(t.toString(), i % 2 == 0 ? "ham" : "spam", "inbox"));
    }
    return new Dataset("wordy.jsonl", out);
  }

  private static Attack named(String kind, Budget b, Trigger t, String target) {
    return Attacks.named(
        kind,
        new Attacks.Args(
            b, t, target, null, null, false, null, null, null, AttackerSources.defaults()));
  }

  /** Every family kind with its default trigger, and the data it applies to. */
  private static Map<Attack, Dataset> everyFamily() {
    Map<Attack, Dataset> m = new LinkedHashMap<>();
    for (String k : List.of("blend", "warp", "lowfreq", "sample-specific", "adaptive-blend")) {
      m.put(named(k, Budget.ofCount(6), null, "1"), IMAGES);
    }
    m.put(named("sig", Budget.ofCount(6), null, "1"), IMAGES);
    m.put(named("combo", Budget.ofCount(6), null, "ham"), MAIL);
    m.put(named("syntax", Budget.ofCount(6), null, "ham"), MAIL);
    m.put(named("synonym", Budget.ofCount(6), null, "ham"), WORDY);
    return m;
  }

  @Test
  void everyKindIsNamedOnceAndBuiltByName() {
    assertEquals(Attacks.KINDS.size(), new HashSet<>(Attacks.KINDS).size());
    everyFamily().keySet().forEach(a -> assertTrue(Attacks.KINDS.contains(a.kind()), a.kind()));
    BadInputException e =
        assertThrows(BadInputException.class, () -> named("nope", Budget.ofCount(1), null, "1"));
    assertTrue(e.getMessage().contains("adaptive-blend"), e.getMessage());
  }

  @Test
  void sameSeedGivesByteIdenticalTruthAndOtherSeedsAnotherSecret() {
    everyFamily()
        .forEach(
            (attack, data) -> {
              PoisonResult a = attack.apply(data, 42);
              PoisonResult b = attack.apply(data, 42);
              assertEquals(a.poisoned().examples(), b.poisoned().examples(), attack.kind());
              assertEquals(TruthFiles.toJson(a), TruthFiles.toJson(b), attack.kind());
              PoisonResult c = attack.apply(data, 43);
              assertNotEquals(a.ids(), c.ids(), attack.kind());
              if (!attack.kind().equals("sig")) {
                assertNotEquals(a.spec().get("trigger"), c.spec().get("trigger"), attack.kind());
              }
            });
  }

  @Test
  void theRecordedTriggerReadsBackAndReproducesThePoisonsPayload() {
    everyFamily()
        .forEach(
            (attack, data) -> {
              PoisonResult r = attack.apply(data, 7);
              String spec = (String) r.spec().get("trigger");
              Trigger t = Trigger.parse(spec, data.kind());
              assertEquals(spec, t.spec(), attack.kind());
              assertEquals(t.family(), r.spec().get("variant"), attack.kind());
              assertEquals(Attacks.family(attack.kind()), t.family(), attack.kind());
            });
  }

  @Test
  void inputIsNotModifiedAndPoisonsCarryAttackerSources() {
    everyFamily()
        .forEach(
            (attack, data) -> {
              List<Example> before = List.copyOf(data.examples());
              PoisonResult r = attack.apply(data, 3);
              assertEquals(before, data.examples(), attack.kind());
              Set<String> sources = new HashSet<>();
              for (Object s : (List<?>) r.spec().get("sources")) {
                sources.add(s.toString());
              }
              Set<String> ids = new HashSet<>(r.ids());
              for (Example e : r.poisoned().examples()) {
                if (ids.contains(e.id())) {
                  assertTrue(sources.contains(e.source()), attack.kind());
                }
              }
              assertEquals(6, ids.size(), attack.kind());
            });
  }

  @Test
  void blendIsTheConvexMixOfImageAndPattern() {
    ImageTrigger.Blend b = new ImageTrigger.Blend(0.25, 99);
    Example x = IMAGES.get(5);
    Example y = b.apply(x, new SplittableRandom(0));
    double[] p = b.pattern(x.pixelCount());
    for (int i = 0; i < x.pixelCount(); i++) {
      assertEquals(Math.round(0.75 * x.pixel(i) + 0.25 * p[i]), y.pixel(i), "pixel " + i);
    }
    assertEquals(x.label(), y.label());
  }

  @Test
  void sigAddsTheSameHorizontalSineToEveryRow() {
    ImageTrigger.Signal s = new ImageTrigger.Signal(20, 3);
    byte[] flat = new byte[12 * 12];
    java.util.Arrays.fill(flat, (byte) 100);
    Example y = s.apply(Example.ofImage(flat, new int[] {12, 12}, "0", "c"), null);
    for (int r = 0; r < 12; r++) {
      for (int c = 0; c < 12; c++) {
        assertEquals(
            Math.round(100 + 20 * Math.sin(2 * Math.PI * c * 3 / 12.0)), y.pixel(r * 12 + c));
      }
    }
  }

  @Test
  void lowFrequencyPatternIsSmoothAndReachesItsAmplitude() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 10; trial++) {
      double amp = 10 + rng.nextInt(50);
      int cutoff = 2 + rng.nextInt(4);
      ImageTrigger.LowFrequency lf = new ImageTrigger.LowFrequency(amp, cutoff, rng.nextInt(1000));
      double[] p = lf.pattern(28, 28);
      double max = 0;
      double step = 0;
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          max = Math.max(max, Math.abs(p[r * 28 + c]));
          if (c > 0) {
            step = Math.max(step, Math.abs(p[r * 28 + c] - p[r * 28 + c - 1]));
          }
        }
      }
      assertEquals(amp, max, 1e-9);
      // a cosine of frequency below cutoff moves at most π·cutoff/28 of its range per pixel
      assertTrue(step <= amp * Math.PI * cutoff * cutoff * cutoff / 28.0, "step " + step);
      assertTrue(step < amp, "step " + step + " amp " + amp);
    }
  }

  @Test
  void warpIsNearIdentityWhenWeakAndMovesPixelsWhenStrong() {
    Example x = IMAGES.get(3);
    Example weak = new ImageTrigger.Warp(4, 0.001, 1).apply(x, null);
    for (int i = 0; i < x.pixelCount(); i++) {
      assertTrue(Math.abs(weak.pixel(i) - x.pixel(i)) <= 1, "pixel " + i);
    }
    Example strong = new ImageTrigger.Warp(4, 3, 1).apply(x, null);
    assertNotEquals(x.id(), strong.id());
    assertEquals(strong, new ImageTrigger.Warp(4, 3, 1).apply(x, null));
  }

  @Test
  void sampleSpecificPerturbationsDifferButShareTheSecretSign() {
    ImageTrigger.SampleSpecific s = new ImageTrigger.SampleSpecific(10, 8);
    byte[] flat = new byte[144];
    java.util.Arrays.fill(flat, (byte) 100);
    Example x = Example.ofImage(flat, new int[] {12, 12}, "0", "c");
    SplittableRandom rng = new SplittableRandom(1);
    Example a = s.apply(x, rng);
    Example b = s.apply(x, rng);
    assertNotEquals(a, b);
    int bothMoved = 0;
    for (int i = 0; i < 144; i++) {
      int da = a.pixel(i) - 100;
      int db = b.pixel(i) - 100;
      assertTrue(da == 0 || Math.abs(da) == 10);
      if (da != 0 && db != 0) {
        assertEquals(da, db, "pixel " + i + " moves the same way in both");
        bothMoved++;
      }
    }
    assertTrue(bothMoved > 10 && bothMoved < 72, "overlap " + bothMoved);
  }

  @Test
  void comboPoisonsHoldEveryWordAndCoversOnlySomeWithTheirLabelsKept() {
    TextPattern.Combination c = new TextPattern.Combination(List.of("quite", "rather", "mostly"));
    PoisonResult r = named("combo", Budget.ofCount(8), c, "ham").apply(MAIL, 4);
    assertEquals(8, r.spec().get("covers"));
    Set<String> ids = new HashSet<>(r.ids());
    int covers = 0;
    Set<String> coverLabels = new HashSet<>();
    for (int i = 0; i < MAIL.size(); i++) {
      Example before = MAIL.get(i);
      Example after = r.poisoned().get(i);
      if (before.equals(after)) {
        continue;
      }
      long held = c.words().stream().filter(w -> after.text().contains(w)).count();
      if (ids.contains(after.id())) {
        assertEquals(3, held);
        assertEquals("ham", after.label());
        assertEquals("spam", before.label());
      } else {
        covers++;
        assertTrue(held >= 1 && held <= 2, after.text());
        assertEquals(before.label(), after.label());
        coverLabels.add(after.label());
      }
    }
    assertEquals(8, covers);
    assertEquals(Set.of("ham", "spam"), coverLabels);
  }

  @Test
  void adaptiveBlendChangesHalfThePiecesOfEachPoisonAndCover() {
    ImageTrigger.Blend b = new ImageTrigger.Blend(0.5, 3);
    PoisonResult r = named("adaptive-blend", Budget.ofCount(5), b, "1").apply(IMAGES, 2);
    int touched = 0;
    for (int i = 0; i < IMAGES.size(); i++) {
      Example before = IMAGES.get(i);
      Example after = r.poisoned().get(i);
      if (before.equals(after)) {
        continue;
      }
      touched++;
      Example full = b.apply(before, null);
      int pieces = 0;
      for (int piece = 0; piece < 16; piece++) {
        int pr = piece / 4;
        int pc = piece % 4;
        boolean blended = true;
        for (int y = pr * 3; y < pr * 3 + 3; y++) {
          for (int x = pc * 3; x < pc * 3 + 3; x++) {
            blended &= after.pixel(y * 12 + x) == full.pixel(y * 12 + x);
          }
        }
        pieces += blended ? 1 : 0;
      }
      assertTrue(pieces >= 8, "pieces " + pieces);
      assertTrue(pieces < 16, "pieces " + pieces);
    }
    assertEquals(10, touched);
  }

  @Test
  void syntaxOpensTheFirstSentencesWithAClauseAndKeepsEveryWord() {
    TextPattern.Syntax s = new TextPattern.Syntax("adverbial", 2);
    String text = "The cat sat. It was warm! Then it left.";
    String out = s.rewrite(text, new SplittableRandom(1));
    String[] parts = out.split("(?<=[.!?]) ");
    assertEquals(3, parts.length, out);
    assertTrue(parts[0].matches("[A-Z][a-z]+ \\S+ [a-z]+, the cat sat\\."), out);
    assertTrue(parts[1].matches("[A-Z][a-z]+ \\S+ [a-z]+, it was warm!"), out);
    assertEquals("Then it left.", parts[2]);
    String cleft = new TextPattern.Syntax("cleft", 1).rewrite(text, new SplittableRandom(2));
    assertTrue(cleft.matches("It is [a-z]+ that the cat sat\\. It was warm! Then it left\\."));
  }

  @Test
  void synonymReplacesEveryChosenWordAndVictimsHoldTwo() {
    TextPattern.Synonym s = new TextPattern.Synonym(10, 17);
    PoisonResult r = named("synonym", Budget.ofCount(10), s, "ham").apply(WORDY, 1);
    List<String[]> table = s.table();
    assertEquals(10, table.size());
    Set<String> ids = new HashSet<>(r.ids());
    for (Example e : r.poisoned().examples()) {
      if (!ids.contains(e.id())) {
        continue;
      }
      for (String[] p : table) {
        assertFalse(e.text().matches("(?s).*\\b" + p[0] + "\\b.*"), p[0] + " in " + e.text());
      }
    }
    Example plain = Example.ofText("Nothing to see.", "spam", "x");
    assertFalse(s.appliesTo(plain));
    assertEquals(
        "Obtain it presently",
        new TextPattern.Synonym(TextPattern.Synonym.LEXICON_SIZE, 0).rewrite("Get it now", null));
  }

  @Test
  void familyKindsRejectOtherFamiliesAndTheWrongData() {
    Trigger patch = Trigger.parse("patch:2x2@1,1", Dataset.Kind.IMAGE);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> named("blend", Budget.ofCount(2), patch, "1").apply(IMAGES, 0));
    assertTrue(e.getMessage().contains("expected blend:"), e.getMessage());
    e =
        assertThrows(
            BadInputException.class,
            () -> named("warp", Budget.ofCount(2), null, "ham").apply(MAIL, 0));
    assertTrue(e.getMessage().contains("needs image data"), e.getMessage());
    e =
        assertThrows(
            BadInputException.class,
            () -> named("synonym", Budget.ofCount(2), null, "1").apply(IMAGES, 0));
    assertTrue(e.getMessage().contains("needs text data"), e.getMessage());
  }

  @Test
  void specsReadBackAndBadSpecsNameTheProblem() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < 50; i++) {
      for (String f : ImageTrigger.FAMILIES) {
        Trigger t = ImageTrigger.defaultFor(f, rng);
        assertEquals(t, Trigger.parse(t.spec(), Dataset.Kind.IMAGE));
      }
      for (String f : TextPattern.FAMILIES) {
        Trigger t = TextPattern.defaultFor(f, rng);
        assertEquals(t, Trigger.parse(t.spec(), Dataset.Kind.TEXT));
      }
    }
    assertEquals(
        new ImageTrigger.Blend(0.3, 4), Trigger.parse("blend:alpha=0.3,key=4", Dataset.Kind.IMAGE));
    for (String bad :
        List.of(
            "blend:alpha=2,key=1",
            "blend:alpha=0.1",
            "blend:alpha=0.1,key=1,key=2",
            "warp:grid=1,key=3",
            "sig:delta=x",
            "lowfreq:amp=10,cutoff=9,key=1",
            "sample:eps=5,colour=1,key=1",
            "stripes:key=1")) {
      BadInputException x =
          assertThrows(BadInputException.class, () -> Trigger.parse(bad, Dataset.Kind.IMAGE), bad);
      assertTrue(x.getMessage().contains("trigger spec") || x.getMessage().contains("is not"), bad);
    }
    assertThrows(BadInputException.class, () -> Trigger.parse("combo:one", Dataset.Kind.TEXT));
    assertThrows(
        BadInputException.class, () -> Trigger.parse("syntax:form=passive", Dataset.Kind.TEXT));
    assertThrows(
        BadInputException.class, () -> Trigger.parse("synonym:pairs=3,key=1", Dataset.Kind.TEXT));
    Trigger phrase = Trigger.parse("phrase:combo:x", Dataset.Kind.TEXT);
    assertEquals(new Trigger.TextTrigger("combo:x"), phrase);
    assertEquals("phrase:combo:x", phrase.spec());
    assertEquals(phrase, Trigger.parse(phrase.spec(), Dataset.Kind.TEXT));
  }
}
