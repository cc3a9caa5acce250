package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.ModelCompanions;
import org.poisonlab.model.Models;
import org.poisonlab.testkit.GradientCheck;

/**
 * A user's own TorchScript models (made by src/test/resources/torchscript/make_models.py with
 * Python PyTorch, committed): read with their tokenizer, they give the logits Python gave, and the
 * methods that need a representation, last-layer gradients or input gradients run on them.
 */
class TorchScriptModelsTest {
  private static final Path DIR = Path.of("src/test/resources/torchscript");

  private static JsonNode expected() throws Exception {
    return Json.mapper().readTree(DIR.resolve("expected.json").toFile());
  }

  private static double[] softmax(JsonNode logits) {
    int n = logits.size();
    int k = logits.get(0).size();
    double[] p = new double[n * k];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        max = Math.max(max, logits.get(i).get(c).asDouble());
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        p[i * k + c] = Math.exp(logits.get(i).get(c).asDouble() - max);
        sum += p[i * k + c];
      }
      for (int c = 0; c < k; c++) {
        p[i * k + c] /= sum;
      }
    }
    return p;
  }

  private static List<Example> images(JsonNode e) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < e.get("images").size(); i++) {
      byte[] px = new byte[28 * 28];
      for (int j = 0; j < px.length; j++) {
        px[j] = (byte) e.get("images").get(i).get(j).asInt();
      }
      out.add(Example.ofImage(px, new int[] {28, 28}, e.get("image_labels").get(i).asText(), null));
    }
    return out;
  }

  private static DifferentiableClassifier imageModel() {
    return Models.load(
        "torchscript:" + DIR.resolve("image.pt"),
        new ModelCompanions(null, null, List.of("2", "0", "1"), List.of(28, 28)));
  }

  private static DifferentiableClassifier textModel() {
    return Models.load(
        "torchscript:" + DIR.resolve("text.pt"),
        new ModelCompanions(
            DIR.resolve("tokenizer.json"), null, List.of("spam", "ham"), List.of()));
  }

  @Test
  void imageModelGivesPythonsLogitsAndItsLayersToTheMethods() throws Exception {
    JsonNode e = expected();
    DifferentiableClassifier m = imageModel();
    assertEquals("torchscript", m.kind());
    assertEquals(List.of("0", "1", "2"), m.labels(), "sorted label strings");
    List<Example> xs = images(e);
    assertArrayEquals(softmax(e.get("image_logits")), m.predictProba(xs), 1e-5);
    assertEquals(16, m.penultimateDimension());
    assertArrayEquals(new int[] {16, 3}, Models.layered(m, "test").layerSizes());
    int[] y = m.labelIndices(xs);
    assertTrue(GradientCheck.objective(m, xs, y, null) < 1e-5);
    assertNull(m.provenance().config(), "no training settings: methods that retrain say so");
    // pixel gradients through the module: the slope along the gradient is its norm
    double[] x = new double[28 * 28];
    for (int j = 0; j < x.length; j++) {
      x[j] = xs.get(0).pixel(j) / 255.0;
    }
    int[] target = {(y[0] + 1) % 3};
    double[] g = m.inputGradients(x, target, null, null);
    double norm = 0;
    for (double v : g) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double h = 1e-3;
    double[] up = x.clone();
    double[] down = x.clone();
    for (int j = 0; j < x.length; j++) {
      up[j] += h * g[j] / norm;
      down[j] -= h * g[j] / norm;
    }
    double slope = (loss(m, up, target[0]) - loss(m, down, target[0])) / (2 * h);
    assertEquals(norm, slope, 0.02 * norm);
  }

  private static double loss(DifferentiableClassifier m, double[] x, int y) {
    double[] p = new double[m.labels().size()];
    m.inputGradients(x, new int[] {y}, p, null);
    return -Math.log(p[y]);
  }

  @Test
  void textModelReadsItsTokenizerAndGivesPythonsLogits() throws Exception {
    JsonNode e = expected();
    try (HuggingFaceTokenizer t =
        HuggingFaceTokenizer.newInstance(DIR.resolve("tokenizer.json"), Map.of())) {
      for (int i = 0; i < e.get("texts").size(); i++) {
        long[] ids = t.encode(e.get("texts").get(i).asText()).getIds();
        long[] want = new long[e.get("text_ids").get(i).size()];
        for (int j = 0; j < want.length; j++) {
          want[j] = e.get("text_ids").get(i).get(j).asLong();
        }
        assertArrayEquals(want, ids, "the tokenizer library splits as the model's maker did");
      }
    }
    DifferentiableClassifier m = textModel();
    assertEquals(List.of("ham", "spam"), m.labels());
    List<Example> xs = new ArrayList<>();
    for (JsonNode t : e.get("texts")) {
      xs.add(Example.ofText(t.asText(), "ham", null));
    }
    assertArrayEquals(softmax(e.get("text_logits")), m.predictProba(xs), 1e-5);
    assertEquals(16, m.penultimate(xs).length / xs.size());
  }

  @Test
  void badFilesAndMissingCompanionsAreOneLine(@TempDir Path dir) throws Exception {
    Path junk = dir.resolve("junk.pt");
    Files.writeString(junk, "not a model");
    ModelCompanions images =
        new ModelCompanions(null, null, List.of("0", "1", "2"), List.of(28, 28));
    BadInputException a =
        assertThrows(BadInputException.class, () -> Models.load("torchscript:" + junk, images));
    assertTrue(
        a.getMessage().contains("junk.pt") && a.getMessage().contains("not a TorchScript"),
        a.getMessage());
    ModelCompanions two = new ModelCompanions(null, null, List.of("0", "1"), List.of(28, 28));
    BadInputException b =
        assertThrows(
            BadInputException.class,
            () -> Models.load("torchscript:" + DIR.resolve("image.pt"), two));
    assertTrue(b.getMessage().contains("--labels"), b.getMessage());
    ModelCompanions text = new ModelCompanions(null, null, List.of("ham", "spam"), List.of());
    BadInputException c =
        assertThrows(
            BadInputException.class,
            () -> Models.load("torchscript:" + DIR.resolve("text.pt"), text));
    assertTrue(c.getMessage().contains("--tokenizer"), c.getMessage());
    assertTrue(
        assertThrows(
                BadInputException.class,
                () ->
                    Models.load(
                        dir.resolve("m.model").toString(),
                        new ModelCompanions(null, dir.resolve("labels.txt"), List.of(), List.of())))
            .getMessage()
            .contains("another framework"));
  }
}
