package org.poisonlab.bench;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.attribution.AttributionRequest;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.attribution.SharedValues;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.TrainConfig;

/**
 * Input-only scores beside the {@code tracin-saliency} preset on {@link TraceDraws}' random draws,
 * as they were compared when the exact-match score was chosen: per draw, recall@k of the preset
 * with {@code match=off}; of a weighted squared distance to the behaviour's mean input, {@code −Σ_j
 * c_j (x_ij − x̄_j)²} with the consensus weights {@code c} (computed here from the pixels), over
 * the training examples labelled with the target; of the exact-match score alone ({@link
 * SharedValues}, inputs only, no model); and of the preset with it.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.TraceProbe 8 2026 10000
 * </pre>
 *
 * <p>Arguments: draws, seed, subsample, optionally the consensus ε (default 0.01).
 */
public final class TraceProbe {
  private TraceProbe() {}

  public static void main(String[] args) {
    int draws = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    double eps = args.length > 3 ? Double.parseDouble(args[3]) : 0.01;
    Dataset train =
        TraceDraws.subsample(TraceDraws.fashionMnist("train"), Integer.parseInt(args[2]));
    Dataset test = TraceDraws.fashionMnist("test");
    TrainConfig config = TrainConfig.defaults("mlp", Dataset.Kind.IMAGE);
    SplittableRandom rng = new SplittableRandom(seed);
    String[] names = {
      "preset, match=off", "weighted distance, target label", "exact match alone", "preset"
    };
    double[] sum = new double[names.length];
    for (int dr = 0; dr < draws; dr++) {
      TraceDraws.Draw draw = TraceDraws.draw(rng);
      TraceDraws.Scenario sc = TraceDraws.scenario(draw, train, test, config);
      Dataset poisoned = sc.poisoned();
      double[][] scores = {
        preset(sc, config, Map.of("match", "off")),
        distance(poisoned, sc.behaviour(), draw.target(), eps),
        SharedValues.of(sc.behaviour(), poisoned.examples(), 0.01).scores(),
        preset(sc, config, Map.of())
      };
      StringBuilder line = new StringBuilder();
      for (int q = 0; q < names.length; q++) {
        double r =
            TraceDraws.recall(TraceDraws.top(scores[q], poisoned, sc.truth().size()), sc.truth());
        sum[q] += r;
        line.append(String.format("  %s %.3f", names[q], r));
      }
      System.out.printf(
          "draw %d %s -> %s (ASR %.3f):%s%n",
          dr, draw.trigger().spec(), draw.target(), sc.before().attackSuccessRate(), line);
    }
    for (int q = 0; q < names.length; q++) {
      System.out.printf(
          "%-34s mean recall@k %.3f over %d draws%n", names[q], sum[q] / draws, draws);
    }
  }

  static double[] preset(TraceDraws.Scenario sc, TrainConfig config, Map<String, String> options) {
    return Attributors.tracIn("tracin-saliency", sc.checkpoints())
        .attribute(
            new AttributionRequest(
                sc.model(), sc.poisoned(), sc.behaviour(), config, 0, options, null))
        .aggregate();
  }

  /** {@code −Σ_j c_j (x_ij − x̄_j)²} for examples labelled {@code target}, −∞ for the rest. */
  static double[] distance(Dataset train, List<Example> behaviour, String target, double eps) {
    int d = behaviour.get(0).pixelCount();
    double[] mu = new double[d];
    int count = 0;
    for (Example e : train) {
      if (e.label().equals(target)) {
        count++;
        for (int j = 0; j < d; j++) {
          mu[j] += e.pixel(j) / 255.0;
        }
      }
    }
    double[] mean = new double[d];
    double[] sq = new double[d];
    int m = behaviour.size();
    for (Example e : behaviour) {
      for (int j = 0; j < d; j++) {
        double v = e.pixel(j) / 255.0 - mu[j] / count;
        mean[j] += v / m;
        sq[j] += v * v / m;
      }
    }
    double[] out = new double[train.size()];
    for (int i = 0; i < out.length; i++) {
      Example e = train.get(i);
      if (!e.label().equals(target)) {
        out[i] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double s = 0;
      for (int j = 0; j < d; j++) {
        double c = mean[j] * mean[j] / (Math.max(0, sq[j] - mean[j] * mean[j]) + eps);
        double diff = e.pixel(j) / 255.0 - (mean[j] + mu[j] / count);
        s -= c * diff * diff;
      }
      out[i] = s;
    }
    return out;
  }
}
