package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * The penultimate-layer representations of a training set, grouped by given label: the input of the
 * spectral, activation-clustering and SPECTRE detectors.
 */
final class Representations {
  private Representations() {}

  /**
   * One class's representations.
   *
   * @param positions dataset positions of the class's examples, ascending
   * @param rows row-major {@code positions.length × dim}
   */
  record ClassBlock(String label, int[] positions, double[] rows, int dim) {
    int size() {
      return positions.length;
    }

    /** The rows at even ({@code parity} 0) or odd (1) places of the block, in order. */
    ClassBlock half(int parity) {
      int m = (positions.length + 1 - parity) / 2;
      int[] pos = new int[m];
      double[] r = new double[m * dim];
      for (int i = 0; i < m; i++) {
        int src = 2 * i + parity;
        pos[i] = positions[src];
        System.arraycopy(rows, src * dim, r, i * dim, dim);
      }
      return new ClassBlock(label, pos, r, dim);
    }
  }

  /**
   * The context's model, or one trained on {@code train} with {@link TrainConfig#defaults}: an MLP
   * for images, logistic regression for text (whose representation is its logits).
   */
  static DifferentiableClassifier model(Dataset train, ScanContext context) {
    if (context.model() != null) {
      return context.model();
    }
    String kind = train.kind() == Dataset.Kind.IMAGE ? "mlp" : "logreg";
    String key = train.contentHash() + "/" + context.seed() + "/" + kind;
    return TRAINED.get(
        key,
        () -> {
          context.progress().accept("training a " + kind + " model for its representations");
          TrainConfig config = TrainConfig.defaults(kind, train.kind());
          return Trainers.train(
              train, Features.of(train, config), config, context.seed(), context.progress());
        });
  }

  // The models last trained by model(), by (data content hash, seed, kind): training is
  // deterministic, so the detectors of one scan (and neural-cleanse's model of the reference)
  // share one training instead of repeating it bit for bit.
  private static final Memo<String, DifferentiableClassifier> TRAINED = new Memo<>(3);

  /** Training the scan's model as a step detectors share; null when the context brings one. */
  static Detector.Shared sharedModel(Dataset train, ScanContext context) {
    return context.model() != null
        ? null
        : new Detector.Shared("model", () -> model(train, context), null);
  }

  /** Preparing the representations (after the model) as a step detectors share. */
  static Detector.Shared sharedRepresentations(
      Dataset train, ScanContext context, String detector) {
    return new Detector.Shared(
        "representations", () -> prepare(train, context, detector), sharedModel(train, context));
  }

  /** The representations of each class of {@code train} (not modified), in label order. */
  static List<ClassBlock> byClass(Dataset train, DifferentiableClassifier model) {
    List<String> labels = train.labels();
    int[] counts = new int[labels.size()];
    int[] label = new int[train.size()];
    for (int i = 0; i < train.size(); i++) {
      label[i] = train.labelIndex(train.get(i).label());
      counts[label[i]]++;
    }
    int d = model.penultimateDimension();
    List<ClassBlock> out = new ArrayList<>();
    for (int c = 0; c < labels.size(); c++) {
      int[] pos = new int[counts[c]];
      List<Example> xs = new ArrayList<>(counts[c]);
      int k = 0;
      for (int i = 0; i < train.size(); i++) {
        if (label[i] == c) {
          pos[k++] = i;
          xs.add(train.get(i));
        }
      }
      out.add(new ClassBlock(labels.get(c), pos, model.penultimate(xs), d));
    }
    return out;
  }

  /**
   * The per-class representations a detector scans, what they are, and the model and seed that made
   * them (so that a clean reference is represented the same way).
   */
  record Prepared(
      List<ClassBlock> blocks, String representation, DifferentiableClassifier model, long seed) {}

  /**
   * The representations of {@code reference} (not modified) made as {@code p}'s were: the same
   * model, layer or projection and seed; in {@code reference}'s label order.
   */
  static List<ClassBlock> reference(Prepared p, Dataset reference) {
    return p.representation().equals("projected-contributions")
        ? contributions(reference, p.model(), p.seed())
        : byClass(reference, p.model());
  }

  /**
   * The representations of {@code train} (not modified) under the context's model (or one trained
   * by {@link #model}): the penultimate layer, except for a linear text model, whose penultimate
   * layer is its input; there the {@linkplain #contributions projected feature contributions}.
   */
  static Prepared prepare(Dataset train, ScanContext context, String detector) {
    DifferentiableClassifier model = model(train, context);
    // the detectors of one scan share one model (given or trained once): its representations once
    return RECENT.get(
        new Recent(model, context.seed(), train.contentHash()),
        () -> {
          context
              .progress()
              .accept(detector + ": representations of " + train.size() + " examples");
          return isLinearText(model, train)
              ? new Prepared(
                  contributions(train, model, context.seed()),
                  "projected-contributions",
                  model,
                  context.seed())
              : new Prepared(byClass(train, model), "penultimate", model, context.seed());
        });
  }

  // The representations last prepared under a given model (by identity: a record component's
  // equals), data and seed; two are kept so that two scans running side by side (the demo's text
  // and image rows) do not evict each other. Blocks are only read by the detectors, so sharing them
  // is safe.
  private record Recent(DifferentiableClassifier model, long seed, String data) {}

  private static final Memo<Recent, Prepared> RECENT = new Memo<>(2);

  /** {@code d} with one more detail, {@code "representation"}. */
  static Detection withRepresentation(Detection d, String representation) {
    DetectionDetails details = d.details();
    if (details instanceof DetectionDetails.ActivationClustering a) {
      details = a.withRepresentation(representation);
    } else if (details instanceof DetectionDetails.SpectralSignature s) {
      details = s.withRepresentation(representation);
    } else if (details instanceof DetectionDetails.Spectre s) {
      details = s.withRepresentation(representation);
    }
    return new Detection(
        d.method(),
        d.scores(),
        d.flagged(),
        details,
        d.finding() != null
            ? d.finding()
            : Finding.untested(
                d.method(),
                "no calibrated null: it flags by a fixed rule in every class (a share or a"
                    + " silhouette), so a scan of several detectors does not use its flags"));
  }

  /** Width of the projected contribution representation of a linear text model. */
  static final int CONTRIBUTION_DIMENSION = 64;

  /**
   * Whether {@code model} is linear over sparse text features: its penultimate representation is
   * then only its logits (rank classes − 1), too narrow to hold a separate poison direction.
   */
  static boolean isLinearText(DifferentiableClassifier model, Dataset train) {
    return model instanceof org.poisonlab.model.LayeredModel l
        && l.layerSizes().length == 2
        && l.featurizer().kind() instanceof org.poisonlab.model.FeatureKind.HashedNgrams
        && train.kind() == Dataset.Kind.TEXT;
  }

  /**
   * Per-feature contributions of a linear text model to the given label's logit, randomly
   * projected: {@code r_i = Rᵀ (x_i ⊙ (w_{y_i} − w̄))} with {@code w_y} the weight row of label
   * {@code y}, {@code w̄} the mean row, and {@code R} a {@code features × }{@value
   * #CONTRIBUTION_DIMENSION} matrix of random signs {@code ±1/√k} (Achlioptas, "Database-friendly
   * random projections", 2003) hashed from {@code (seed, feature, column)}, so it is never stored.
   * The logit margin is {@code Σ_f} of the contributions; the projection keeps which features make
   * it, so examples that are pushed to their label by the same few features (a trigger) share a
   * direction.
   */
  static List<ClassBlock> contributions(Dataset train, DifferentiableClassifier model, long seed) {
    int classes = model.labels().size();
    int features = model.featurizer().dimension();
    double[] theta = model.parameters();
    double[] meanRow = new double[features];
    for (int c = 0; c < classes; c++) {
      for (int f = 0; f < features; f++) {
        meanRow[f] += theta[c * features + f] / classes;
      }
    }
    int k = CONTRIBUTION_DIMENSION;
    double unit = 1 / Math.sqrt(k);
    List<String> labels = train.labels();
    List<ClassBlock> out = new ArrayList<>();
    for (int c = 0; c < labels.size(); c++) {
      List<Example> xs = new ArrayList<>();
      List<Integer> pos = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        if (train.labelIndex(train.get(i).label()) == c) {
          xs.add(train.get(i));
          pos.add(i);
        }
      }
      int row = model.labels().indexOf(labels.get(c));
      double[] rows = new double[xs.size() * k];
      if (row >= 0 && !xs.isEmpty()) {
        org.poisonlab.linalg.CsrMatrix m =
            (org.poisonlab.linalg.CsrMatrix) model.featurizer().transform(xs);
        int[] ptr = m.rowPtr();
        int[] col = m.colIndex();
        double[] val = m.values();
        // rows side by side (each writes its own); a set bit of h flips the sign of v exactly
        java.util.stream.IntStream.range(0, xs.size())
            .parallel()
            .forEach(
                i -> {
                  for (int p = ptr[i]; p < ptr[i + 1]; p++) {
                    int f = col[p];
                    long v =
                        Double.doubleToRawLongBits(
                            val[p] * (theta[row * features + f] - meanRow[f]) * unit);
                    long h = mix(seed ^ (f * 0x9E3779B97F4A7C15L));
                    for (int j0 = 0; j0 < k; j0 += 64) {
                      if (j0 > 0) {
                        h = mix(h + j0);
                      }
                      int end = Math.min(64, k - j0);
                      for (int b = 0; b < end; b++) {
                        rows[i * k + j0 + b] += Double.longBitsToDouble(v ^ ((h >>> b) << 63));
                      }
                    }
                  }
                });
      }
      out.add(
          new ClassBlock(
              labels.get(c), pos.stream().mapToInt(Integer::intValue).toArray(), rows, k));
    }
    return out;
  }

  // SplitMix64's finaliser
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The block of {@code label} among {@code reference}, or null (also when there is none). */
  static ClassBlock referenceOf(List<ClassBlock> reference, String label) {
    if (reference == null) {
      return null;
    }
    for (ClassBlock r : reference) {
      if (r.label().equals(label)) {
        return r;
      }
    }
    return null;
  }

  /** Per-class top-{@code ceil(share · n_c)} flags on per-class scores, into {@code flagged}. */
  static int flagTop(ClassBlock block, double[] classScores, double share, boolean[] flagged) {
    int n = block.size();
    // the tolerance keeps 1.5 · 0.05 · 400 at 30, not 31
    int take = (int) Math.min(n, Math.ceil(share * n - 1e-9));
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(classScores[b], classScores[a]));
    for (int r = 0; r < take; r++) {
      flagged[block.positions()[order[r]]] = true;
    }
    return take;
  }
}
