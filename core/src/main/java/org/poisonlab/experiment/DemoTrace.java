package org.poisonlab.experiment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.attribution.Attribution;
import org.poisonlab.attribution.AttributionRequest;
import org.poisonlab.attribution.Attributor;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.DetectionMetrics;
import org.poisonlab.defense.Purges;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.io.Json;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.provenance.Manifest;
import org.poisonlab.provenance.ManifestVerification;
import org.poisonlab.provenance.Manifests;
import org.poisonlab.results.AfterPurge;
import org.poisonlab.results.ManifestCheck;
import org.poisonlab.results.SourceFlags;
import org.poisonlab.results.TraceSummary;

/**
 * The demo's trace of a backdoor row to its poisons, with purge and retrain, and the check of a
 * targeted row's poisoned set against the signed manifest of the clean split.
 */
final class DemoTrace {
  private final DemoRows row;
  private final DemoRun run;

  DemoTrace(DemoRows row) {
    this.row = row;
    this.run = row.run;
  }

  /**
   * Traces the row's backdoor to training examples: {@value Demo#TRACE_METHOD} explains the
   * poisoned model's target output on {@value Demo#TRACE_BEHAVIOR} triggered test inputs (drawn
   * from the non-target test examples with a seed), the top ⌈1.5 × poisons⌉ are purged, the model
   * is retrained with its own configuration and seed and evaluated with the row's evaluation seed.
   * The trigger is never given to the attribution. Writes {@code traces/ATTACK-DATASET.json}.
   */
  TraceSummary trace(
      DemoSetting s, String attack, DemoRows.Point p, Trigger trigger, String target) {
    long t0 = System.nanoTime();
    String name = attack + "/" + s.dataset;
    Dataset poisoned = p.result().poisoned();
    Set<String> truth = new HashSet<>(p.result().ids());
    List<Example> behavior =
        BehaviorSamples.sample(
            s.test,
            trigger,
            target,
            Demo.TRACE_BEHAVIOR,
            run.derive("behavior", s.dataset, p.what(), p.index()),
            BehaviorSamples.Sampling.DRAWN);
    run.progress(
        name + ": tracing " + behavior.size() + " triggered inputs with " + Demo.TRACE_METHOD);
    // the point's own training checkpoints when it kept them, else TracIn trains it again
    Attributor method =
        p.checkpoints() == null
            ? Attributors.byName(Demo.TRACE_METHOD)
            : Attributors.tracIn(Demo.TRACE_METHOD, p.checkpoints());
    Attribution a =
        method.attribute(
            new AttributionRequest(
                (DifferentiableClassifier) p.model(),
                poisoned,
                behavior,
                run.config(s),
                run.derive("trace", s.dataset, p.what(), p.index()),
                Map.of(),
                run.options.progress()));
    double[] scores = a.aggregate();
    int n = scores.length;
    Integer[] order = StudyParts.rankDescending(scores);
    int k = truth.size();
    int top = Math.min(n, (int) Math.ceil(DetectionMetrics.BUDGET_FACTOR * k));
    boolean[] flagged = new boolean[n];
    List<String> removed = new ArrayList<>();
    int hitsAtK = 0;
    List<String> ids = new ArrayList<>(n);
    for (Example e : poisoned) {
      ids.add(e.id());
    }
    for (int r = 0; r < top; r++) {
      flagged[order[r]] = true;
      removed.add(ids.get(order[r]));
      hitsAtK += r < k && truth.contains(ids.get(order[r])) ? 1 : 0;
    }
    DetectionMetrics dm = DetectionMetrics.of(ids, scores, flagged, truth);
    if (run.options.folder() != null) {
      Map<String, Object> file =
          ScanFiles.toJson(
              poisoned,
              List.of(new Detection(a.method(), scores, flagged)),
              org.poisonlab.defense.Findings.DEFAULT_FDR);
      file.remove("details");
      file.put("top", top);
      file.put("behavior", behavior.size());
      file.put("diagnostics", a.diagnostics());
      ScanFiles.addTopExamples(file, poisoned);
      file.put("truth", TruthFiles.asMap(p.result()));
      Json.write(
          run.options.folder().resolve("traces").resolve(attack + "-" + s.dataset + ".json"), file);
    }
    double traceSeconds = Timings.since(t0);
    run.progress(name + ": purging the top " + top + " traced examples");
    AfterPurge after = purgeAndRetrain(s, p, removed, truth, trigger, target);
    // the fixed-k protocol beside it: exactly the top k (k = the poison count, which a defender
    // does not know) purged
    AfterPurge afterAtK =
        purgeAndRetrain(s, p, removed.subList(0, Math.min(k, top)), truth, trigger, target);
    List<SourceFlags> sources = new ArrayList<>();
    for (ScanFiles.SourceCount c : ScanFiles.rankedByFlags(ScanFiles.sources(poisoned, flagged))) {
      if (sources.size() == 3 || c.flagged() == 0) {
        break;
      }
      sources.add(new SourceFlags(c.source(), c.flagged(), c.total(), null));
    }
    TraceSummary summary =
        new TraceSummary(
            a.method(),
            behavior.size(),
            k == 0 ? null : Rounding.round(hitsAtK / (double) k),
            Rounding.round(dm.recallAtBudget()),
            Rounding.round(dm.precision()),
            Double.isNaN(dm.auroc()) ? null : Rounding.round(dm.auroc()),
            sources,
            after,
            afterAtK,
            "the top 1.5 x poison count of the trace, purged (after_purge_top_k: the top poison count);"
                + " the trigger is not given");
    row.timings.put(name + "/trace", traceSeconds);
    row.timings.put(name + "/trace_purge_and_retrain", Timings.since(t0) - traceSeconds);
    return summary;
  }

  /**
   * Removes {@code ids} from the sweep point's poisoned set, retrains with the point's own
   * configuration and seed and evaluates with its evaluation seed.
   */
  private AfterPurge purgeAndRetrain(
      DemoSetting s,
      DemoRows.Point p,
      List<String> ids,
      Set<String> truth,
      Trigger trigger,
      String target) {
    Purges.PurgeResult purged = Purges.byExample(p.result().poisoned(), ids);
    return DemoDefense.afterPurge(
        row.retrain(
            p.what(),
            p.index(),
            purged,
            truth,
            data -> run.train(s, data, p.what(), p.index()),
            new Retraining.Evaluated(
                s.test, trigger, target, run.derive("eval", s.dataset, p.what(), p.index()))));
  }

  /**
   * Verifies the row's poisoned training set against the signed manifest of the clean split, as a
   * consumer of a published dataset would after download: what changed, was added, removed or
   * moved, and how many of those are the poisons. Writes {@code
   * provenance/verify-ATTACK-DATASET.json} (the {@code provenance verify --json} format).
   */
  ManifestCheck verifyProvenance(DemoSetting s, String attack, PoisonResult r) {
    long t0 = System.nanoTime();
    Manifest manifest = s.manifest();
    ManifestVerification v = Manifests.verify(r.poisoned(), manifest, s.manifestKey());
    ManifestVerification.Report json = v.asJson();
    if (run.options.folder() != null) {
      Json.write(
          run.options
              .folder()
              .resolve("provenance")
              .resolve("verify-" + attack + "-" + s.dataset + ".json"),
          json);
    }
    Set<String> truth = new HashSet<>(r.ids());
    Set<String> touched = new HashSet<>();
    for (ManifestVerification.Change c : v.changes()) {
      if (c.actual() != null && c.kind() != ManifestVerification.ChangeKind.MOVED) {
        touched.add(c.actual().id());
      }
    }
    int caught = 0;
    for (String id : truth) {
      caught += touched.contains(id) ? 1 : 0;
    }
    Map<String, Integer> changes = new LinkedHashMap<>();
    for (ManifestVerification.ChangeKind k : ManifestVerification.ChangeKind.values()) {
      changes.put(k.name().toLowerCase(Locale.ROOT), (int) v.count(k));
    }
    ManifestCheck m =
        new ManifestCheck(
            v.ok(),
            v.signature().name().toLowerCase(Locale.ROOT),
            v.rootMatches(),
            changes,
            truth.size(),
            caught,
            touched.size() - caught,
            "the poisoned set checked against the signed manifest of the clean training split: catches"
                + " poisoning after the manifest was signed, not poison already in the source");
    row.timings.put(attack + "/" + s.dataset + "/provenance", Timings.since(t0));
    return m;
  }
}
