package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.BadInputException;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.Vectors;
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * TracInCP (Pruthi, Liu, Kale and Sundararajan, "Estimating Training Data Influence by Tracing
 * Gradient Descent", NeurIPS 2020, eq. 3): {@code score(i, t) = Σ_c η_c ∇L(z_t; θ_c)·∇L(z_i; θ_c)}
 * over checkpoints {@code θ_c} saved during training, {@code η_c} the learning rate in force before
 * checkpoint c. Self-influence is {@code Σ_c η_c ||∇L(z_i; θ_c)||²} (the paper's mislabel screen).
 * Losses are the unregularised per-example losses.
 *
 * <p>Checkpoints come from the constructor, or else from retraining: the request's config (or the
 * model's provenance config) with the seed the model was trained with, through {@link
 * Trainers#trainWithCheckpoints}, which reproduces the model bit for bit when data, config and seed
 * match (reported as {@code final_checkpoint_matches_model}). Option {@code checkpoints=N} keeps N
 * checkpoints evenly spread over the run, always the last (default: all, one per epoch).
 */
final class TracInAttributor implements Attributor {
  static final String NAME = "tracin";

  /** The options this method takes. */
  static final List<String> OPTIONS = List.of("checkpoints");

  private final List<Checkpoint> given;

  TracInAttributor(List<Checkpoint> given) {
    this.given = given == null ? null : List.copyOf(given);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Attribution attribute(AttributionRequest request) {
    Options options = new Options(NAME, request.options(), OPTIONS);
    long start = System.nanoTime();
    DifferentiableClassifier model = request.model();
    List<Checkpoint> all = given;
    Map<String, Object> diagnostics = new LinkedHashMap<>();
    if (all == null) {
      TrainConfig config =
          request.config() != null
              ? request.config()
              : model.provenance() == null ? null : model.provenance().config();
      if (config == null) {
        throw new BadInputException(
            "tracin needs the training configuration to rebuild checkpoints");
      }
      long seed = model.provenance() == null ? request.seed() : model.provenance().seed();
      request.progress().accept("tracin: retraining to collect checkpoints");
      all = Trainers.trainWithCheckpoints(request.train(), config, seed, null, null);
      diagnostics.put(
          "final_checkpoint_matches_model",
          java.util.Arrays.equals(
              all.get(all.size() - 1).model().parameters(), model.parameters()));
    }
    int count = options.integer("checkpoints", all.size(), 1, Integer.MAX_VALUE);
    List<Checkpoint> used = spread(all, count);
    List<Example> train = request.train().examples();
    int n = train.size();
    int[] trainLabels = model.labelIndices(train);
    boolean self = request.selfInfluence();
    int m = self ? 1 : request.behavior().size();
    int[] behaviorLabels = self ? null : model.labelIndices(request.behavior());
    double[] scores = new double[n * m];
    List<Map<String, Object>> info = new ArrayList<>();
    for (Checkpoint c : used) {
      DifferentiableClassifier theta = c.model();
      double eta = c.learningRate();
      if (self) {
        selfTerm(theta, train, trainLabels, eta, scores);
      } else {
        crossTerm(theta, train, trainLabels, request.behavior(), behaviorLabels, eta, scores);
      }
      Map<String, Object> ci = new LinkedHashMap<>();
      ci.put("step", c.step());
      ci.put("learning_rate", eta);
      info.add(ci);
      request.progress().accept("tracin: checkpoint " + c.step() + " done");
    }
    diagnostics.put("checkpoints", info);
    diagnostics.put("factored_gradients", FactoredGradients.supports(model));
    diagnostics.put("seconds", (System.nanoTime() - start) / 1e9);
    return new Attribution(NAME, n, m, scores, diagnostics);
  }

  /** {@code count} checkpoints evenly spread, always the last. */
  static List<Checkpoint> spread(List<Checkpoint> all, int count) {
    int c = all.size();
    if (count >= c) {
      return all;
    }
    List<Checkpoint> out = new ArrayList<>();
    for (int q = 1; q <= count; q++) {
      out.add(all.get((int) Math.round((double) q * c / count) - 1));
    }
    return out;
  }

  private static void selfTerm(
      DifferentiableClassifier theta, List<Example> train, int[] y, double eta, double[] scores) {
    if (FactoredGradients.supports(theta)) {
      FactoredGradients.stream(
          theta,
          train,
          y,
          ch -> {
            for (int r = 0; r < ch.rows(); r++) {
              scores[ch.from() + r] += eta * ch.squaredNorm(r);
            }
          });
    } else {
      theta.forEachGradient(train, y, (g, i) -> scores[i] += eta * Vectors.dot(g, g));
    }
  }

  private static void crossTerm(
      DifferentiableClassifier theta,
      List<Example> train,
      int[] y,
      List<Example> behavior,
      int[] by,
      double eta,
      double[] scores) {
    int m = behavior.size();
    if (FactoredGradients.supports(theta)) {
      int block = FactoredGradients.targetBlock(theta);
      for (int t0 = 0; t0 < m; t0 += block) {
        int t1 = Math.min(m, t0 + block);
        int first = t0;
        FactoredGradients.Targets targets =
            new FactoredGradients.Targets(
                theta, behavior.subList(t0, t1), java.util.Arrays.copyOfRange(by, t0, t1));
        int mb = t1 - t0;
        double[] dots = new double[mb];
        double[] scratch = new double[2 * mb];
        FactoredGradients.stream(
            theta,
            train,
            y,
            ch -> {
              for (int r = 0; r < ch.rows(); r++) {
                targets.gradientDots(ch, r, dots, scratch);
                int row = (ch.from() + r) * m + first;
                for (int t = 0; t < mb; t++) {
                  scores[row + t] += eta * dots[t];
                }
              }
            });
      }
      return;
    }
    double[][] targets = new double[m][];
    theta.forEachGradient(behavior, by, (g, t) -> targets[t] = g.clone());
    theta.forEachGradient(
        train,
        y,
        (g, i) -> {
          for (int t = 0; t < m; t++) {
            scores[i * m + t] += eta * Vectors.dot(g, targets[t]);
          }
        });
  }
}
