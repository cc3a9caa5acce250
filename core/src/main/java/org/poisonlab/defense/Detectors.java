package org.poisonlab.defense;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Options;

/**
 * The built-in detectors, by name. {@link #BUILT_IN} is the one place a detector is registered: its
 * name, its options and how its options make it. Help, completion, recipes and {@code scan
 * --detector NAME[:k=v,...]} all read that list (see {@code docs/contributing.md}).
 */
public final class Detectors {
  private Detectors() {}

  /**
   * One built-in detector: its name (equal to the detector's {@link Detector#name()}), its option
   * names (kebab-case), and the factory that builds it from checked options (absent options keep
   * their defaults).
   */
  private record Entry(String name, List<String> options, Function<Options, Detector> factory)
      implements DetectorKind {
    @Override
    public Detector make(Options o) {
      return factory.apply(o);
    }
  }

  private static List<DetectorKind> discover() {
    List<DetectorKind> kinds = new java.util.ArrayList<>(BUILT_IN);
    List<DetectorKind> found = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(DetectorKind.class, Detectors.class.getClassLoader())
        .forEach(found::add);
    found.sort(java.util.Comparator.comparing(DetectorKind::name));
    for (DetectorKind k : found) {
      if (kinds.stream().anyMatch(b -> b.name().equals(k.name()))) {
        throw new IllegalStateException("two detectors are called '" + k.name() + "'");
      }
      kinds.add(k);
    }
    return List.copyOf(kinds);
  }

  private static final List<DetectorKind> BUILT_IN =
      List.of(
          // filtering
          new Entry("confident-learning", List.of(), o -> new ConfidentLearningDetector()),
          new Entry("cv-loss", List.of(), o -> new CvLossDetector()),
          new Entry("knn", List.of(), o -> new KnnDetector()),
          // trigger scanning in data
          new Entry(
              "ngram-association",
              List.of("min-docs", "alpha"),
              o ->
                  new NgramAssociationDetector(
                      o.integer("min-docs", 5, 1, Integer.MAX_VALUE),
                      o.between("alpha", 1e-4, 0, true, 1, true))),
          new Entry(
              "pixel-association",
              List.of("min-docs", "alpha"),
              o ->
                  new PixelAssociationDetector(
                      o.integer("min-docs", 5, 1, Integer.MAX_VALUE),
                      o.between("alpha", 0.01, 0, true, 1, true))),
          // representations of a trained model
          new Entry(
              "spectral",
              List.of("epsilon"),
              o ->
                  new SpectralSignatureDetector(
                      o.between("epsilon", Detectors.DEFAULT_EPSILON, 0, true, 1, true))),
          new Entry(
              "activation-clustering",
              List.of("max-relative-size", "min-silhouette"),
              o ->
                  new ActivationClusteringDetector(
                      o.between(
                          "max-relative-size",
                          Detectors.DEFAULT_MAX_RELATIVE_SIZE,
                          0,
                          true,
                          0.5,
                          false),
                      o.between(
                          "min-silhouette",
                          Detectors.DEFAULT_MIN_SILHOUETTE,
                          -1,
                          false,
                          1,
                          false))),
          new Entry(
              "spectre",
              List.of("epsilon"),
              o ->
                  new SpectreDetector(
                      o.between("epsilon", Detectors.DEFAULT_EPSILON, 0, true, 1, true))),
          // trigger inversion on a trained model, then trigger matching in the data
          new Entry(
              "neural-cleanse",
              List.of(),
              o -> new NeuralCleanseDetector(NeuralCleanseConfig.defaults())));

  private static final List<DetectorKind> KINDS = discover();

  /** Every detector (built-in first, then those of other modules) with default options. */
  public static List<Detector> all() {
    return KINDS.stream().map(k -> k.make(defaults(k))).collect(Collectors.toList());
  }

  private static Options defaults(DetectorKind k) {
    return new Options("detector " + k.name(), Map.of(), k.options());
  }

  /** The names of the built-in detectors, in a fixed order. */
  public static List<String> names() {
    return KINDS.stream().map(DetectorKind::name).collect(Collectors.toList());
  }

  /** The built-in detectors that apply to {@code train}, in a fixed order. */
  public static List<Detector> applicable(Dataset train) {
    return all().stream().filter(d -> d.appliesTo(train)).collect(Collectors.toList());
  }

  private static DetectorKind entry(String name) {
    for (DetectorKind e : KINDS) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new BadInputException(
        "unknown detector '" + name + "'; known: " + String.join(", ", names()));
  }

  /**
   * The built-in detector called {@code name}, with default options.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static Detector byName(String name) {
    DetectorKind k = entry(name);
    return k.make(defaults(k));
  }

  /**
   * The options {@link #byName(String, Map)} accepts for the built-in detector {@code name}, in a
   * fixed order; empty for a detector without options.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static List<String> optionNames(String name) {
    return entry(name).options();
  }

  /**
   * The built-in detector called {@code name} with {@code options} (values as text, e.g. {@code
   * alpha=1e-4}); absent options keep their defaults. Options: {@code ngram-association} and {@code
   * pixel-association}: {@code min-docs} (whole number ≥ 1; default 5) and {@code alpha} (in (0,
   * 1); defaults 1e-4 and 0.01); {@code spectral} and {@code spectre}: {@code epsilon} (in (0, 1);
   * default {@value #DEFAULT_EPSILON}); {@code activation-clustering}: {@code max-relative-size}
   * (in (0, 0.5]; default {@value #DEFAULT_MAX_RELATIVE_SIZE}) and {@code min-silhouette} (in [−1,
   * 1]; default {@value #DEFAULT_MIN_SILHOUETTE}). {@code options} is not modified.
   *
   * @throws BadInputException for an unknown name, an option the detector does not have (listing
   *     those it has), or a value that does not parse or is out of range
   */
  public static Detector byName(String name, Map<String, String> options) {
    DetectorKind k = entry(name);
    return k.make(new Options("detector " + name, options, k.options()));
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

  /**
   * One detector's detection and the wall time of its scan. The time is for people (progress, a
   * table printed as text), never for a written file: the same data and seed give the same bytes.
   *
   * @param seconds wall time; detectors run side by side, so the times overlap
   */
  public record Ran(Detection detection, double seconds) {}

  /**
   * Scans {@code train} with every detector, all side by side, and returns their detections in the
   * detectors' order. A detection depends only on the data and the context, never on what runs
   * beside it, so the result is the same as running them one after the other. What detectors share
   * (the cross-validation, the trained model and its representations; {@link Detector#shared}) runs
   * once, ahead of the detectors that need it, in the order {@link ScanSchedule} gives; detectors
   * that share nothing fill the time between. Running them together lets one detector's
   * single-threaded stretches use the core another leaves idle. Each detector's wall time goes to
   * the context's progress ({@code "knn: done in 1.23 s"}) and into its {@link Ran}.
   *
   * @param train not modified
   * @throws RuntimeException the first failure, in the detectors' order
   */
  public static List<Ran> scanAll(List<Detector> detectors, Dataset train, ScanContext context) {
    if (detectors.size() <= 1) {
      return detectors.stream().map(d -> timed(d, train, context)).toList();
    }
    try (ScanSchedule schedule =
        new ScanSchedule(Math.min(detectors.size(), Runtime.getRuntime().availableProcessors()))) {
      List<ScanSchedule.Step<Ran>> running = new java.util.ArrayList<>();
      for (Detector d : detectors) {
        running.add(schedule.submit(d.shared(train, context), () -> timed(d, train, context)));
      }
      schedule.start();
      List<Ran> out = new java.util.ArrayList<>();
      for (ScanSchedule.Step<Ran> s : running) {
        out.add(ScanSchedule.result(s));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scanning", e);
    }
  }

  private static Ran timed(Detector d, Dataset train, ScanContext context) {
    long t = System.nanoTime();
    Detection det = d.scan(train, context);
    double seconds = (System.nanoTime() - t) / 1e9;
    context.progress().accept(String.format(Locale.ROOT, "%s: done in %.2f s", d.name(), seconds));
    return new Ran(det, seconds);
  }
}
