package org.poisonlab.attribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Options;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Representer points (Yeh, Kim, Yen and Ravikumar, "Representer Point Selection for Explaining Deep
 * Neural Networks", NeurIPS 2018, Theorem 3.1). At a stationary point of {@code (1/n) Σ_i L(W f_i +
 * b, y_i) + (λ/2) ||W||²} (this project's L2 form; the paper writes {@code λ||W||²}, so its {@code
 * 1/(2λn)} becomes {@code 1/(λn)} here) the last layer is {@code W = Σ_i α_i f_iᵀ} with {@code α_i
 * = −(1/(λn)) ∂L/∂z_i = (e_{y_i} − p_i)/(λn)}, and the logit of class c for a test input decomposes
 * as {@code Σ_i α_i[c] f_iᵀ f_t}. The score is {@code score(i, t) = α_i[label_t] · f_iᵀ f_t};
 * self-influence is {@code α_i[y_i] ||f_i||²}.
 *
 * <p>{@code f} is the penultimate representation: the last hidden layer of an MLP, the input
 * features of logistic regression. The theorem needs λ > 0 and a stationary point; as the paper
 * does, the last layer is refitted with L2 λ on the frozen features (L-BFGS from the trained last
 * layer, {@link Trainers#fitSoftmax}) for an MLP; for logistic regression the model is used as it
 * is when it was trained with L2 > 0 by L-BFGS, and otherwise refitted (fine-tuned by L-BFGS with
 * L2 λ). Option {@code lambda}: default the model's L2 when positive, else 1e-3. The bias is not
 * penalised and is left out of the decomposition.
 */
final class RepresenterAttributor implements Attributor {
  static final String NAME = "representer";

  /** The options this method takes. */
  static final List<String> OPTIONS = List.of("lambda", "iterations");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Attribution attribute(AttributionRequest request) {
    Options options = new Options(NAME, request.options(), OPTIONS);
    DifferentiableClassifier model = request.model();
    double lambda = options.real("lambda", model.l2() > 0 ? model.l2() : 1e-3, 0, true);
    int iterations = options.integer("iterations", 200, 1, 100_000);
    long start = System.nanoTime();
    List<Example> train = request.train().examples();
    int n = train.size();
    int[] y = model.labelIndices(train);
    int[] sizes = org.poisonlab.model.Models.layered(model, NAME).layerSizes();
    int classes = sizes[sizes.length - 1];
    boolean self = request.selfInfluence();
    int m = self ? 1 : request.behavior().size();
    int[] by = self ? null : model.labelIndices(request.behavior());
    double[] scores = new double[n * m];
    Map<String, Object> diagnostics = new LinkedHashMap<>();
    diagnostics.put("lambda", lambda);
    double[] alpha = new double[n * classes];
    // a linear model is refitted whole; a network (or a deep model seen through its last layer)
    // has its last layer refitted on its penultimate representation
    if (sizes.length == 2
        && !(model.featurizer().kind() instanceof org.poisonlab.model.FeatureKind.Learned)) {
      DifferentiableClassifier fitted = model;
      TrainConfig config =
          request.config() != null
              ? request.config()
              : model.provenance() == null ? null : model.provenance().config();
      boolean stationary =
          config != null
              && config.optimizer().equals("lbfgs")
              && model.l2() > 0
              && !options.has("lambda");
      if (!stationary) {
        if (config == null) {
          throw new BadInputException("representer needs the training configuration to refit");
        }
        fitted =
            Trainers.train(
                request.train(),
                config.withOptimizer("lbfgs").withL2(lambda).withMaxIterations(iterations),
                request.seed(),
                model,
                null);
      }
      diagnostics.put("refitted", !stationary);
      // α from the (refitted) model's last-layer bias gradient p − e_y
      int lastBias = fitted.parameterCount() - classes;
      double c = -1.0 / (lambda * n);
      fitted.forEachGradient(
          train,
          y,
          (g, i) -> {
            for (int j = 0; j < classes; j++) {
              alpha[i * classes + j] = c * g[lastBias + j];
            }
          });
      DifferentiableClassifier f = fitted;
      if (self) {
        FactoredGradients.stream(
            f,
            train,
            y,
            ch -> {
              for (int r = 0; r < ch.rows(); r++) {
                double x = 0;
                for (int q = ch.rowPtr()[r]; q < ch.rowPtr()[r + 1]; q++) {
                  x += ch.vals()[q] * ch.vals()[q];
                }
                int i = ch.from() + r;
                scores[i] = alpha[i * classes + y[i]] * x;
              }
            });
      } else {
        int block = FactoredGradients.targetBlock(f);
        for (int t0 = 0; t0 < m; t0 += block) {
          int t1 = Math.min(m, t0 + block);
          int first = t0;
          int mb = t1 - t0;
          FactoredGradients.Targets targets =
              new FactoredGradients.Targets(
                  f, request.behavior().subList(t0, t1), java.util.Arrays.copyOfRange(by, t0, t1));
          double[] dots = new double[mb];
          FactoredGradients.stream(
              f,
              train,
              y,
              ch -> {
                for (int r = 0; r < ch.rows(); r++) {
                  targets.inputDots(ch, r, dots);
                  int i = ch.from() + r;
                  for (int t = 0; t < mb; t++) {
                    scores[i * m + first + t] = alpha[i * classes + by[first + t]] * dots[t];
                  }
                }
              });
        }
      }
    } else {
      int h = model.penultimateDimension();
      double[] features = model.penultimate(train);
      double[] theta = model.parameters();
      int lastW = theta.length - classes - classes * h;
      double[] init = java.util.Arrays.copyOfRange(theta, lastW, theta.length);
      double[] w = Trainers.fitSoftmax(features, n, h, y, classes, lambda, init, iterations);
      diagnostics.put("refitted", true);
      double[] logits = new double[classes];
      double c = 1.0 / (lambda * n);
      for (int i = 0; i < n; i++) {
        softmax(w, features, i * h, h, classes, logits);
        for (int j = 0; j < classes; j++) {
          alpha[i * classes + j] = c * ((j == y[i] ? 1 : 0) - logits[j]);
        }
      }
      if (self) {
        for (int i = 0; i < n; i++) {
          double x = org.poisonlab.linalg.Vectors.dot(features, i * h, features, i * h, h);
          scores[i] = alpha[i * classes + y[i]] * x;
        }
      } else {
        double[] ft = model.penultimate(request.behavior());
        for (int i = 0; i < n; i++) {
          for (int t = 0; t < m; t++) {
            double x = org.poisonlab.linalg.Vectors.dot(features, i * h, ft, t * h, h);
            scores[i * m + t] = alpha[i * classes + by[t]] * x;
          }
        }
      }
    }
    Elapsed.tell(request.progress(), NAME + ": done", start);
    return new Attribution(NAME, n, m, scores, diagnostics);
  }

  /** Softmax of {@code W f + b} into {@code out}. */
  private static void softmax(double[] w, double[] f, int off, int h, int classes, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < classes; j++) {
      double z = w[classes * h + j] + org.poisonlab.linalg.Vectors.dot(w, j * h, f, off, h);
      out[j] = z;
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int j = 0; j < classes; j++) {
      out[j] = Math.exp(out[j] - max);
      sum += out[j];
    }
    for (int j = 0; j < classes; j++) {
      out[j] /= sum;
    }
  }
}
