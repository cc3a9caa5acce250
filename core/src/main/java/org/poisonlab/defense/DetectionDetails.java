package org.poisonlab.defense;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * What a detector found beyond its scores and flags, as a scan file writes it under {@code
 * "details"} (docs/reference.md): one record per detector, whose components are the JSON fields in
 * order. A detector of one's own implements this interface with a record of its own; Jackson writes
 * every record the same way. Maps in these records are keyed by label or detector name, in the
 * order the detector found them. No wall time goes in: the same data and seed give the same scan
 * file bytes, and {@link Detectors#scanAll} reports each detector's time as progress.
 */
public interface DetectionDetails {
  /** No details: written as {@code {}}. */
  DetectionDetails NONE = new None();

  /** No details. */
  record None() implements DetectionDetails {}

  /**
   * A combination of detections ({@link ScanFiles#combine}).
   *
   * @param rule how scores and flags were combined
   * @param detectors per detector, by name: how many it flagged and whether its flags were used
   */
  record Combined(String rule, Map<String, CombinedPart> detectors) implements DetectionDetails {
    public Combined {
      detectors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detectors));
    }
  }

  /** One detector's part in a combination. */
  @JsonPropertyOrder({"flagged_count", "flags_used"})
  record CombinedPart(
      @JsonProperty("flagged_count") int flaggedCount,
      @JsonProperty("flags_used") boolean flagsUsed) {}

  /**
   * Activation clustering.
   *
   * @param representation the representation the classes were clustered in (null until the scan
   *     sets it)
   * @param classes per label
   */
  @JsonPropertyOrder({
    "representation",
    "max_relative_size",
    "min_silhouette",
    "dimensions",
    "classes"
  })
  record ActivationClustering(
      String representation,
      @JsonProperty("max_relative_size") double maxRelativeSize,
      @JsonProperty("min_silhouette") double minSilhouette,
      int dimensions,
      Map<String, ClusterClass> classes)
      implements DetectionDetails {
    ActivationClustering withRepresentation(String r) {
      return new ActivationClustering(r, maxRelativeSize, minSilhouette, dimensions, classes);
    }
  }

  /**
   * One class of activation clustering; {@code kmeansIterations} is null (and left out) when the
   * class had no spread to cluster.
   */
  @JsonPropertyOrder({"size", "relative_size", "silhouette", "suspicious", "kmeans_iterations"})
  record ClusterClass(
      int size,
      @JsonProperty("relative_size") double relativeSize,
      double silhouette,
      boolean suspicious,
      @JsonProperty("kmeans_iterations") @JsonInclude(JsonInclude.Include.NON_NULL)
          Integer kmeansIterations) {}

  /** Spectral signatures. */
  record SpectralSignature(
      String representation, double epsilon, Map<String, SpectralClass> classes)
      implements DetectionDetails {
    SpectralSignature withRepresentation(String r) {
      return new SpectralSignature(r, epsilon, classes);
    }
  }

  /** One class of spectral signatures. */
  @JsonPropertyOrder({
    "size",
    "flagged",
    "top_eigenvalue",
    "power_iterations",
    "converged",
    "median_score"
  })
  record SpectralClass(
      int size,
      int flagged,
      @JsonProperty("top_eigenvalue") double topEigenvalue,
      @JsonProperty("power_iterations") int powerIterations,
      boolean converged,
      @JsonProperty("median_score") double medianScore) {}

  /** SPECTRE. */
  record Spectre(
      String representation,
      double epsilon,
      double alpha,
      double trim,
      Map<String, SpectreClass> classes)
      implements DetectionDetails {
    Spectre withRepresentation(String r) {
      return new Spectre(r, epsilon, alpha, trim, classes);
    }
  }

  /**
   * One class of SPECTRE; all but {@code size} and {@code dimensions} null (and left out) when the
   * class had no spread to whiten.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "size",
    "dimensions",
    "flagged",
    "excess_variance",
    "concentration_steps",
    "start",
    "median_score"
  })
  record SpectreClass(
      int size,
      int dimensions,
      Integer flagged,
      @JsonProperty("excess_variance") Double excessVariance,
      @JsonProperty("concentration_steps") Integer concentrationSteps,
      String start,
      @JsonProperty("median_score") Double medianScore) {}

  /** Confident learning. */
  @JsonPropertyOrder({
    "labels",
    "thresholds",
    "confident_joint",
    "estimated_noise_rate",
    "folds",
    "pruned_by_noise_rate",
    "loss_fence",
    "flagged"
  })
  record ConfidentLearning(
      List<String> labels,
      List<Double> thresholds,
      @JsonProperty("confident_joint") List<List<Long>> confidentJoint,
      @JsonProperty("estimated_noise_rate") double estimatedNoiseRate,
      int folds,
      @JsonProperty("pruned_by_noise_rate") int prunedByNoiseRate,
      @JsonProperty("loss_fence") double lossFence,
      int flagged)
      implements DetectionDetails {}

  /** Out-of-sample loss. */
  record CvLoss(double threshold, String rule, int folds, int flagged)
      implements DetectionDetails {}

  /** k-nearest-neighbour label disagreement. */
  @JsonPropertyOrder({"k", "flag_at", "dimensions", "flagged"})
  record Knn(int k, @JsonProperty("flag_at") double flagAt, int dimensions, int flagged)
      implements DetectionDetails {}

  /**
   * Neural Cleanse: the inverted triggers and the match of the training set against the scored one.
   *
   * @param target the labels found anomalous, most anomalous first
   * @param mask the scored trigger's mask, as rows of the image
   * @param pattern the scored trigger's pattern, as rows of the image
   * @param anomalyRule how labels were found anomalous; null (and left out) on a bare match
   */
  @JsonPropertyOrder({
    "target",
    "norms",
    "anomaly_indices",
    "attack_success",
    "epochs",
    "scored_label",
    "rule",
    "match",
    "sample",
    "shape",
    "mask",
    "pattern",
    "anomaly_rule"
  })
  record NeuralCleanse(
      List<String> target,
      Map<String, Double> norms,
      @JsonProperty("anomaly_indices") Map<String, Double> anomalyIndices,
      @JsonProperty("attack_success") Map<String, Double> attackSuccess,
      Map<String, Integer> epochs,
      @JsonProperty("scored_label") String scoredLabel,
      String rule,
      Map<String, LabelMatch> match,
      int sample,
      int[] shape,
      double[][] mask,
      double[][] pattern,
      @JsonProperty("anomaly_rule") @JsonInclude(JsonInclude.Include.NON_NULL)
          AnomalyRule anomalyRule)
      implements DetectionDetails {
    NeuralCleanse withAnomalyRule(AnomalyRule rule) {
      return new NeuralCleanse(
          target,
          norms,
          anomalyIndices,
          attackSuccess,
          epochs,
          scoredLabel,
          this.rule,
          match,
          sample,
          shape,
          mask,
          pattern,
          rule);
    }
  }

  /** One scored label's match. */
  @JsonPropertyOrder({"examples", "flagged", "decided_by_trigger_region"})
  record LabelMatch(
      int examples,
      int flagged,
      @JsonProperty("decided_by_trigger_region") int decidedByTriggerRegion) {}

  /** The anomaly rule of Neural Cleanse. */
  record AnomalyRule(String scale, double threshold) {}

  /** The n-gram association scan. */
  @JsonPropertyOrder({
    "tested_ngrams",
    "min_documents",
    "threshold_score",
    "significant_ngrams",
    "candidates"
  })
  record NgramAssociation(
      @JsonProperty("tested_ngrams") int testedNgrams,
      @JsonProperty("min_documents") int minDocuments,
      @JsonProperty("threshold_score") double thresholdScore,
      @JsonProperty("significant_ngrams") int significantNgrams,
      List<NgramCandidate> candidates)
      implements DetectionDetails {}

  /** A candidate trigger n-gram. */
  @JsonPropertyOrder({
    "ngram",
    "label",
    "documents",
    "label_documents",
    "expected_label_documents",
    "score",
    "base_score"
  })
  record NgramCandidate(
      String ngram,
      String label,
      int documents,
      @JsonProperty("label_documents") int labelDocuments,
      @JsonProperty("expected_label_documents") double expectedLabelDocuments,
      double score,
      @JsonProperty("base_score") double baseScore) {}

  /** The pixel association scan. */
  @JsonPropertyOrder({
    "tested_indicators",
    "min_images",
    "threshold_score",
    "significant_indicators",
    "tested_pairs",
    "significant_pairs",
    "candidates"
  })
  record PixelAssociation(
      @JsonProperty("tested_indicators") int testedIndicators,
      @JsonProperty("min_images") int minImages,
      @JsonProperty("threshold_score") double thresholdScore,
      @JsonProperty("significant_indicators") int significantIndicators,
      @JsonProperty("tested_pairs") long testedPairs,
      @JsonProperty("significant_pairs") int significantPairs,
      List<PatchCandidate> candidates)
      implements DetectionDetails {}

  /**
   * A candidate trigger patch; {@code value} is null (and left out) for single-pixel indicators.
   */
  @JsonPropertyOrder({
    "indicator",
    "label",
    "x",
    "y",
    "width",
    "height",
    "pixels",
    "value",
    "images",
    "label_images",
    "score",
    "base_score"
  })
  record PatchCandidate(
      String indicator,
      String label,
      int x,
      int y,
      int width,
      int height,
      int pixels,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer value,
      int images,
      @JsonProperty("label_images") int labelImages,
      double score,
      @JsonProperty("base_score") double baseScore) {}
}
