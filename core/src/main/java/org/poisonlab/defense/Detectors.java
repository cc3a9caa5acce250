package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.poisonlab.data.BadInputException;
import org.poisonlab.data.Dataset;

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
