package org.poisonlab.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.DetectionMetrics;
import org.poisonlab.defense.Detector;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.Finding;
import org.poisonlab.defense.Findings;
import org.poisonlab.defense.Purges;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.Json;
import org.poisonlab.results.BudgetShare;
import org.poisonlab.results.DetectionRow;
import org.poisonlab.results.DetectorScore;
import org.poisonlab.results.SourceFlags;
import org.poisonlab.results.SourcePurge;

/**
 * One poisoned training set scanned by every applicable built-in detector and scored against the
 * attack's truth: the demo's detection table row, its scan file, and the choice of the detector
 * whose flags are purged.
 *
 * <p>The best detector is the one with the highest F1 of its own flags against the truth ({@code
 * 2PR / (P + R)}, 0 when it flags no poison), ties broken by AUROC (a missing AUROC lowest), then
 * by registry order: a reference no user could choose. The truth-free defense is the combination of
 * all detections ({@link ScanFiles#combine}): the flags of the findings that hold.
 */
final class DefenseScan {
  /** One detector's detection, its metrics against the truth, and its wall time. */
  record Scored(Detection detection, DetectionMetrics metrics, double seconds) {
    String name() {
      return detection.method();
    }

    double f1() {
      return DefenseScan.f1(metrics);
    }
  }

  /**
   * @param poisoned the scanned set (not modified)
   * @param truth the poisoned ids
   * @param each every detector that ran, in registry order
   * @param best the detector chosen for the purge
   * @param combined the combination of all detections and its metrics
   */
  record Outcome(
      Dataset poisoned, Set<String> truth, List<Scored> each, Scored best, Scored combined) {
    /** Ids the best detector flagged, in dataset order. */
    List<String> bestFlaggedIds() {
      return flaggedIds(poisoned, best.detection());
    }

    /** The findings after the default false-discovery control, in the detectors' order. */
    List<Finding> findings() {
      return Findings.control(each.stream().map(Scored::detection).toList(), Findings.DEFAULT_FDR);
    }

    /** The default scan's verdict. */
    String verdict() {
      return Findings.verdict(findings());
    }

    /** The detectors whose findings hold, joined by "+"; "none" when none does. */
    String holding() {
      List<String> names =
          findings().stream().filter(Finding::significant).map(Finding::detector).toList();
      return names.isEmpty() ? "none" : String.join("+", names);
    }
  }

  private DefenseScan() {}

  /**
   * Scans {@code poisoned} with the {@code chosen} detectors.
   *
   * @param poisoned not modified
   * @param truth not modified; the poisoned ids
   * @param chosen detectors that apply to {@code poisoned}, in the order they are reported
   * @throws IllegalStateException if no detector ran
   */
  static Outcome run(
      Dataset poisoned, Set<String> truth, ScanContext context, List<Detector> chosen) {
    List<String> ids = poisoned.examples().stream().map(Example::id).toList();
    context
        .progress()
        .accept(
            "scan: "
                + chosen.stream().map(Detector::name).collect(Collectors.joining(", "))
                + " on "
                + poisoned.size()
                + " examples");
    List<Scored> each = new ArrayList<>();
    for (Detectors.Ran r : Detectors.scanAll(chosen, poisoned, context)) {
      each.add(
          new Scored(r.detection(), DetectionMetrics.of(ids, r.detection(), truth), r.seconds()));
    }
    if (each.isEmpty()) {
      throw new IllegalStateException("no detector applies to " + poisoned.name());
    }
    Scored best = each.get(0);
    for (Scored s : each) {
      if (better(s, best)) {
        best = s;
      }
    }
    long t = System.nanoTime();
    Detection c = ScanFiles.combine(each.stream().map(Scored::detection).toList());
    Scored combined =
        new Scored(c, DetectionMetrics.of(ids, c, truth), (System.nanoTime() - t) / 1e9);
    return new Outcome(poisoned, Set.copyOf(truth), each, best, combined);
  }

  /** Whether {@code a} beats {@code b}: higher F1, then higher AUROC (NaN lowest). */
  static boolean better(Scored a, Scored b) {
    int c = Double.compare(a.f1(), b.f1());
    if (c != 0) {
      return c > 0;
    }
    double x = Double.isNaN(a.metrics().auroc()) ? -1 : a.metrics().auroc();
    double y = Double.isNaN(b.metrics().auroc()) ? -1 : b.metrics().auroc();
    return x > y;
  }

  static double f1(DetectionMetrics m) {
    double p = m.precision();
    double r = m.recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Ids of the examples {@code d} flags, in dataset order. */
  static List<String> flaggedIds(Dataset data, Detection d) {
    boolean[] f = d.flagged();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.length; i++) {
      if (f[i]) {
        out.add(data.get(i).id());
      }
    }
    return out;
  }

  /** How many of {@code ids} are in {@code truth}. */
  static int poisonsAmong(Iterable<String> ids, Set<String> truth) {
    int k = 0;
    for (String id : ids) {
      k += truth.contains(id) ? 1 : 0;
    }
    return k;
  }

  /**
   * What purge by source makes of a detection's flags: the sources removed, the share of poisons
   * removed and the share of clean examples removed.
   */
  static SourcePurge bySource(Dataset data, Detection d, Set<String> truth) {
    Purges.PurgeResult r = Purges.bySource(data, flaggedIds(data, d), Purges.ALPHA);
    return bySourceJson(data, r, truth);
  }

  static SourcePurge bySourceJson(Dataset data, Purges.PurgeResult r, Set<String> truth) {
    Set<String> kept = new HashSet<>();
    for (Example e : r.kept()) {
      kept.add(e.id());
    }
    int poisons = 0;
    int poisonsRemoved = 0;
    int clean = 0;
    int cleanRemoved = 0;
    for (Example e : data) {
      boolean p = truth.contains(e.id());
      boolean gone = !kept.contains(e.id());
      if (p) {
        poisons++;
        poisonsRemoved += gone ? 1 : 0;
      } else {
        clean++;
        cleanRemoved += gone ? 1 : 0;
      }
    }
    return new SourcePurge(
        r.testedSources(),
        r.removedSources().size(),
        r.removed(),
        poisonsRemoved,
        Rounding.round(poisons == 0 ? 0 : (double) poisonsRemoved / poisons),
        Rounding.round(clean == 0 ? 0 : (double) cleanRemoved / clean),
        null,
        null,
        null);
  }

  /** The removed sources of a purge by source, for the table: name, flagged, total, p-value. */
  static List<SourceFlags> removedSourcesJson(Purges.PurgeResult r) {
    List<SourceFlags> out = new ArrayList<>();
    for (Purges.RemovedSource s : r.removedSources()) {
      out.add(new SourceFlags(s.source(), s.flagged(), s.total(), Rounding.roundP(s.pValue())));
    }
    return out;
  }

  /**
   * A detector's precision, recall, F1, AUROC (null when undefined) and recall at 1.5 × the poison
   * count, with its seconds (for the text table, not written) and purge-by-source result when not
   * null.
   */
  static DetectorScore score(
      String name, DetectionMetrics m, Double seconds, SourcePurge bySource) {
    return new DetectorScore(
        name,
        m.flaggedCount(),
        Rounding.round(m.precision()),
        Rounding.round(m.recall()),
        Rounding.round(f1(m)),
        Double.isNaN(m.auroc()) ? null : Rounding.round(m.auroc()),
        Rounding.round(m.recallAtBudget()),
        seconds,
        bySource);
  }

  /**
   * The detection-table row of an outcome: every detector's metrics, seconds (for the text table)
   * and purge-by-source result, the combination, and which detector was chosen.
   */
  static DetectionRow row(
      Outcome o, String attack, String dataset, String model, BudgetShare budget, String scanFile) {
    List<DetectorScore> detectors = new ArrayList<>();
    for (Scored s : o.each()) {
      detectors.add(
          score(
              s.name(),
              s.metrics(),
              Math.round(s.seconds() * 100) / 100.0,
              bySource(o.poisoned(), s.detection(), o.truth())));
    }
    return new DetectionRow(
        attack,
        dataset,
        model,
        budget,
        o.best().metrics().poisons(),
        o.poisoned().size(),
        o.best().name(),
        detectors,
        score(o.combined().name(), o.combined().metrics(), null, null),
        scanFile);
  }

  /**
   * Writes the outcome's scan file: the scan-file format of the combination ({@link
   * ScanFiles#toJson}, so {@code purge --flags} reads it), plus {@code "detector_scores"}: the
   * example ids in dataset order and, per detector, its scores in that order. Written without
   * indentation (it holds a number per example per detector).
   */
  static void writeScanFile(Path file, Outcome o) {
    List<Detection> dets = o.each().stream().map(Scored::detection).toList();
    Map<String, Object> root =
        new LinkedHashMap<>(ScanFiles.toJson(o.poisoned(), dets, Findings.DEFAULT_FDR));
    Map<String, Object> scores = new LinkedHashMap<>();
    scores.put("ids", o.poisoned().examples().stream().map(Example::id).toList());
    for (Detection d : dets) {
      List<Double> s = new ArrayList<>(d.size());
      for (double v : d.scores()) {
        s.add(Double.isFinite(v) ? v : null);
      }
      scores.put(d.method(), s);
    }
    root.put("detector_scores", scores);
    AtomicFiles.write(file, out -> Json.mapper().writeValue(nonClosing(out), root));
  }

  private static java.io.OutputStream nonClosing(java.io.OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws java.io.IOException {
        flush();
      }
    };
  }
}
