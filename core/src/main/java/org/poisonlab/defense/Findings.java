package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.eval.Significance;

/**
 * The scan's answer across detectors: each detector's {@link Finding}, a false-discovery control
 * over the tested ones, and the verdict (docs/reference.md, "Findings").
 *
 * <p>A finding holds when its detector's own test rejected the null and its Benjamini–Hochberg
 * adjusted p-value across the scan's tested findings is at most the false-discovery rate Q ({@code
 * scan --fdr}, default {@value #DEFAULT_FDR}). Within a detector, the family of examples or
 * candidate triggers is already controlled by the detector's own test (Bonferroni in the
 * association scans, a per-example match test in Neural Cleanse), so the two levels together bound
 * the false discoveries across detectors and examples.
 */
public final class Findings {
  private Findings() {}

  /** Default false-discovery rate across the detectors' findings. */
  public static final double DEFAULT_FDR = 0.05;

  /** The verdict when some finding holds. */
  public static final String POISON_FOUND = "poison found";

  /** The verdict when none does. */
  public static final String NOTHING_SIGNIFICANT = "nothing significant";

  /** How many sources a finding names. */
  static final int SOURCES_NAMED = 5;

  /** A detection's finding; one that reports none is untested. */
  public static Finding of(Detection d) {
    return d.finding() != null
        ? d.finding()
        : Finding.untested(d.method(), "the detector reports no test");
  }

  /**
   * Each detection's finding after the control at {@code fdr}, in the detections' order.
   *
   * @param detections not modified
   * @throws IllegalArgumentException if {@code fdr} is not in (0, 1)
   */
  public static List<Finding> control(List<Detection> detections, double fdr) {
    if (!(fdr > 0 && fdr < 1)) {
      throw new IllegalArgumentException("false-discovery rate " + fdr + " is not in (0, 1)");
    }
    List<Finding> raw = detections.stream().map(Findings::of).toList();
    double[] p = new double[raw.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = raw.get(i).isTested() ? raw.get(i).pValue() : Double.NaN;
    }
    double[] q = Significance.benjaminiHochberg(p);
    List<Finding> out = new ArrayList<>(raw.size());
    for (int i = 0; i < p.length; i++) {
      Finding f = raw.get(i);
      if (!f.isTested()) {
        out.add(f);
        continue;
      }
      double qi = Math.round(q[i] * 1e12) / 1e12;
      out.add(f.controlled(qi, f.significant() && q[i] <= fdr));
    }
    return out;
  }

  /**
   * Which findings' flags the scan uses: every finding that holds, except that of several holding
   * findings of the same kind and target, a looser one adds its flags only when most of them are
   * examples the sharper ones did not flag. Sharpness by what a finding names: the trigger's
   * content (the association scans: the examples carrying an n-gram or a stamped pixel pattern),
   * then an inverted trigger matched in the data (Neural Cleanse), then a group apart in the
   * model's representation (spectral signatures, activation clustering, SPECTRE, and any detector
   * added elsewhere). When the sharper detectors already flagged at least half of a looser one's
   * flags, the rest are its imprecision (on the demo's 0.1 % patch, pixel association's exact match
   * flags the 60 poisons and Neural Cleanse's match 28 clean images besides); when they flagged
   * less, the looser one found more of the attack than the sharper saw (a warp at 5 %: the pixel
   * scan flags 176 of 3,000 poisons, activation clustering 1,898 at precision 0.997).
   *
   * @param findings after {@link #control}; not modified
   * @param flagged each finding's detector's flags, in the same order; not modified
   */
  public static boolean[] used(List<Finding> findings, List<boolean[]> flagged) {
    boolean[] used = new boolean[findings.size()];
    for (int i = 0; i < used.length; i++) {
      Finding f = findings.get(i);
      if (!f.significant()) {
        continue;
      }
      int level = precision(f);
      boolean[] mine = flagged.get(i);
      int own = 0;
      int seen = 0;
      boolean sharperHolds = false;
      for (int e = 0; e < mine.length; e++) {
        if (!mine[e]) {
          continue;
        }
        own++;
        for (int j = 0; j < used.length; j++) {
          Finding g = findings.get(j);
          if (sharper(g, f, level) && flagged.get(j)[e]) {
            seen++;
            break;
          }
        }
      }
      for (int j = 0; j < used.length && !sharperHolds; j++) {
        sharperHolds = sharper(findings.get(j), f, level);
      }
      used[i] = !sharperHolds || 2 * seen < own;
    }
    return used;
  }

  /** Whether {@code g} holds on {@code f}'s kind and target and is sharper than {@code level}. */
  private static boolean sharper(Finding g, Finding f, int level) {
    return g.significant()
        && g.kind().equals(f.kind())
        && java.util.Objects.equals(g.target(), f.target())
        && precision(g) < level;
  }

  /** 0 for the association scans, 1 for Neural Cleanse, 2 for every other detector. */
  static int precision(Finding f) {
    return switch (f.detector()) {
      case NgramAssociationDetector.NAME, PixelAssociationDetector.NAME -> 0;
      case NeuralCleanseDetector.NAME -> 1;
      default -> 2;
    };
  }

  /** The note of a holding finding whose flags a stronger one on the same target replaces. */
  static final String SUPERSEDED =
      "holds, but a finding that names the trigger more precisely on the same target already flags"
          + " at least half of its examples: the scan uses that one's flags";

  /** {@link #POISON_FOUND} when a finding holds, else {@link #NOTHING_SIGNIFICANT}. */
  public static String verdict(List<Finding> findings) {
    return findings.stream().anyMatch(Finding::significant) ? POISON_FOUND : NOTHING_SIGNIFICANT;
  }

  /**
   * {@code f} with the sources most represented among {@code flagged}: up to {@value
   * #SOURCES_NAMED} of {@link ScanFiles#rankedByFlags}; unchanged when the finding does not hold.
   *
   * @param flagged one per example of {@code data}; not modified
   */
  static Finding withSources(Finding f, Dataset data, boolean[] flagged) {
    if (!f.significant()) {
      return f;
    }
    List<ScanFiles.SourceCount> named =
        ScanFiles.rankedByFlags(ScanFiles.sources(data, flagged)).stream()
            .filter(c -> c.flagged() > 0)
            .limit(SOURCES_NAMED)
            .toList();
    return f.withSources(named);
  }

  /**
   * One line for a terminal: the verdict and each holding finding, as a scan file holds them (a
   * finding whose flags are not used carries {@link #SUPERSEDED}).
   */
  public static String summary(List<Finding> findings) {
    if (verdict(findings).equals(NOTHING_SIGNIFICANT)) {
      return "nothing significant: no detector found a trigger or excess label noise";
    }
    StringBuilder sb = new StringBuilder(POISON_FOUND + ":");
    int shown = 0;
    for (int k = 0; k < findings.size(); k++) {
      Finding f = findings.get(k);
      if (!f.significant()) {
        continue;
      }
      sb.append(shown++ == 0 ? " " : "; ").append(f.detector()).append(' ').append(f.kind());
      if (f.candidate() != null) {
        sb.append(" '").append(f.candidate()).append('\'');
      }
      if (f.target() != null) {
        sb.append(" -> ").append(f.target());
      }
      sb.append(
          String.format(java.util.Locale.ROOT, " (p %.2g, %d flagged", f.pValue(), f.flagged()));
      sb.append(SUPERSEDED.equals(f.note()) ? "; a sharper finding's flags used)" : ")");
    }
    return sb.toString();
  }
}
