package org.poisonlab.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.poisonlab.io.BadInputException;

/**
 * The model families by name: the one place where a family is registered. Commands, recipes,
 * detectors and attributors train, fine-tune, save and load through it and never name a model
 * class. The built-in families come first, in a fixed order; families of other modules on the class
 * path follow, found once by {@link ServiceLoader} and sorted by name.
 */
public final class Models {
  private static final Map<String, ModelKind> KINDS = discover();

  private Models() {}

  private static Map<String, ModelKind> discover() {
    Map<String, ModelKind> kinds = new LinkedHashMap<>();
    List<ModelKind> all = new ArrayList<>();
    all.add(
        new NetworkKind("logreg", "multinomial logistic regression on hashed n-grams or pixels"));
    all.add(new NetworkKind("mlp", "multi-layer perceptron, one or two hidden ReLU layers"));
    List<ModelKind> found = new ArrayList<>();
    ServiceLoader.load(ModelKind.class, Models.class.getClassLoader()).forEach(found::add);
    found.sort((a, b) -> a.name().compareTo(b.name()));
    all.addAll(found);
    for (ModelKind k : all) {
      if (kinds.putIfAbsent(k.name(), k) != null) {
        throw new IllegalStateException("two model families are called '" + k.name() + "'");
      }
    }
    return kinds;
  }

  /** The names of every family, built-in first. */
  public static List<String> names() {
    return List.copyOf(KINDS.keySet());
  }

  /**
   * The family called {@code name}.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static ModelKind byName(String name) {
    ModelKind k = KINDS.get(name);
    if (k == null) {
      throw new BadInputException(
          "unknown model '" + name + "'; known: " + String.join(", ", KINDS.keySet()));
    }
    return k;
  }

  /**
   * A trainer for {@code config.model()} with these hyper-parameters.
   *
   * @throws BadInputException for an unknown family or invalid hyper-parameters
   */
  public static Trainer trainer(TrainConfig config) {
    return byName(config.model()).trainer(config);
  }

  /**
   * Saves {@code model} through its family, atomically.
   *
   * @throws BadInputException if no family is called {@code model.kind()}
   */
  public static void save(Classifier model, Path file) {
    byName(model.kind()).save(model, file);
  }

  /**
   * Loads a model of any family from {@code file}.
   *
   * @throws BadInputException naming the file if it is missing, of no known family, or corrupt
   */
  public static DifferentiableClassifier load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "cannot read model file: no such file");
    }
    for (ModelKind k : KINDS.values()) {
      if (k.reads(file)) {
        return k.load(file);
      }
    }
    String kind = ModelFiles.kindOf(file);
    if (kind != null) {
      throw new BadInputException(
          file,
          0,
          "model of kind '"
              + kind
              + "' is not known to this build; known: "
              + String.join(", ", KINDS.keySet()));
    }
    // Not a family's file: the network reader gives the precise reason (magic, version,
    // truncation).
    return ModelFiles.load(file);
  }

  /** Whether {@code spec} is {@code FAMILY:FILE}, a model of another framework a family reads. */
  public static boolean isExternal(String spec) {
    int colon = spec.indexOf(':');
    return colon > 0 && KINDS.containsKey(spec.substring(0, colon));
  }

  /**
   * Loads the model a command line names: a model file PoisonLab wrote, or {@code FAMILY:FILE} for
   * a model of another framework that a family reads ({@code torchscript:model.pt}).
   *
   * @param companions tokenizer and label files, which only an external model takes
   * @throws BadInputException naming the file if it cannot be read, or if companions are given with
   *     a model PoisonLab made
   */
  public static DifferentiableClassifier load(String spec, ModelCompanions companions) {
    int colon = spec.indexOf(':');
    if (isExternal(spec)) {
      return byName(spec.substring(0, colon))
          .loadExternal(Path.of(spec.substring(colon + 1)), companions);
    }
    if (companions.tokenizer() != null || companions.labels() != null) {
      throw new BadInputException(
          spec
              + ": --tokenizer and --labels go with a model of another framework"
              + " (torchscript:FILE); a PoisonLab model carries its own");
    }
    return load(Path.of(spec));
  }

  /**
   * A softmax layer over the rows {@code features} makes: the last layer of a deep model, seen as
   * logistic regression on its penultimate representation, so that every method that works on a
   * layered model's parameters (TracIn, TRAK, influence, representer points) works on it.
   *
   * @param params the weight matrix ({@code labels.size() × features.dimension()}, row-major), then
   *     the bias; copied
   * @throws IllegalArgumentException if the length does not match
   */
  public static LayeredModel softmaxLayer(
      String kind,
      List<String> labels,
      Featurizer features,
      double[] params,
      double l2,
      ModelProvenance provenance) {
    return new Network(
        kind,
        labels,
        features,
        new int[] {features.dimension(), labels.size()},
        params,
        l2,
        provenance);
  }

  /**
   * {@code model} as a layered network, for a method that needs layer widths or per-layer gradient
   * pieces.
   *
   * @param method the method's name, for the message
   * @throws BadInputException in one line when the model is not layered
   */
  public static LayeredModel layered(DifferentiableClassifier model, String method) {
    if (model instanceof LayeredModel l) {
      return l;
    }
    throw new BadInputException(
        method + " needs a layered network; model '" + model.kind() + "' is not one");
  }
}
