package org.poisonlab.attribution;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.eval.Rankings;
import org.poisonlab.io.BadInputException;

/**
 * The exact input values that every behaviour example shares, where chance would not explain the
 * agreement, and how much of them each training example carries. A stamped image trigger (a patch
 * written over the pixels) puts the same byte at the same pixel of every triggered input and of
 * every poison; a garment pixel takes one exact value on a few percent of images at most.
 *
 * <p>Pixel {@code j} is <em>shared</em> when all {@code m} behaviour images hold the same value
 * {@code v_j} there. With {@code f_j} the number of the {@code n} training images holding {@code
 * v_j} at {@code j}, the chance that {@code m} images drawn like the training set all agree on it
 * is {@code p_j = ((f_j + 1)/(n + 1))^m}; pixel {@code j} is <em>kept</em> when {@code p_j < α / d}
 * (a Bonferroni bound over the {@code d} pixels), which drops the background pixels that are 0 on
 * nearly every image. Kept pixels weigh {@code w_j = log((n + 1)/(f_j + 1))} (how rare one match
 * is), and training example i scores {@code Σ_{j kept} w_j [x_{i,j} = v_j]}.
 *
 * <p>This reads the inputs only: it does not depend on the model, and finds nothing when the
 * trigger is not a stamp of fixed values (a blended, warped, sample-specific or semantic trigger);
 * then no pixel is kept and every score is 0.
 */
public final class SharedValues {
  private SharedValues() {}

  /**
   * @param features the kept pixels, most significant (rarest) first
   * @param values their shared values, in the same order
   * @param scores one per training example
   */
  public record Match(int[] features, int[] values, double[] scores) {}

  /**
   * @param behavior images, not modified; non-empty
   * @param train images, not modified
   * @param alpha family-wise level of the per-pixel agreement test, in (0, 1]
   * @throws BadInputException if an example is not an image or the sizes differ
   */
  public static Match of(List<Example> behavior, List<Example> train, double alpha) {
    int m = behavior.size();
    int n = train.size();
    int d = behavior.get(0).pixelCount();
    int[] value = new int[d];
    boolean[] shared = new boolean[d];
    for (int j = 0; j < d; j++) {
      value[j] = -1;
    }
    java.util.Arrays.fill(shared, true);
    for (Example e : behavior) {
      check(e, d, "behaviour");
      for (int j = 0; j < d; j++) {
        int v = e.pixel(j);
        if (value[j] < 0) {
          value[j] = v;
        } else if (value[j] != v) {
          shared[j] = false;
        }
      }
    }
    int[] freq = new int[d];
    for (Example e : train) {
      check(e, d, "training");
      for (int j = 0; j < d; j++) {
        if (shared[j] && e.pixel(j) == value[j]) {
          freq[j]++;
        }
      }
    }
    double bound = Math.log(alpha / d);
    double[] weight = new double[d];
    int kept = 0;
    for (int j = 0; j < d; j++) {
      double logShare = Math.log((freq[j] + 1.0) / (n + 1.0));
      if (shared[j] && m * logShare < bound) {
        weight[j] = -logShare;
        kept++;
      }
    }
    int[] features = new int[kept];
    int[] values = new int[kept];
    int[] order = Rankings.descending(weight);
    for (int q = 0; q < kept; q++) {
      features[q] = order[q];
      values[q] = value[order[q]];
    }
    double[] scores = new double[n];
    if (kept > 0) {
      for (int i = 0; i < n; i++) {
        Example e = train.get(i);
        double s = 0;
        for (int q = 0; q < kept; q++) {
          if (e.pixel(features[q]) == values[q]) {
            s += weight[features[q]];
          }
        }
        scores[i] = s;
      }
    }
    return new Match(features, values, scores);
  }

  private static void check(Example e, int d, String which) {
    if (!e.isImage()) {
      throw new BadInputException(
          "option match needs image examples; " + which + " example " + e.id() + " is not one");
    }
    if (e.pixelCount() != d) {
      throw new BadInputException(
          "option match needs images of one size; "
              + which
              + " example "
              + e.id()
              + " has "
              + e.pixelCount()
              + " pixels, not "
              + d);
    }
  }
}
