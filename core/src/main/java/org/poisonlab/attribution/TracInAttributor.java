package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.eval.Rankings;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Options;
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
 * match. Either way {@code final_checkpoint_matches_model} reports whether the last checkpoint
 * holds the model's parameters. Option {@code checkpoints=N} keeps N checkpoints evenly spread over
 * the run, always the last (default: all, one per epoch).
 *
 * <p>Options for tracing a behaviour to its poisons (models with at most one hidden layer; all need
 * behaviour examples):
 *
 * <ul>
 *   <li>{@code layer=input}: only the input layer's weight matrix counts, per example {@code δ₀ xᵀ}
 *       (the paper's §3.2 restriction to a parameter subset, here the first layer);
 *   <li>{@code saliency=on} (needs {@code layer=input}): input j is scaled by the behaviour's mean
 *       absolute input gradient {@code s_j} at the final model ({@link BehaviorSaliency}), so the
 *       gradient is {@code δ₀ (s ⊙ x)ᵀ} and only the features the behaviour relies on count;
 *   <li>{@code normalize=cosine}: each checkpoint's term is the cosine of the two gradients, so
 *       examples with large gradients (badly fitted clean ones) cannot dominate and well-fitted
 *       examples with small ones (poisons at late checkpoints) still count (cf. RelatIF, Barshan,
 *       Brunet and Dziugaite, AISTATS 2020, which normalises by the training example's norm).
 *   <li>{@code occlusion=on} (needs {@code saliency=on}): every score of training example i is
 *       multiplied by {@code 1 − p(y_i | x̃_i)}, the model's doubt about i's own label once the
 *       salient features are occluded ({@link BehaviorSaliency#occludedProbability}): an example
 *       whose label does not depend on those features did not teach the model the behaviour.
 *   <li>{@code center=label} (needs {@code layer=input}): the input-layer gradients are those of
 *       the parametrisation {@code W (x − μ) + b'} ({@link Centres}), {@code μ} the mean training
 *       input of the behaviour example's label, so {@code δ₀ (s ⊙ (x − μ))ᵀ}: an input counts by
 *       how it differs from what its class normally looks like, and clean examples of the target
 *       class that happen to be bright where the trigger sits no longer match it; {@code
 *       center=mean} centres on the whole training set's mean; {@code center=auto} is {@code label}
 *       on image data and {@code none} on text (sparse rows, where an absent word is not a value
 *       near a class mean; measured worse there, see docs/methods/tracin-saliency.md).
 *   <li>{@code consensus=fuse} (needs {@code layer=input}): a second scoring, weighted by where the
 *       behaviour's centred inputs agree ({@link BehaviorSaliency#consensus}), standardised per
 *       behaviour example and added to the first; {@code consensus=only} scores with it alone.
 *   <li>{@code match=fuse} (images): the standardised exact-match score of {@link SharedValues}
 *       (the pixel values every behaviour input shares, where chance is ruled out at level {@code
 *       match-alpha}) is added to every behaviour column of the standardised scores.
 * </ul>
 *
 * <p>The name {@code tracin-saliency} is this class with {@code layer=input, saliency=on,
 * normalize=cosine, center=auto, consensus=auto, match=auto} as defaults ({@code auto}: centred,
 * consensus and match fused on image data; none of the three on text).
 */
final class TracInAttributor implements Attributor {
  static final String NAME = "tracin";

  /** The options this method takes. */
  static final List<String> OPTIONS =
      List.of(
          "checkpoints",
          "layer",
          "saliency",
          "normalize",
          "occlusion",
          "center",
          "consensus",
          "consensus-eps",
          "match",
          "match-alpha");

  /**
   * The preset for backdoors: input layer, behaviour saliency, per-checkpoint cosine, image inputs
   * centred on the behaviour label's mean and the consensus score fused in on images.
   */
  static final String SALIENCY_NAME = "tracin-saliency";

  static final Map<String, String> SALIENCY_PRESET =
      Map.of(
          "layer",
          "input",
          "saliency",
          "on",
          "normalize",
          "cosine",
          "center",
          "auto",
          "consensus",
          "auto",
          "match",
          "auto");

  private final List<Checkpoint> given;
  private final String name;
  private final Map<String, String> defaults;

  TracInAttributor(List<Checkpoint> given) {
    this(given, NAME, Map.of());
  }

  /**
   * @param name the name this attributor answers to and writes into its attributions
   * @param defaults option values used where the request gives none
   */
  TracInAttributor(List<Checkpoint> given, String name, Map<String, String> defaults) {
    this.given = given == null ? null : List.copyOf(given);
    this.name = name;
    this.defaults = Map.copyOf(defaults);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Attribution attribute(AttributionRequest request) {
    Map<String, String> chosen = new LinkedHashMap<>(defaults);
    chosen.putAll(request.options());
    Options options = new Options(name, chosen, OPTIONS);
    long start = System.nanoTime();
    DifferentiableClassifier model = request.model();
    boolean inputLayer = options.choice("layer", "all", List.of("all", "input")).equals("input");
    boolean salient = options.choice("saliency", "off", List.of("on", "off")).equals("on");
    String center = options.choice("center", "none", List.of("none", "label", "mean", "auto"));
    if (center.equals("auto")) {
      center = request.train().kind() == Dataset.Kind.IMAGE ? "label" : "none";
    }
    String normalize = options.choice("normalize", "none", List.of("none", "cosine", "delta"));
    boolean cosine = !normalize.equals("none");
    boolean deltaOnly = normalize.equals("delta");
    boolean occlusion = options.choice("occlusion", "off", List.of("on", "off")).equals("on");
    String consensus = options.choice("consensus", "off", List.of("off", "only", "fuse", "auto"));
    if (consensus.equals("auto")) {
      consensus = request.train().kind() == Dataset.Kind.IMAGE ? "fuse" : "off";
    }
    double consensusEps = options.real("consensus-eps", 0.01, 0, true);
    String match = options.choice("match", "off", List.of("off", "fuse", "auto"));
    if (match.equals("auto")) {
      match = request.train().kind() == Dataset.Kind.IMAGE ? "fuse" : "off";
    }
    double matchAlpha = options.real("match-alpha", 0.01, 0, true);
    if (matchAlpha > 1) {
      throw new BadInputException(
          name + " option match-alpha must be in (0, 1], got " + matchAlpha);
    }
    if (match.equals("fuse") && request.train().kind() != Dataset.Kind.IMAGE) {
      throw new BadInputException(
          name + " option match=fuse needs image data (it matches stamped pixel values)");
    }
    if (match.equals("fuse") && request.selfInfluence()) {
      throw new BadInputException(
          name + " option match=fuse needs behaviour examples (--behavior)");
    }
    boolean restricted =
        inputLayer || salient || cosine || !center.equals("none") || !consensus.equals("off");
    if (deltaOnly && !inputLayer) {
      throw new BadInputException(name + " option normalize=delta needs layer=input");
    }
    if (!consensus.equals("off") && !inputLayer) {
      throw new BadInputException(name + " option consensus=" + consensus + " needs layer=input");
    }
    if (consensus.equals("only") && salient) {
      throw new BadInputException(
          name
              + " option consensus=only replaces the saliency: use saliency=off or consensus=fuse");
    }
    if (!center.equals("none") && !inputLayer) {
      throw new BadInputException(name + " option center=" + center + " needs layer=input");
    }
    if (occlusion && !salient) {
      throw new BadInputException(name + " option occlusion=on needs saliency=on");
    }
    if (salient && !inputLayer) {
      throw new BadInputException(name + " option saliency=on needs layer=input");
    }
    if (restricted && request.selfInfluence()) {
      throw new BadInputException(
          name
              + " options layer, saliency, normalize and center need behaviour examples"
              + " (--behavior)");
    }
    if (restricted && !FactoredGradients.supports(model)) {
      throw new BadInputException(
          name
              + " options layer, saliency, normalize and center need a model with at most one"
              + " hidden"
              + " layer");
    }
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
    }
    diagnostics.put(
        "final_checkpoint_matches_model",
        java.util.Arrays.equals(all.get(all.size() - 1).model().parameters(), model.parameters()));
    int count = options.integer("checkpoints", all.size(), 1, Integer.MAX_VALUE);
    List<Checkpoint> used = spread(all, count);
    List<Example> train = request.train().examples();
    int n = train.size();
    int[] trainLabels = model.labelIndices(train);
    boolean self = request.selfInfluence();
    int m = self ? 1 : request.behavior().size();
    int[] behaviorLabels = self ? null : model.labelIndices(request.behavior());
    double[] scores = new double[n * m];
    double[] weights = null;
    double[] occluded = null;
    if (salient) {
      double[] saliency = BehaviorSaliency.of(model, request.behavior(), behaviorLabels);
      weights = new double[saliency.length];
      int[] top = topFeatures(saliency, 16);
      for (int j = 0; j < saliency.length; j++) {
        weights[j] = saliency[j] * saliency[j];
      }
      diagnostics.put("saliency_top_features", top);
      if (occlusion) {
        occluded = BehaviorSaliency.occludedProbability(model, train, trainLabels, saliency);
      }
    }
    Centres centres =
        center.equals("none")
            ? null
            : Centres.of(model, train, trainLabels, behaviorLabels, center.equals("label"));
    double[] fuseWeights = null;
    double[] fused = null;
    if (!consensus.equals("off")) {
      double[] c = BehaviorSaliency.consensus(model, request.behavior(), centres, consensusEps);
      diagnostics.put("consensus_top_features", topFeatures(c, 16));
      if (consensus.equals("only")) {
        weights = c;
      } else {
        fuseWeights = c;
        fused = new double[n * m];
      }
    }
    List<Map<String, Object>> info = new ArrayList<>();
    for (Checkpoint c : used) {
      DifferentiableClassifier theta = c.model();
      double eta = c.learningRate();
      if (self) {
        selfTerm(theta, train, trainLabels, eta, scores);
      } else if (FactoredGradients.supports(theta)) {
        List<Scoring> scorings = new ArrayList<>();
        scorings.add(new Scoring(weights, cosine, deltaOnly, scores));
        if (fused != null) {
          scorings.add(new Scoring(fuseWeights, true, true, fused));
        }
        factoredCrossTerm(
            theta,
            train,
            trainLabels,
            request.behavior(),
            behaviorLabels,
            eta,
            inputLayer,
            centres,
            scorings);
      } else {
        denseCrossTerm(theta, train, trainLabels, request.behavior(), behaviorLabels, eta, scores);
      }
      Map<String, Object> ci = new LinkedHashMap<>();
      ci.put("step", c.step());
      ci.put("learning_rate", eta);
      info.add(ci);
      request.progress().accept("tracin: checkpoint " + c.step() + " done");
    }
    if (occluded != null) {
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < m; t++) {
          scores[i * m + t] *= 1 - occluded[i];
        }
      }
    }
    if (fused != null) {
      standardise(scores, n, m);
      standardise(fused, n, m);
      for (int i = 0; i < scores.length; i++) {
        scores[i] += fused[i];
      }
    }
    if (match.equals("fuse")) {
      SharedValues.Match shared = SharedValues.of(request.behavior(), train, matchAlpha);
      diagnostics.put("match_features", shared.features());
      diagnostics.put("match_values", shared.values());
      double[] z = shared.scores().clone();
      standardise(z, n, 1);
      if (fused == null) {
        standardise(scores, n, m);
      }
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < m; t++) {
          scores[i * m + t] += z[i];
        }
      }
    }
    diagnostics.put("checkpoints", info);
    diagnostics.put("layer", inputLayer ? "input" : "all");
    diagnostics.put("saliency", salient);
    diagnostics.put("normalize", normalize);
    diagnostics.put("consensus", consensus);
    diagnostics.put("match", match);
    diagnostics.put("occlusion", occlusion);
    diagnostics.put("center", center);
    diagnostics.put("factored_gradients", FactoredGradients.supports(model));
    Elapsed.tell(request.progress(), name + ": done", start);
    return new Attribution(name, n, m, scores, diagnostics);
  }

  private static void standardise(double[] s, int n, int m) {
    for (int t = 0; t < m; t++) {
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        sum += s[i * m + t];
        sq += s[i * m + t] * s[i * m + t];
      }
      double mean = sum / n;
      double sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
      for (int i = 0; i < n; i++) {
        s[i * m + t] = sd == 0 ? 0 : (s[i * m + t] - mean) / sd;
      }
    }
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

  /** Indices of the {@code count} largest entries, largest first. */
  static int[] topFeatures(double[] s, int count) {
    return java.util.Arrays.copyOf(Rankings.descending(s), Math.min(count, s.length));
  }

  /**
   * One way of scoring a checkpoint's factored gradients: feature weights (null: all ones),
   * normalisation (cosine, or cosine with the training side divided by its δ's norm only), and the
   * {@code n × m} scores it adds into.
   */
  record Scoring(double[] weights, boolean cosine, boolean deltaOnly, double[] scores) {}

  /**
   * One checkpoint's term from factored gradients: the whole gradient, or the gradient restricted
   * to the input layer's weight matrix ({@code g = δ₀ (w^{1/2} ⊙ (x − μ))ᵀ}, so {@code g_i·g_t =
   * (δ₀ᵢ·δ₀ₜ) Σ_j w_j (x_{i,j} − μ_j)(x_{t,j} − μ_j)}; {@code w} all ones when null, {@code μ}
   * target t's centre or zero when {@code centres} is null), optionally divided by both gradients'
   * norms (cosine). The centred products are expanded ({@code x_i·x_t − μ·x_i − μ·x_t + μ·μ}, all
   * weighted by w) so sparse rows stay sparse. Several scorings of the input layer share one pass
   * over the training set (its gradients and the {@code δ₀ᵢ·δ₀ₜ} products); the whole gradient
   * takes exactly one scoring.
   */
  private static void factoredCrossTerm(
      DifferentiableClassifier theta,
      List<Example> train,
      int[] y,
      List<Example> behavior,
      int[] by,
      double eta,
      boolean inputLayer,
      Centres centres,
      List<Scoring> scorings) {
    int m = behavior.size();
    int block = FactoredGradients.targetBlock(theta);
    int k = centres == null ? 0 : centres.count();
    int p = scorings.size();
    if (!inputLayer && p != 1) {
      throw new IllegalArgumentException("the whole gradient takes one scoring");
    }
    boolean anyCosine = scorings.stream().anyMatch(Scoring::cosine);
    double[][] ws = new double[p][];
    double[][][] wmu = new double[p][k][];
    double[][] cc = new double[p][k];
    for (int s = 0; s < p; s++) {
      if (!inputLayer) {
        continue;
      }
      double[] w = scorings.get(s).weights() != null ? scorings.get(s).weights() : ones(theta);
      ws[s] = w;
      for (int c = 0; c < k; c++) {
        double[] mu = centres.mean(c);
        wmu[s][c] = new double[mu.length];
        for (int j = 0; j < mu.length; j++) {
          wmu[s][c][j] = w[j] * mu[j];
          cc[s][c] += wmu[s][c][j] * mu[j];
        }
      }
    }
    for (int t0 = 0; t0 < m; t0 += block) {
      int t1 = Math.min(m, t0 + block);
      int first = t0;
      int mb = t1 - t0;
      List<Example> sub = behavior.subList(t0, t1);
      int[] subLabels = java.util.Arrays.copyOfRange(by, t0, t1);
      FactoredGradients.Targets[] targets = new FactoredGradients.Targets[p];
      double[][] targetNorms = new double[p][mb];
      double[][] bt = new double[p][mb];
      int[] centreOf = new int[mb];
      for (int s = 0; s < p; s++) {
        targets[s] = new FactoredGradients.Targets(theta, sub, subLabels);
        if (inputLayer) {
          double[] xs = targets[s].weightInputs(ws[s]);
          for (int t = 0; t < mb; t++) {
            double sq = xs[t];
            if (k > 0) {
              int c = centres.of(first + t);
              centreOf[t] = c;
              double[] mu = centres.mean(c);
              double b = 0;
              for (int j = 0; j < mu.length; j++) {
                b += mu[j] * targets[s].inputs[j * mb + t];
              }
              bt[s][t] = b;
              sq = Math.max(0, sq - 2 * b + cc[s][c]);
            }
            targetNorms[s][t] = Math.sqrt(targets[s].deltaSquaredNorm(0, t) * sq);
          }
        } else if (scorings.get(s).cosine()) {
          for (int t = 0; t < mb; t++) {
            targetNorms[s][t] = Math.sqrt(targets[s].squaredNorm(t));
          }
        }
      }
      int w0 = org.poisonlab.model.Models.layered(theta, NAME).layerSizes()[1];
      double[] deltaDots = new double[mb];
      double[] dots = new double[mb];
      double[] scratch = new double[2 * mb];
      double[] a = new double[k];
      double[] rowSq = new double[Math.max(1, k)];
      FactoredGradients.stream(
          theta,
          train,
          y,
          ch -> {
            for (int r = 0; r < ch.rows(); r++) {
              int row = (ch.from() + r) * m + first;
              if (!inputLayer) {
                Scoring sc = scorings.get(0);
                targets[0].gradientDots(ch, r, dots, scratch);
                if (sc.cosine()) {
                  double norm = Math.sqrt(ch.squaredNorm(r));
                  for (int t = 0; t < mb; t++) {
                    double q = norm * targetNorms[0][t];
                    dots[t] = q == 0 ? 0 : dots[t] / q;
                  }
                }
                for (int t = 0; t < mb; t++) {
                  sc.scores()[row + t] += eta * dots[t];
                }
                continue;
              }
              for (int t = 0; t < mb; t++) {
                deltaDots[t] =
                    Vectors.dot(ch.deltas()[0], r * w0, targets[0].deltas[0], t * w0, w0);
              }
              double dr = anyCosine ? ch.deltaSquaredNorm(0, r) : 0;
              for (int s = 0; s < p; s++) {
                Scoring sc = scorings.get(s);
                targets[s].inputDots(ch, r, scratch);
                double sq = sc.cosine() && !sc.deltaOnly() ? ch.inputSquare(r, sc.weights()) : 0;
                for (int c = 0; c < k; c++) {
                  double v = 0;
                  for (int q = ch.rowPtr()[r]; q < ch.rowPtr()[r + 1]; q++) {
                    v += wmu[s][c][ch.cols()[q]] * ch.vals()[q];
                  }
                  a[c] = v;
                  rowSq[c] = Math.max(0, sq - 2 * v + cc[s][c]);
                }
                if (k == 0) {
                  rowSq[0] = sq;
                }
                for (int t = 0; t < mb; t++) {
                  double x = scratch[t];
                  if (k > 0) {
                    int c = centreOf[t];
                    x += cc[s][c] - a[c] - bt[s][t];
                  }
                  dots[t] = x * deltaDots[t];
                }
                if (sc.cosine()) {
                  for (int t = 0; t < mb; t++) {
                    double q =
                        Math.sqrt(dr * (sc.deltaOnly() ? 1 : rowSq[k > 0 ? centreOf[t] : 0]))
                            * targetNorms[s][t];
                    dots[t] = q == 0 ? 0 : dots[t] / q;
                  }
                }
                for (int t = 0; t < mb; t++) {
                  sc.scores()[row + t] += eta * dots[t];
                }
              }
            }
          });
    }
  }

  private static double[] ones(DifferentiableClassifier model) {
    double[] w = new double[model.featurizer().dimension()];
    java.util.Arrays.fill(w, 1);
    return w;
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

  private static void denseCrossTerm(
      DifferentiableClassifier theta,
      List<Example> train,
      int[] y,
      List<Example> behavior,
      int[] by,
      double eta,
      double[] scores) {
    int m = behavior.size();
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
