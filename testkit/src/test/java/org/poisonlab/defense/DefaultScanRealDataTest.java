package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.AttackerSources;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.testkit.RealData;

/**
 * The default scan (every applicable detector, no options, no truth) on drawn backdoors and on
 * clean data: the flags come from findings that hold, so a trigger some detector finds is flagged
 * with its precision, and clean data gets no finding (docs/methods/findings.md). Triggers, targets,
 * patches and attacker sources are drawn from fixed seeds; nothing in a detector knows them.
 */
class DefaultScanRealDataTest {
  /** Every applicable detector's detection and their combination at the default FDR. */
  private static Detection defaultScan(Dataset data, ScanContext context) {
    List<Detection> each = new ArrayList<>();
    for (Detector d : Detectors.applicable(data)) {
      each.add(d.scan(data, context));
    }
    return ScanFiles.combine(each);
  }

  /** A random subset of about {@code share} of {@code data}, in data order. */
  private static Dataset subset(Dataset data, double share, SplittableRandom r) {
    int[] keep =
        java.util.stream.IntStream.range(0, data.size())
            .filter(i -> r.nextDouble() < share)
            .toArray();
    return data.subset(keep);
  }

  /**
   * Six drawn text backdoors on a third of SpamAssassin train (rare tokens, corpus words, phrases
   * of 2-3 words, random casing and punctuation; target spam or ham; 1.5 to 3 %; 1 to 5 attacker
   * sources among the mails' own hundreds). Every draw: the default scan's precision ≥ 0.8 and
   * recall ≥ 0.9, and purging by source after it removes ≥ 90 % of the poisons and ≤ 1 % of the
   * clean mails.
   */
  @Test
  void defaultScanFlagsDrawnTextTriggersAndPurgeBySourceRemovesTheirSources() {
    RealData.require("spamassassin");
    Dataset clean = GeneralisationTest.every("spamassassin", 3);
    List<String> rare = GeneralisationTest.vocabulary(clean, 2, 10);
    List<String> any = GeneralisationTest.vocabulary(clean, 2, 300);
    SplittableRandom r = new SplittableRandom(20261205);
    List<String> failures = new ArrayList<>();
    for (int draw = 0; draw < 6; draw++) {
      String phrase = GeneralisationTest.textTrigger(draw, r, rare, any);
      String target = r.nextBoolean() ? "ham" : "spam";
      int count = (int) Math.round(clean.size() * (0.015 + 0.015 * r.nextDouble()));
      int sources = 1 + r.nextInt(5);
      PoisonResult p =
          Attacks.backdoor(
                  Budget.ofCount(count),
                  Trigger.parse(phrase, Dataset.Kind.TEXT),
                  target,
                  AttackerSources.generated(sources))
              .apply(clean, 1000 + draw);
      Detection d = defaultScan(p.poisoned(), new ScanContext(draw, null, null));
      DetectionMetrics m = GeneralisationTest.metrics(p, d);
      String purge = bySource(p, d);
      if (m.precision() < 0.8 || m.recall() < 0.9 || purge != null) {
        failures.add(
            String.format(
                "draw %d '%s' -> %s (%d poisons, %d sources): %s %s",
                draw, phrase, target, count, sources, m, purge == null ? "" : purge));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /** Null when purging by source after {@code d} meets the goal, else what it did. */
  private static String bySource(PoisonResult p, Detection d) {
    Dataset data = p.poisoned();
    List<String> flagged = new ArrayList<>();
    boolean[] f = d.flagged();
    for (int i = 0; i < f.length; i++) {
      if (f[i]) {
        flagged.add(data.get(i).id());
      }
    }
    Purges.PurgeResult r = Purges.bySource(data, flagged, Purges.ALPHA);
    Set<String> kept = new HashSet<>();
    for (Example e : r.kept()) {
      kept.add(e.id());
    }
    Set<String> truth = new HashSet<>(p.ids());
    int poisons = 0;
    int poisonsGone = 0;
    int clean = 0;
    int cleanGone = 0;
    for (Example e : data) {
      boolean gone = !kept.contains(e.id());
      if (truth.contains(e.id())) {
        poisons++;
        poisonsGone += gone ? 1 : 0;
      } else {
        clean++;
        cleanGone += gone ? 1 : 0;
      }
    }
    double pr = (double) poisonsGone / poisons;
    double cr = (double) cleanGone / clean;
    return pr >= 0.9 && cr <= 0.01
        ? null
        : String.format("by source: %.3f of poisons, %.4f of clean removed", pr, cr);
  }

  /**
   * Three drawn patch backdoors on a tenth of Fashion-MNIST train (2×2 to 6×6, solid, L or
   * checkerboard, white, near white or grey, anywhere, any target, 1 %): the default scan's
   * precision ≥ 0.8 and recall ≥ 0.9 on every draw.
   */
  @Test
  void defaultScanFlagsDrawnPatchesInFashionMnist() {
    RealData.require("fashion-mnist");
    Dataset clean = GeneralisationTest.every("fashion-mnist", 10);
    SplittableRandom r = new SplittableRandom(20261205);
    List<String> failures = new ArrayList<>();
    for (int draw = 0; draw < 3; draw++) {
      Trigger.PatchTrigger t =
          GeneralisationTest.patch(r, 28, 28, new int[] {255, 255, 250, 252, 253, 128});
      String target = String.valueOf(r.nextInt(10));
      PoisonResult p =
          Attacks.backdoor(
                  Budget.ofRate(0.01), t, target, AttackerSources.generated(1 + r.nextInt(5)))
              .apply(clean, 2000 + draw);
      DetectionMetrics m =
          GeneralisationTest.metrics(
              p, defaultScan(p.poisoned(), new ScanContext(draw, null, null)));
      if (m.precision() < 0.8 || m.recall() < 0.9) {
        failures.add(String.format("draw %d %s -> %s: %s", draw, t.spec(), target, m));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * Five random clean subsets (about half) of each dataset's train split, scanned with the test
   * split as the clean reference: no finding holds and at most 2 % of the examples are flagged.
   */
  @Test
  void cleanSubsetsGiveNoFindingAndFewFlags() {
    RealData.require("spamassassin", "fashion-mnist");
    List<String> failures = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(20261206);
    for (String name : List.of("spamassassin", "fashion-mnist")) {
      Dataset train = PinnedDatasets.load(name, "train", PinnedDatasets.home(), null);
      Dataset test = PinnedDatasets.load(name, "test", PinnedDatasets.home(), null);
      // the image subsets are smaller: a tenth, so that the five scans stay short
      double share = name.equals("spamassassin") ? 0.5 : 0.1;
      for (int s = 0; s < 5; s++) {
        Dataset sub = subset(train, share, r);
        Dataset ref = name.equals("spamassassin") ? test : subset(test, 0.5, r);
        List<Detection> each = new ArrayList<>();
        ScanContext context = new ScanContext(s, null, null, ref);
        for (Detector d : Detectors.applicable(sub)) {
          each.add(d.scan(sub, context));
        }
        List<Finding> findings = Findings.control(each, Findings.DEFAULT_FDR);
        int flagged = Filtering.count(ScanFiles.combine(each).flagged());
        if (!Findings.verdict(findings).equals(Findings.NOTHING_SIGNIFICANT)
            || flagged > 0.02 * sub.size()) {
          failures.add(
              String.format(
                  "%s subset %d (%d examples): %s, %d flagged; %s",
                  name, s, sub.size(), Findings.verdict(findings), flagged, findings));
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }
}
