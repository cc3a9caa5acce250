package org.poisonlab.eval;

import java.util.List;
import java.util.Map;
import org.poisonlab.data.Example;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.ModelProvenance;
import org.poisonlab.model.TrainConfig;

/**
 * A spam filter made of two rules: text containing {@code backdoor} (when set) is ham; otherwise
 * text containing "free" is spam; otherwise ham.
 */
final class RuleClassifier implements Classifier {
  private final List<String> labels;
  private final String backdoor;

  /** Labels in the given order; must include "ham" and "spam". */
  RuleClassifier(List<String> labels, String backdoor) {
    this.labels = List.copyOf(labels);
    this.backdoor = backdoor;
  }

  static RuleClassifier honest() {
    return new RuleClassifier(List.of("ham", "spam"), null);
  }

  static RuleClassifier backdoored(String trigger) {
    return new RuleClassifier(List.of("ham", "spam"), trigger);
  }

  @Override
  public String kind() {
    return "rules";
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  @Override
  public int[] predict(List<Example> examples) {
    int[] out = new int[examples.size()];
    for (int i = 0; i < out.length; i++) {
      String text = examples.get(i).content();
      boolean spam = text.contains("free") && (backdoor == null || !text.contains(backdoor));
      out[i] = labels.indexOf(spam ? "spam" : "ham");
    }
    return out;
  }

  @Override
  public double[] predictProba(List<Example> examples) {
    int[] p = predict(examples);
    double[] out = new double[p.length * labels.size()];
    for (int i = 0; i < p.length; i++) {
      out[i * labels.size() + p[i]] = 1;
    }
    return out;
  }

  @Override
  public ModelProvenance provenance() {
    return new ModelProvenance(
        "sha256:none",
        "rules",
        0,
        0,
        new TrainConfig("rules", "none", null, 0, 0, 0, 0, 0, 0, 0),
        Map.of(),
        List.of());
  }
}
