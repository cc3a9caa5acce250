package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.BadInputException;

/** The built-in detectors, by name. */
public final class Detectors {
  private Detectors() {}

  /** Every built-in detector, in a fixed order. */
  public static List<Detector> all() {
    List<Detector> all = new ArrayList<>();
    // filtering
    all.add(new ConfidentLearningDetector());
    all.add(new CvLossDetector());
    all.add(new KnnDetector());
    // trigger scanning in data
    all.add(new NgramAssociationDetector(5, 1e-4));
    all.add(new PixelAssociationDetector(5, 0.01));
    // representations of a trained model
    all.add(new SpectralSignatureDetector(DEFAULT_EPSILON));
    all.add(new ActivationClusteringDetector(DEFAULT_MAX_RELATIVE_SIZE, DEFAULT_MIN_SILHOUETTE));
    all.add(new SpectreDetector(DEFAULT_EPSILON));
    // trigger inversion on a trained model, then trigger matching in the data
    all.add(new NeuralCleanseDetector(NeuralCleanseConfig.defaults()));
    return all;
  }

  /** The built-in detectors that apply to {@code train}, in a fixed order. */
  public static List<Detector> applicable(Dataset train) {
    return all().stream().filter(d -> d.appliesTo(train)).collect(Collectors.toList());
  }

  /**
   * The built-in detector called {@code name}.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static Detector byName(String name) {
    for (Detector d : all()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new BadInputException(
        "unknown detector '"
            + name
            + "'; known: "
            + all().stream().map(Detector::name).collect(Collectors.joining(", ")));
  }

  /**
   * The options {@link #byName(String, Map)} accepts for the built-in detector {@code name}, in a
   * fixed order; empty for a detector without options.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static List<String> optionNames(String name) {
    byName(name);
    return switch (name) {
      case "ngram-association", "pixel-association" -> List.of("min-docs", "alpha");
      case "spectral", "spectre" -> List.of("epsilon");
      case "activation-clustering" -> List.of("max-relative-size", "min-silhouette");
      default -> List.of();
    };
  }

  /**
   * The built-in detector called {@code name} with {@code options} (values as text, e.g. {@code
   * alpha=1e-4}); absent options keep their defaults, so empty options give {@link
   * #byName(String)}. Options: {@code ngram-association} and {@code pixel-association}: {@code
   * min-docs} (whole number ≥ 1; default 5) and {@code alpha} (in (0, 1); defaults 1e-4 and 0.01);
   * {@code spectral} and {@code spectre}: {@code epsilon} (in (0, 1); default {@value
   * #DEFAULT_EPSILON}); {@code activation-clustering}: {@code max-relative-size} (in (0, 0.5];
   * default {@value #DEFAULT_MAX_RELATIVE_SIZE}) and {@code min-silhouette} (in [−1, 1]; default
   * {@value #DEFAULT_MIN_SILHOUETTE}). {@code options} is not modified.
   *
   * @throws BadInputException for an unknown name, an option the detector does not have (listing
   *     those it has), or a value that does not parse or is out of range
   */
  public static Detector byName(String name, Map<String, String> options) {
    List<String> known = optionNames(name);
    for (String o : options.keySet()) {
      if (!known.contains(o)) {
        throw new BadInputException(
            "detector "
                + name
                + " has no option '"
                + o
                + "'; "
                + (known.isEmpty() ? "it takes none" : "its options are " + known));
      }
    }
    if (options.isEmpty()) {
      return byName(name);
    }
    return switch (name) {
      case "ngram-association" ->
          new NgramAssociationDetector(
              whole(name, options, "min-docs", 5), open01(name, options, "alpha", 1e-4));
      case "pixel-association" ->
          new PixelAssociationDetector(
              whole(name, options, "min-docs", 5), open01(name, options, "alpha", 0.01));
      case "spectral" ->
          new SpectralSignatureDetector(open01(name, options, "epsilon", DEFAULT_EPSILON));
      case "spectre" -> new SpectreDetector(open01(name, options, "epsilon", DEFAULT_EPSILON));
      case "activation-clustering" -> {
        double size = real(name, options, "max-relative-size", DEFAULT_MAX_RELATIVE_SIZE);
        double silhouette = real(name, options, "min-silhouette", DEFAULT_MIN_SILHOUETTE);
        if (!(size > 0 && size <= 0.5)) {
          throw new BadInputException(
              "detector " + name + " option max-relative-size=" + size + " is not in (0, 0.5]");
        }
        if (!(silhouette >= -1 && silhouette <= 1)) {
          throw new BadInputException(
              "detector " + name + " option min-silhouette=" + silhouette + " is not in [-1, 1]");
        }
        yield new ActivationClusteringDetector(size, silhouette);
      }
      default -> throw new IllegalStateException("options checked above: " + name);
    };
  }

  private static double real(String name, Map<String, String> options, String key, double dflt) {
    String v = options.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      double x = Double.parseDouble(v.strip());
      if (Double.isFinite(x)) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException(
        "detector " + name + " option " + key + "=" + v + " is not a finite number");
  }

  private static double open01(String name, Map<String, String> options, String key, double d) {
    double x = real(name, options, key, d);
    if (!(x > 0 && x < 1)) {
      throw new BadInputException(
          "detector " + name + " option " + key + "=" + options.get(key) + " is not in (0, 1)");
    }
    return x;
  }

  private static int whole(String name, Map<String, String> options, String key, int dflt) {
    String v = options.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      int x = Integer.parseInt(v.strip());
      if (x >= 1) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadInputException(
        "detector " + name + " option " + key + "=" + v + " is not a whole number ≥ 1");
  }

  /** Default assumed poison share ε of {@code spectral} and {@code spectre}. */
  public static final double DEFAULT_EPSILON = 0.05;

  /** Default largest relative size of a suspicious cluster in {@code activation-clustering}. */
  public static final double DEFAULT_MAX_RELATIVE_SIZE = 0.35;

  /** Default least silhouette of a suspicious split in {@code activation-clustering}. */
  public static final double DEFAULT_MIN_SILHOUETTE = 0.5;

  /**
   * Spectral signatures (Tran, Li &amp; Madry 2018) on penultimate representations, flagging the
   * top {@code ceil(1.5 · epsilon · n_c)} of each class.
   *
   * @throws IllegalArgumentException if {@code epsilon} is not in (0, 1)
   */
  public static Detector spectral(double epsilon) {
    return new SpectralSignatureDetector(epsilon);
  }

  /**
   * Activation clustering (Chen et al. 2018): 2-means per class on 10 principal components; the
   * smaller cluster is flagged when its relative size is at most {@code maxRelativeSize} and the
   * silhouette at least {@code minSilhouette}.
   *
   * @throws IllegalArgumentException if {@code maxRelativeSize} is not in (0, 0.5] or {@code
   *     minSilhouette} not in [−1, 1]
   */
  public static Detector activationClustering(double maxRelativeSize, double minSilhouette) {
    return new ActivationClusteringDetector(maxRelativeSize, minSilhouette);
  }

  /**
   * Robustly whitened spectral (QUE) scores after SPECTRE (Hayase et al. 2021), flagging the top
   * {@code ceil(1.5 · epsilon · n_c)} of each class.
   *
   * @throws IllegalArgumentException if {@code epsilon} is not in (0, 1)
   */
  public static Detector spectre(double epsilon) {
    return new SpectreDetector(epsilon);
  }

  /**
   * Neural Cleanse trigger inversion (Wang et al. 2019) on a model trained on the suspect set, with
   * per-example scores that say how much each example carries the recovered trigger; details hold
   * every label's mask norm and anomaly index, the flagged target(s), and the recovered mask and
   * pattern.
   */
  public static Detector neuralCleanse(NeuralCleanseConfig config) {
    return new NeuralCleanseDetector(java.util.Objects.requireNonNull(config, "config"));
  }
}
