package org.poisonlab.model;

/**
 * Stochastic gradient descent with heavy-ball momentum (Polyak, 1964; in the form of Sutskever et
 * al., ICML 2013): {@code v ← μ v − η g}, {@code θ ← θ + v}, with μ = 0.9.
 */
final class Momentum implements MiniBatch.Step {
  private static final double MU = 0.9;
  private final double[] velocity;

  Momentum(int parameters) {
    velocity = new double[parameters];
  }

  @Override
  public void update(double[] w, double[] g, double rate) {
    for (int i = 0; i < w.length; i++) {
      double vi = MU * velocity[i] - rate * g[i];
      velocity[i] = vi;
      w[i] += vi;
    }
  }
}
