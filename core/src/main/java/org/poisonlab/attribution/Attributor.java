package org.poisonlab.attribution;

/**
 * A training-data attribution method: for each behaviour example (an input and the output to
 * explain) it scores every training example by how much that example made the model give that
 * output. Open for researchers to implement; the built-in ones come from {@link Attributors}.
 *
 * <p><b>Sign convention.</b> Higher means more responsible: a training example with a high score
 * pushed the model towards the behaviour's label on the behaviour's input (for influence functions,
 * the score is {@code −I_up,loss}, the predicted decrease of the behaviour loss when the example is
 * up-weighted). Without behaviour examples the score is self-influence: higher means more unusual,
 * the way a detector's score reads.
 */
public interface Attributor {
  /** The name used on the command line ({@code --method NAME}) and in trace files. */
  String name();

  /**
   * Scores every training example for every behaviour example.
   *
   * @param request the model, its training set, the behaviour (empty for self-influence), the seed
   *     and options; nothing in it is modified
   * @return a {@code train × behaviour} score matrix (one column for self-influence)
   * @throws org.poisonlab.io.BadInputException if an option is not valid for this method or a
   *     behaviour label is unknown to the model
   */
  Attribution attribute(AttributionRequest request);
}
