package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * The penultimate-layer representations of a training set, grouped by given label: the input of the
 * spectral, activation-clustering and SPECTRE detectors.
 */
final class Representations {
  private Representations() {}

  /**
   * One class's representations.
   *
   * @param positions dataset positions of the class's examples, ascending
   * @param rows row-major {@code positions.length × dim}
   */
  record ClassBlock(String label, int[] positions, double[] rows, int dim) {
    int size() {
      return positions.length;
    }
  }

  /**
   * The context's model, or one trained on {@code train} with {@link TrainConfig#defaults}: an MLP
   * for images, logistic regression for text (whose representation is its logits).
   */
  static DifferentiableClassifier model(Dataset train, ScanContext context) {
    if (context.model() != null) {
      return context.model();
    }
    String kind = train.kind() == Dataset.Kind.IMAGE ? "mlp" : "logreg";
    context.progress().accept("training a " + kind + " model for its representations");
    return Trainers.train(
        train, TrainConfig.defaults(kind, train.kind()), context.seed(), null, context.progress());
  }

  /** The representations of each class of {@code train} (not modified), in label order. */
  static List<ClassBlock> byClass(Dataset train, DifferentiableClassifier model) {
    List<String> labels = train.labels();
    int[] counts = new int[labels.size()];
    int[] label = new int[train.size()];
    for (int i = 0; i < train.size(); i++) {
      label[i] = train.labelIndex(train.get(i).label());
      counts[label[i]]++;
    }
    int d = model.penultimateDimension();
    List<ClassBlock> out = new ArrayList<>();
    for (int c = 0; c < labels.size(); c++) {
      int[] pos = new int[counts[c]];
      List<Example> xs = new ArrayList<>(counts[c]);
      int k = 0;
      for (int i = 0; i < train.size(); i++) {
        if (label[i] == c) {
          pos[k++] = i;
          xs.add(train.get(i));
        }
      }
      out.add(new ClassBlock(labels.get(c), pos, model.penultimate(xs), d));
    }
    return out;
  }

  /** Per-class top-{@code ceil(share · n_c)} flags on per-class scores, into {@code flagged}. */
  static int flagTop(ClassBlock block, double[] classScores, double share, boolean[] flagged) {
    int n = block.size();
    // the tolerance keeps 1.5 · 0.05 · 400 at 30, not 31
    int take = (int) Math.min(n, Math.ceil(share * n - 1e-9));
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(classScores[b], classScores[a]));
    for (int r = 0; r < take; r++) {
      flagged[block.positions()[order[r]]] = true;
    }
    return take;
  }
}
