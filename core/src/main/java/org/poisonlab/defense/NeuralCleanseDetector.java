package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * {@code neural-cleanse}: trigger inversion on a model trained on the suspect set ({@link
 * NeuralCleanse}), then trigger matching in the data.
 *
 * <p>The inversion runs on a seeded sample of the training set. Each example is then scored by how
 * much it carries the recovered trigger of a <em>scored</em> label: the flagged labels, or, when
 * none is flagged, the label of smallest norm. Two views of "carries the trigger" are combined:
 *
 * <ul>
 *   <li><b>match</b>: {@code d_i = Σ_j m_j |x_ij − p_j| / Σ_j m_j}, the mask-weighted mean absolute
 *       difference to the pattern ({@link TriggerInversions#matchDistances});
 *   <li><b>reliance</b>: {@code log p_t(x_i) − log p_t(x̃_i)} with {@code x̃_i = (1 − m) ⊙ x_i + m
 *       ⊙ μ}, the trigger region replaced by the mean image {@code μ} of the unscored labels: how
 *       much the model's belief in the label rests on that region.
 * </ul>
 *
 * <p>An example of a scored label gets {@code 1 + (rank_match + rank_reliance) / (2 n_t)} (ranks
 * within its label, 0 for the worst); every other example gets {@code 1 − d_i} under the most
 * anomalous scored label's trigger, so it ranks below. The match alone fails when the trigger sits
 * where clean images are bright too (a white patch on a garment); reliance alone when a poison's
 * own content already points to the target; the mean of ranks keeps the ranking of either.
 *
 * <p>Flags (only when a label is flagged): an example of a flagged label is flagged when replacing
 * the trigger region turns the model's label away from the target, and at most a share {@code α} of
 * the examples of unflagged labels are as close to the trigger: {@code (1 + #{j : d_j ≤ d_i}) / (1
 * + n_ref) ≤ α}. In a dirty-label backdoor the examples of other labels are free of the trigger, so
 * they calibrate what a chance match looks like. Nothing here knows a trigger: the mask and pattern
 * come from inversion.
 */
final class NeuralCleanseDetector implements Detector {
  static final String NAME = "neural-cleanse";

  private final NeuralCleanseConfig config;

  NeuralCleanseDetector(NeuralCleanseConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(Dataset train) {
    if (train.kind() != Dataset.Kind.IMAGE || train.labels().size() < 2 || train.isEmpty()) {
      return false;
    }
    int[] shape = train.get(0).shape();
    return train.examples().stream().allMatch(e -> Arrays.equals(e.shape(), shape));
  }

  @Override
  public Shared shared(Dataset train, ScanContext context) {
    return Representations.sharedModel(train, context);
  }

  @Override
  public Detection scan(Dataset train, ScanContext context) {
    DifferentiableClassifier model = Representations.model(train, context);
    SplittableRandom random = new SplittableRandom(context.seed());
    int[] sample = sample(train.size(), config.sampleSize(), random.split());
    List<Example> xs = new ArrayList<>(sample.length);
    for (int i : sample) {
      xs.add(train.get(i));
    }
    context
        .progress()
        .accept(
            NAME
                + ": inverting a trigger for each of "
                + model.labels().size()
                + " labels on "
                + xs.size()
                + " inputs");
    TriggerInversion inv =
        TriggerInversions.neuralCleanse(model, xs, config, random.split().nextLong());
    context
        .progress()
        .accept(String.format(Locale.ROOT, "%s: triggers inverted in %.2f s", NAME, inv.seconds()));
    Finding finding = Finding.untested(NAME, UNCALIBRATED);
    double[] refNorms = context.reference() == null ? null : referenceNorms(context, model);
    if (refNorms != null) {
      finding = calibrated(inv, refNorms);
      if (finding.significant() && !inv.flagged().equals(List.of(finding.target()))) {
        // the label the reference calibration finds is the one whose trigger is matched
        inv =
            new TriggerInversion(
                inv.shape(),
                inv.triggers(),
                inv.anomalyIndices(),
                List.of(finding.target()),
                inv.sampleSize(),
                inv.seconds());
      }
    }
    context.progress().accept(NAME + ": matching " + train.size() + " examples to the trigger");
    Detection d = match(train, model, inv, config.matchAlpha());
    if (refNorms != null) {
      int flagged = Filtering.count(d.flagged());
      finding =
          finding.significant() && flagged > 0 ? finding.withFlagged(flagged) : finding.notHeld();
    }
    DetectionDetails.AnomalyRule anomalyRule =
        new DetectionDetails.AnomalyRule(
            config.anomalyScale().name().toLowerCase(Locale.ROOT), config.anomalyThreshold());
    DetectionDetails.NeuralCleanse details =
        ((DetectionDetails.NeuralCleanse) d.details()).withAnomalyRule(anomalyRule);
    return new Detection(d.method(), d.scores(), d.flagged(), details, finding);
  }

  static final String UNCALIBRATED =
      "untested without a clean reference (scan --reference): a label's natural trigger norm"
          + " varies (on clean Fashion-MNIST subsets the bag label's anomaly index reaches 10)";

  /** Level of the detector's own calibrated test, before the scan's FDR control. */
  static final double ALPHA = 0.01;

  /**
   * How many times smaller than on the reference a label's trigger must be as well: the natural
   * spread of one label's norm between models is wider than the spread across labels (the bag label
   * of clean Fashion-MNIST subsets: 0.56 and 0.78 of its reference norm; a 1 % patch's target:
   * 0.18).
   */
  static final double MIN_SHRINK = 3;

  // the reference's inverted-trigger norms, by reference content and model family: the same clean
  // reference calibrates every scan of a run
  private static final java.util.Map<String, double[]> REFERENCE_NORMS =
      new java.util.LinkedHashMap<>();

  /**
   * The inverted-trigger norm of each label on a model of the same family trained on the clean
   * reference (fixed seed 0, the detector's settings), in the model's label order; null when the
   * reference lacks one of the model's labels or is not images of the same shape.
   */
  private double[] referenceNorms(ScanContext context, DifferentiableClassifier model) {
    Dataset ref = context.reference();
    if (!appliesTo(ref) || !ref.labels().equals(model.labels())) {
      return null;
    }
    String key = ref.contentHash() + "/" + config;
    synchronized (REFERENCE_NORMS) {
      double[] cached = REFERENCE_NORMS.get(key);
      if (cached != null) {
        return cached.clone();
      }
    }
    context.progress().accept(NAME + ": inverting triggers on the clean reference");
    DifferentiableClassifier refModel =
        Representations.model(ref, new ScanContext(0, null, context.progress()));
    SplittableRandom random = new SplittableRandom(0);
    List<Example> xs = new ArrayList<>();
    for (int i : sample(ref.size(), config.sampleSize(), random.split())) {
      xs.add(ref.get(i));
    }
    double[] norms =
        TriggerInversions.neuralCleanse(refModel, xs, config, random.split().nextLong()).norms();
    synchronized (REFERENCE_NORMS) {
      REFERENCE_NORMS.put(key, norms.clone());
      if (REFERENCE_NORMS.size() > 4) {
        REFERENCE_NORMS.remove(REFERENCE_NORMS.keySet().iterator().next());
      }
    }
    return norms;
  }

  /**
   * The calibrated test: per label the log ratio {@code d_c = ln(norm_c / refNorm_c)} of its
   * inverted trigger's norm to the same label's on the clean reference; a backdoor's target needs a
   * far smaller trigger than it naturally does. {@code z_c = (median(d) − d_c) / (1.4826 ·
   * MAD(d))}; statistic {@code a = max z_c}; {@code p = min(1, K · P(Z ≥ a))} over the K labels;
   * significant at {@value #ALPHA} when that label's trigger is also at least {@value #MIN_SHRINK}
   * times smaller than on the reference.
   */
  static Finding calibrated(TriggerInversion inv, double[] refNorms) {
    double[] norms = inv.norms();
    int k = norms.length;
    double[] d = new double[k];
    for (int c = 0; c < k; c++) {
      d[c] = Math.log(Math.max(1e-12, norms[c])) - Math.log(Math.max(1e-12, refNorms[c]));
    }
    double med = NeuralCleanse.median(d);
    double[] dev = new double[k];
    for (int c = 0; c < k; c++) {
      dev[c] = Math.abs(d[c] - med);
    }
    double mad = Math.max(1.4826 * NeuralCleanse.median(dev), 1e-9);
    int best = 0;
    for (int c = 1; c < k; c++) {
      if (d[c] < d[best]) {
        best = c;
      }
    }
    double a = (med - d[best]) / mad;
    double p = Math.min(1, k * org.poisonlab.eval.Significance.normalUpperTail(a));
    String label = inv.triggers().get(best).label();
    return Finding.tested(
        NAME,
        Finding.TRIGGER,
        p <= ALPHA && d[best] <= -Math.log(MIN_SHRINK),
        p,
        round(a),
        "largest robust z, over the "
            + k
            + " labels, of how much smaller a label's inverted trigger is than on a model of the"
            + " clean reference (log norm ratio); normal tail times the number of labels; and at"
            + " least "
            + (int) MIN_SHRINK
            + " times smaller",
        0,
        String.format(
            Locale.ROOT,
            "inverted trigger of label %s, mask L1 norm %.1f (%.1f on the reference)",
            label,
            norms[best],
            refNorms[best]),
        label);
  }

  /**
   * The trigger-match detection of {@code train} (not modified) under an inversion of {@code
   * model}.
   */
  static Detection match(
      Dataset train, DifferentiableClassifier model, TriggerInversion inv, double alpha) {
    int n = train.size();
    List<String> scored = new ArrayList<>(inv.flagged());
    if (scored.isEmpty()) {
      double[] norms = inv.norms();
      int best = 0;
      for (int i = 1; i < norms.length; i++) {
        if (norms[i] < norms[best]) {
          best = i;
        }
      }
      scored.add(inv.triggers().get(best).label());
    }
    boolean flagging = !inv.flagged().isEmpty();
    double[] scores = new double[n];
    boolean[] flagged = new boolean[n];
    boolean[] inScored = new boolean[n];
    for (int i = 0; i < n; i++) {
      inScored[i] = scored.contains(train.get(i).label());
    }
    double[] neutral = neutralImage(train, inScored);
    Map<String, DetectionDetails.LabelMatch> perLabel = new LinkedHashMap<>();
    for (int s = 0; s < scored.size(); s++) {
      String label = scored.get(s);
      TriggerInversion.Trigger trigger = inv.trigger(label);
      double[] dist = TriggerInversions.matchDistances(trigger, train.examples());
      double[] ref =
          java.util.stream.IntStream.range(0, n)
              .filter(i -> !inScored[i])
              .mapToDouble(i -> dist[i])
              .sorted()
              .toArray();
      int[] own =
          java.util.stream.IntStream.range(0, n)
              .filter(i -> train.get(i).label().equals(label))
              .toArray();
      Reliance rel = reliance(train, own, model, model.labels().indexOf(label), trigger, neutral);
      double[] matchRank = ranks(own, i -> -dist[i]);
      double[] relianceRank = ranks(own, i -> rel.drop()[i]);
      int count = 0;
      for (int q = 0; q < own.length; q++) {
        int i = own[q];
        scores[i] = 1 + (matchRank[q] + relianceRank[q]) / (2.0 * own.length);
        double pValue = (1 + countAtMost(ref, dist[i])) / (1.0 + ref.length);
        if (flagging && rel.flips()[q] && pValue <= alpha) {
          flagged[i] = true;
          count++;
        }
      }
      if (s == 0) {
        for (int i = 0; i < n; i++) {
          if (!inScored[i]) {
            scores[i] = 1 - dist[i]; // in [0, 1], below every example of a scored label
          }
        }
      }
      perLabel.put(label, new DetectionDetails.LabelMatch(own.length, count, rel.flipCount()));
    }
    List<String> labels = inv.triggers().stream().map(TriggerInversion.Trigger::label).toList();
    double[] a = inv.anomalyIndices();
    Map<String, Double> norms = new LinkedHashMap<>();
    Map<String, Double> indices = new LinkedHashMap<>();
    Map<String, Double> success = new LinkedHashMap<>();
    Map<String, Integer> epochs = new LinkedHashMap<>();
    for (int c = 0; c < labels.size(); c++) {
      TriggerInversion.Trigger t = inv.triggers().get(c);
      norms.put(labels.get(c), round(t.norm()));
      indices.put(labels.get(c), round(a[c]));
      success.put(labels.get(c), round(t.attackSuccess()));
      epochs.put(labels.get(c), t.epochs());
    }
    TriggerInversion.Trigger top = inv.trigger(scored.get(0));
    DetectionDetails details =
        new DetectionDetails.NeuralCleanse(
            inv.flagged(),
            norms,
            indices,
            success,
            epochs,
            scored.get(0),
            "examples of a scored label: 1 + mean of their rank by trigger match and by reliance on"
                + " the trigger region (other examples: 1 - match distance); flagged when the"
                + " trigger region decides the model's label and at most "
                + alpha
                + " of other labels' examples match as closely (only when a label is flagged)",
            perLabel,
            inv.sampleSize(),
            inv.shape(),
            TriggerInversions.grid(top.mask(), inv.shape()),
            TriggerInversions.grid(top.pattern(), inv.shape()),
            null);
    return new Detection(NAME, scores, flagged, details);
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /** Number of entries of sorted {@code v} that are {@code ≤ x}. */
  private static int countAtMost(double[] v, double x) {
    int lo = 0;
    int hi = v.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (v[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** {@code min(k, n)} distinct positions of [0, n), ascending, drawn by a partial shuffle. */
  static int[] sample(int n, int k, SplittableRandom rng) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int take = Math.min(k, n);
    for (int i = 0; i < take; i++) {
      int j = i + rng.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = Arrays.copyOf(all, take);
    Arrays.sort(out);
    return out;
  }

  /**
   * Per example of the scored label: {@code log p_t(x) − log p_t(x̃)} with {@code x̃ = (1 − m) ⊙ x
   * + m ⊙ μ} (the trigger region replaced by the mean image of the unscored labels), and whether
   * the model's label turns from {@code t} to another when the region is replaced.
   */
  record Reliance(double[] drop, boolean[] flips, int flipCount) {}

  static Reliance reliance(
      Dataset train,
      int[] own,
      DifferentiableClassifier model,
      int target,
      TriggerInversion.Trigger trigger,
      double[] neutral) {
    double[] m = trigger.mask();
    int d = m.length;
    int k = model.labels().size();
    double[] drop = new double[train.size()];
    boolean[] flips = new boolean[own.length];
    int flipCount = 0;
    int chunk = 2048;
    for (int from = 0; from < own.length; from += chunk) {
      int rows = Math.min(chunk, own.length - from);
      double[] x = new double[2 * rows * d];
      for (int r = 0; r < rows; r++) {
        Example e = train.get(own[from + r]);
        for (int j = 0; j < d; j++) {
          double v = e.pixel(j) / 255.0;
          x[r * d + j] = v;
          x[(rows + r) * d + j] = v + m[j] * (neutral[j] - v);
        }
      }
      int[] y = new int[2 * rows];
      Arrays.fill(y, target);
      double[] p = new double[2 * rows * k];
      model.inputGradients(x, y, p, null);
      for (int r = 0; r < rows; r++) {
        int before = argmax(p, r * k, k);
        int after = argmax(p, (rows + r) * k, k);
        drop[own[from + r]] =
            Math.log(Math.max(p[r * k + target], 1e-300))
                - Math.log(Math.max(p[(rows + r) * k + target], 1e-300));
        if (before == target && after != target) {
          flips[from + r] = true;
          flipCount++;
        }
      }
    }
    return new Reliance(drop, flips, flipCount);
  }

  /** Per-pixel mean (pixels / 255) of the examples not in {@code exclude}. */
  private static double[] neutralImage(Dataset train, boolean[] exclude) {
    int d = train.get(0).pixelCount();
    double[] mu = new double[d];
    int count = 0;
    for (int i = 0; i < train.size(); i++) {
      if (!exclude[i]) {
        Example e = train.get(i);
        for (int j = 0; j < d; j++) {
          mu[j] += e.pixel(j);
        }
        count++;
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] = count == 0 ? 0 : mu[j] / (255.0 * count);
    }
    return mu;
  }

  /** Rank in [0, n) of each of {@code positions} by {@code key}, ascending; ties by position. */
  private static double[] ranks(int[] positions, java.util.function.IntToDoubleFunction key) {
    int n = positions.length;
    Integer[] order = new Integer[n];
    for (int q = 0; q < n; q++) {
      order[q] = q;
    }
    Arrays.sort(
        order,
        (a, b) -> Double.compare(key.applyAsDouble(positions[a]), key.applyAsDouble(positions[b])));
    double[] rank = new double[n];
    for (int r = 0; r < n; r++) {
      rank[order[r]] = r;
    }
    return rank;
  }

  private static int argmax(double[] v, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (v[off + j] > v[off + best]) {
        best = j;
      }
    }
    return best;
  }
}
