package org.poisonlab.model;

import java.util.List;
import org.poisonlab.data.Example;

/**
 * A trained classifier over raw examples: it owns its featurizer, its parameters and its label
 * names, so it can be applied to any {@link Example} of the kind it was trained on.
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public interface Classifier {
  /** The model family, as named on the command line: {@code logreg}, {@code mlp}. */
  String kind();

  /** The class names, in the order of the class indices this classifier returns. */
  List<String> labels();

  /**
   * The most probable class of each example, as an index into {@link #labels()}.
   *
   * @param examples not modified; all of the kind (text or image) this classifier was trained on
   * @throws IllegalArgumentException if an example is of the wrong kind or shape
   */
  int[] predict(List<Example> examples);

  /**
   * Class probabilities, row-major: entry {@code i * labels().size() + c} is the probability of
   * class {@code c} for example {@code i}. Rows sum to 1.
   */
  double[] predictProba(List<Example> examples);

  /** Where this model came from: data hash, seed, hyper-parameters, versions. */
  ModelProvenance provenance();
}
