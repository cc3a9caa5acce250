package org.poisonlab.attribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.linalg.Vectors;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * The gradient-similarity baselines: {@code score(i, t) = ∇L(z_t)·∇L(z_i)} ({@code gradient-dot},
 * one SGD step on {@code z_i} lowers the loss of {@code z_t} by about this much times the learning
 * rate) and its cosine ({@code gradient-cosine}), gradients of the unregularised loss at the final
 * parameters. Self-influence is {@code ||∇L(z_i)||²} (dot) or 1 (cosine, so it is not offered: the
 * cosine self-score carries no information and is rejected).
 */
final class GradientSimilarityAttributor implements Attributor {
  private final boolean cosine;

  GradientSimilarityAttributor(boolean cosine) {
    this.cosine = cosine;
  }

  @Override
  public String name() {
    return cosine ? "gradient-cosine" : "gradient-dot";
  }

  @Override
  public Attribution attribute(AttributionRequest request) {
    if (!request.options().isEmpty()) {
      throw new BadInputException(name() + " takes no options; got " + request.options().keySet());
    }
    DifferentiableClassifier model = request.model();
    List<Example> train = request.train().examples();
    int n = train.size();
    int[] trainLabels = model.labelIndices(train);
    if (request.selfInfluence()) {
      if (cosine) {
        throw new BadInputException(
            "gradient-cosine has no self-influence (it is 1 for every example); give --behavior");
      }
      double[] scores = new double[n];
      model.forEachGradient(train, trainLabels, (g, i) -> scores[i] = Vectors.dot(g, g));
      return new Attribution(name(), n, 1, scores, Map.of());
    }
    List<Example> behavior = request.behavior();
    int m = behavior.size();
    int p = model.parameterCount();
    double[][] targets = new double[m][];
    double[] targetNorms = new double[m];
    model.forEachGradient(
        behavior,
        model.labelIndices(behavior),
        (g, t) -> {
          targets[t] = g.clone();
          targetNorms[t] = Math.sqrt(Vectors.dot(g, g));
        });
    double[] scores = new double[n * m];
    model.forEachGradient(
        train,
        trainLabels,
        (g, i) -> {
          double norm = cosine ? Math.sqrt(Vectors.dot(g, g)) : 1;
          for (int t = 0; t < m; t++) {
            double s = Vectors.dot(g, targets[t]);
            if (cosine) {
              double d = norm * targetNorms[t];
              s = d == 0 ? 0 : s / d;
            }
            scores[i * m + t] = s;
          }
        });
    Map<String, Object> diagnostics = new LinkedHashMap<>();
    diagnostics.put("parameters", p);
    return new Attribution(name(), n, m, scores, diagnostics);
  }
}
