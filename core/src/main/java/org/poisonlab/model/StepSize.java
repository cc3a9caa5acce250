package org.poisonlab.model;

/**
 * The learning-rate schedule of the built-in mini-batch trainer (logistic regression and the MLP)
 * and of the code language model's fine-tuning: a cosine decay from the configured rate to zero
 * over all steps (Loshchilov and Hutter, "SGDR", ICLR 2017, without restarts), so that a model ends
 * at a settled point rather than one full step away from it. The deep classifiers keep their rate.
 */
public final class StepSize {
  private StepSize() {}

  /**
   * Step {@code step}'s (0-based) rate of {@code steps}: {@code peak · ½ (1 + cos(π step /
   * steps))}, from {@code peak} at the first step towards 0 after the last.
   */
  public static double cosine(double peak, long step, long steps) {
    if (steps <= 0 || step < 0 || step >= steps) {
      throw new IllegalArgumentException("step " + step + " outside 0.." + (steps - 1));
    }
    return peak * 0.5 * (1 + Math.cos(Math.PI * step / steps));
  }
}
