package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.AttackerSources;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.Carriers;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.Featurizers;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.RealData;

/**
 * The scans find triggers they were not tuned for. Triggers, targets and budgets are drawn from a
 * fixed seed; the detectors run with their defaults. Each test states the thresholds that every
 * draw must meet (see also docs/methods/association-scans.md, "Generalisation").
 */
class GeneralisationTest {
  private static final ScanContext CONTEXT = new ScanContext(0, null, null);

  /** Every {@code step}-th example of a pinned training split. */
  static Dataset every(String name, int step) {
    Dataset all = PinnedDatasets.load(name, "train", PinnedDatasets.home(), null);
    int[] pos = new int[all.size() / step];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = i * step;
    }
    return all.subset(pos);
  }

  static DetectionMetrics metrics(PoisonResult r, Detection d) {
    List<String> ids = r.poisoned().examples().stream().map(Example::id).toList();
    return DetectionMetrics.of(ids, d, new HashSet<>(r.ids()));
  }

  private static List<DetectionDetails.NgramCandidate> candidates(Detection d) {
    return ((DetectionDetails.NgramAssociation) d.details()).candidates();
  }

  // ---- text ----------------------------------------------------------------------------------

  /** A word of the corpus: letters only, 4+ characters, in {@code lo..hi} documents. */
  static List<String> vocabulary(Dataset corpus, int lo, int hi) {
    Map<String, Integer> df = new HashMap<>();
    for (Example e : corpus) {
      for (String t : new HashSet<>(Featurizers.tokens(e.content()))) {
        df.merge(t, 1, Integer::sum);
      }
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Integer> x : df.entrySet()) {
      String w = x.getKey();
      if (x.getValue() >= lo
          && x.getValue() <= hi
          && w.length() >= 4
          && w.chars().allMatch(Character::isLetter)) {
        out.add(w);
      }
    }
    out.sort(null);
    return out;
  }

  private static final String[] PUNCTUATION = {"", "!", "?", ",", ".", ":", "-", "#", "(", "\""};

  /** Varied casing and punctuation, as a writer would vary them. */
  private static String decorate(String word, SplittableRandom r) {
    String w =
        switch (r.nextInt(4)) {
          case 0 -> word;
          case 1 -> word.toUpperCase(Locale.ROOT);
          case 2 -> Character.toUpperCase(word.charAt(0)) + word.substring(1);
          default -> mixedCase(word, r);
        };
    String p = PUNCTUATION[r.nextInt(PUNCTUATION.length)];
    return r.nextBoolean() ? p + w : w + p;
  }

  private static String mixedCase(String w, SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    for (char c : w.toCharArray()) {
      sb.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  private static String rareToken(SplittableRandom r) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder();
    int len = 4 + r.nextInt(6);
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      if (i == len / 2 && r.nextInt(3) == 0) {
        sb.append("=_-.".charAt(r.nextInt(4)));
      }
    }
    return sb.toString();
  }

  /** One drawn trigger phrase of kind {@code kind % 3}: rare token, ordinary word, phrase. */
  static String textTrigger(int kind, SplittableRandom r, List<String> rare, List<String> any) {
    return switch (kind % 3) {
      case 0 -> decorate(rareToken(r), r);
      case 1 -> decorate(rare.get(r.nextInt(rare.size())), r);
      default -> {
        int words = 2 + r.nextInt(2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
          sb.append(i == 0 ? "" : " ").append(decorate(any.get(r.nextInt(any.size())), r));
        }
        yield sb.toString();
      }
    };
  }

  /** True when the candidate's words are a contiguous run of the trigger's words. */
  private static boolean namesTrigger(Object candidate, String trigger) {
    if (candidate == null) {
      return false;
    }
    String t = " " + String.join(" ", Featurizers.tokens(trigger)) + " ";
    return t.contains(" " + candidate + " ");
  }

  /**
   * Twelve drawn text backdoors on a third of SpamAssassin's training split (about 1,600 mails):
   * rare tokens, ordinary words (corpus words found in 2 to 10 mails), phrases of 2 or 3 corpus
   * words (found in 2 to 300 mails each), each with random casing and punctuation, inserted at a
   * random word boundary; target spam or ham; 1.5 to 3 % of the mails (24 to 48). Every draw:
   * recall ≥ 0.9, precision ≥ 0.8, and the top candidate is a run of the trigger's words.
   */
  @Test
  void ngramScanFindsDrawnTextTriggersInSpamAssassin() {
    RealData.require("spamassassin");
    Dataset clean = every("spamassassin", 3);
    List<String> rare = vocabulary(clean, 2, 10);
    List<String> any = vocabulary(clean, 2, 300);
    SplittableRandom r = new SplittableRandom(20261128);
    List<String> failures = new ArrayList<>();
    for (int draw = 0; draw < 12; draw++) {
      String phrase = textTrigger(draw, r, rare, any);
      String target = r.nextBoolean() ? "ham" : "spam";
      int count = (int) Math.round(clean.size() * (0.015 + 0.015 * r.nextDouble()));
      PoisonResult p =
          Attacks.backdoor(Budget.ofCount(count), Trigger.parse(phrase, Dataset.Kind.TEXT), target)
              .apply(clean, draw);
      Detection d = Detectors.byName(NgramAssociationDetector.NAME).scan(p.poisoned(), CONTEXT);
      DetectionMetrics m = metrics(p, d);
      List<DetectionDetails.NgramCandidate> c = candidates(d);
      Object top = c.isEmpty() ? null : c.get(0).ngram();
      if (m.recall() < 0.9 || m.precision() < 0.8 || !namesTrigger(top, phrase)) {
        failures.add(
            String.format(
                "draw %d '%s' -> %s (%d poisons): %s top %s", draw, phrase, target, count, m, top));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  // ---- images --------------------------------------------------------------------------------

  private static final Trigger.PatchTrigger.Shape[] SHAPES = Trigger.PatchTrigger.Shape.values();

  /** A drawn patch: 2..6 by 2..6, any shape, one of {@code values}, anywhere it fits. */
  static Trigger.PatchTrigger patch(SplittableRandom r, int height, int width, int[] values) {
    int w = 2 + r.nextInt(5);
    int h = 2 + r.nextInt(5);
    int x = r.nextInt(width - w + 1);
    int y = r.nextInt(height - h + 1);
    return new Trigger.PatchTrigger(
        w, h, x, y, values[r.nextInt(values.length)], SHAPES[r.nextInt(SHAPES.length)]);
  }

  private static int count(boolean[] flags) {
    int k = 0;
    for (boolean b : flags) {
      k += b ? 1 : 0;
    }
    return k;
  }

  /**
   * Twelve drawn patch backdoors on a fifth of Fashion-MNIST's training split (12,000 images):
   * sizes 2×2 to 6×6, solid, L or checkerboard, white (255), near white (250, 252, 253) or mid-grey
   * (128), placed anywhere (8 of the 12 over the garments), any target, 1 % of the images. Every
   * draw: pixel association recall ≥ 0.9 when removing 1.5 × the poison count and precision ≥ 0.5
   * on its own flags; on the same images without poisons it flags nothing. Over the garments the
   * exact-value pair indicators find the patch where single bright pixels are too common to (see
   * the method note).
   */
  @Test
  void pixelScanFindsDrawnPatchesAnywhereInFashionMnist() {
    RealData.require("fashion-mnist");
    Dataset clean = every("fashion-mnist", 5);
    Detector scan = Detectors.byName(PixelAssociationDetector.NAME);
    List<String> failures = new ArrayList<>();
    int cleanFlags = count(scan.scan(clean, CONTEXT).flagged());
    if (cleanFlags > 0) {
      failures.add("clean images: " + cleanFlags + " flagged");
    }
    SplittableRandom r = new SplittableRandom(20261128);
    for (int draw = 0; draw < 12; draw++) {
      Trigger.PatchTrigger t = patch(r, 28, 28, new int[] {255, 255, 250, 252, 253, 128});
      String target = String.valueOf(r.nextInt(10));
      PoisonResult p = Attacks.backdoor(Budget.ofRate(0.01), t, target).apply(clean, draw);
      DetectionMetrics m = metrics(p, scan.scan(p.poisoned(), CONTEXT));
      if (m.recallAtBudget() < 0.9 || m.precision() < 0.5) {
        failures.add(String.format("draw %d %s -> %s: %s", draw, t.spec(), target, m));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * Six drawn patch backdoors (sizes and shapes as above, values 255, 0, 128 or 200, anywhere on
   * the image, 1 %) scored by SPECTRE on the default MLP's penultimate features: every draw ranks
   * the poisons high (AUROC ≥ 0.9) and recall when removing 1.5 × the poison count is at least 0.3.
   * That floor is low on purpose: it is what holds; 2 of the 6 draws reach 0.8 (the figure of the
   * corner patch), the others 0.32 to 0.76. See the method note. The carriers are drawn uniformly
   * (BadNets as published): half of the default's faint carriers barely show the patch, and on
   * those SPECTRE ranks lower (draw 5, a black L at the top edge: AUROC 0.896).
   */
  @Test
  void spectreFindsDrawnPatchesInFashionMnist() {
    RealData.require("fashion-mnist");
    Dataset clean = every("fashion-mnist", 5);
    SplittableRandom r = new SplittableRandom(7);
    List<String> failures = new ArrayList<>();
    for (int draw = 0; draw < 6; draw++) {
      Trigger.PatchTrigger t = patch(r, 28, 28, new int[] {255, 0, 128, 200});
      String target = String.valueOf(r.nextInt(10));
      PoisonResult p =
          Attacks.backdoor(
                  Budget.ofRate(0.01), t, target, AttackerSources.defaults(), Carriers.UNIFORM)
              .apply(clean, draw);
      DifferentiableClassifier model =
          Trainers.train(
              p.poisoned(), TrainConfig.defaults("mlp", Dataset.Kind.IMAGE), draw, null, null);
      Detection d =
          Detectors.byName(SpectreDetector.NAME)
              .scan(p.poisoned(), new ScanContext(0, model, null));
      DetectionMetrics m = metrics(p, d);
      if (m.recallAtBudget() < 0.3 || m.auroc() < 0.9) {
        failures.add(String.format("draw %d %s -> %s: %s", draw, t.spec(), target, m));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }
}
