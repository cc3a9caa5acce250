package org.poisonlab.deep;

import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.ModelCompanions;
import org.poisonlab.model.ModelKind;
import org.poisonlab.model.ModelProvenance;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainer;

/**
 * {@code torchscript}: a user's own classifier, read from a TorchScript file ({@code --model
 * torchscript:FILE}, with {@code --tokenizer tokenizer.json} for text and {@code --labels FILE}
 * when its outputs are not in sorted label order). PoisonLab does not train or save such models; it
 * evaluates, scans and traces them. When the module exports {@code features} (the input of its last
 * linear layer), that is the representation and the last linear layer is the softmax layer that
 * gradient-based attribution works on; it is found as the last weight of shape {@code [K, width]}
 * followed by a bias {@code [K]}, and checked to map the features of a probe input to the module's
 * logits. Without {@code features}, the logits are the representation (and the softmax layer an
 * identity), which representation detectors can use but last-layer attribution hardly.
 */
public final class TorchScriptKind implements ModelKind {
  /** Tokens read per text. */
  static final int MAX_TOKENS = 512;

  @Override
  public String name() {
    return "torchscript";
  }

  @Override
  public String description() {
    return "a user's TorchScript classifier (--model torchscript:FILE): evaluated, scanned, traced, not trained";
  }

  private BadInputException notTrained() {
    return new BadInputException(
        "torchscript models are trained elsewhere; PoisonLab reads them with --model torchscript:FILE");
  }

  @Override
  public TrainConfig defaults(Dataset.Kind data) {
    throw notTrained();
  }

  @Override
  public Trainer trainer(TrainConfig config) {
    throw notTrained();
  }

  @Override
  public void save(Classifier model, Path file) {
    throw new IllegalArgumentException("a torchscript model stays in its own file");
  }

  @Override
  public boolean reads(Path file) {
    return false;
  }

  @Override
  public DifferentiableClassifier load(Path file) {
    throw new BadInputException(file, 0, "name a TorchScript model as torchscript:" + file);
  }

  @Override
  public DifferentiableClassifier loadExternal(Path file, ModelCompanions companions) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "cannot read model file: no such file");
    }
    boolean text = companions.tokenizer() != null;
    if (!text && companions.imageShape().isEmpty()) {
      throw new BadInputException(
          file, 0, "a TorchScript text model needs its tokenizer (--tokenizer tokenizer.json)");
    }
    List<String> labels = labels(companions);
    DeepRuntime.configure();
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
    PtSymbolBlock module;
    try {
      // loaded as trainable (not as inference tensors) so that pixel gradients can pass through
      // it, then put in evaluation mode (dropout off, batch norm on its running statistics)
      module = JniUtils.loadModule(manager, file, false, new String[0], new String[0], true);
      JniUtils.enableInferenceMode(module);
    } catch (EngineException | IllegalArgumentException e) {
      manager.close();
      throw new BadInputException(file, 0, "not a TorchScript module: " + oneLine(e));
    }
    HuggingFaceTokenizer tokenizer = text ? tokenizer(companions.tokenizer()) : null;
    int[] image =
        text ? null : companions.imageShape().stream().mapToInt(Integer::intValue).toArray();
    Example probe =
        text
            ? Example.ofText("probe", labels.get(0), null)
            : Example.ofImage(new byte[size(image)], image, labels.get(0), null);
    TorchScriptNet plain = new TorchScriptNet(file, module, image, tokenizer, false, labels.size());
    float[] logits;
    float[] features = null;
    int width;
    try (NDManager m = NDManager.newBaseManager()) {
      NDList in = plain.inputs(m, List.of(probe));
      NDArray out = plain.logits(in);
      if (out.getShape().dimension() != 2 || out.getShape().get(1) != labels.size()) {
        throw new BadInputException(
            file,
            0,
            "returns logits of shape "
                + out.getShape()
                + " for one input; the labels are "
                + labels
                + " (give their order with --labels FILE)");
      }
      logits = out.toFloatArray();
      try {
        NDArray f = new TorchScriptNet(file, module, image, tokenizer, true, 0).forward(in, null);
        features = f.toFloatArray();
      } catch (EngineException e) {
        features = null; // no exported features method
      }
      width = features == null ? labels.size() : features.length;
    } catch (EngineException | IllegalArgumentException e) {
      throw new BadInputException(file, 0, "cannot run the model on a probe input: " + oneLine(e));
    }
    double[] head =
        features == null
            ? identity(labels.size())
            : lastLayer(file, module, labels.size(), width, features, logits);
    TorchScriptNet net =
        new TorchScriptNet(file, module, image, tokenizer, features != null, width);
    ModelProvenance provenance =
        new ModelProvenance(
            org.poisonlab.io.Sha256.ofFile(file), file.toString(), 0, 0, null, Map.of(), List.of());
    return new DeepClassifier(new Body(net, new float[0][]), labels, head, 0, provenance);
  }

  private static List<String> labels(ModelCompanions c) {
    if (c.labels() == null) {
      List<String> sorted = new ArrayList<>(c.dataLabels());
      java.util.Collections.sort(sorted);
      if (sorted.isEmpty()) {
        throw new BadInputException("a TorchScript model needs its labels (--labels FILE)");
      }
      return sorted;
    }
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(c.labels(), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      if (out.size() < 2 || new java.util.HashSet<>(out).size() != out.size()) {
        throw new BadInputException(
            c.labels(), 0, "a label file lists two or more distinct labels, one a line");
      }
      return out;
    } catch (IOException e) {
      throw new BadInputException(c.labels(), 0, "cannot read label file: " + e.getMessage());
    }
  }

  private static HuggingFaceTokenizer tokenizer(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "cannot read tokenizer: no such file");
    }
    try {
      return HuggingFaceTokenizer.newInstance(
          file,
          Map.of(
              "padding", "false",
              "truncation", "true",
              "maxLength", Integer.toString(MAX_TOKENS)));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file, 0, "not a Hugging Face tokenizer: " + oneLine(e));
    }
  }

  /**
   * The last linear layer: the last parameter of shape {@code [k, width]} followed by one of shape
   * {@code [k]}, checked to give the module's logits from its features.
   */
  private static double[] lastLayer(
      Path file, PtSymbolBlock module, int k, int width, float[] features, float[] logits) {
    List<Pair<String, Parameter>> ps = new ArrayList<>();
    module.getDirectParameters().forEach(ps::add);
    for (int i = ps.size() - 2; i >= 0; i--) {
      NDArray w = ps.get(i).getValue().getArray();
      NDArray b = ps.get(i + 1).getValue().getArray();
      if (w.getShape().dimension() == 2
          && w.getShape().get(0) == k
          && w.getShape().get(1) == width
          && b.getShape().dimension() == 1
          && b.getShape().get(0) == k) {
        float[] wf = w.toFloatArray();
        float[] bf = b.toFloatArray();
        double[] head = new double[k * width + k];
        double worst = 0;
        double scale = 1;
        for (int c = 0; c < k; c++) {
          double z = bf[c];
          for (int j = 0; j < width; j++) {
            head[c * width + j] = wf[c * width + j];
            z += wf[c * width + j] * (double) features[j];
          }
          head[k * width + c] = bf[c];
          worst = Math.max(worst, Math.abs(z - logits[c]));
          scale = Math.max(scale, Math.abs(logits[c]));
        }
        if (worst > 1e-3 * scale) {
          throw new BadInputException(
              file,
              0,
              "its last linear layer ("
                  + ps.get(i).getKey()
                  + ") does not map features() to the logits (off by "
                  + worst
                  + ")");
        }
        return head;
      }
    }
    throw new BadInputException(
        file,
        0,
        "exports features() of width "
            + width
            + " but has no linear layer ["
            + k
            + ", "
            + width
            + "] with a bias after it");
  }

  private static double[] identity(int k) {
    double[] head = new double[k * k + k];
    for (int c = 0; c < k; c++) {
      head[c * k + c] = 1;
    }
    return head;
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
