package org.poisonlab.defense;

import org.poisonlab.data.Dataset;

/**
 * A poison detector over a training set: it scores every example (higher = more suspicious) and
 * flags the ones it would remove. Open for researchers to implement; the built-in ones come from
 * {@link Detectors}.
 */
public interface Detector {
  /** The name used on the command line ({@code --detector NAME}) and in scan files. */
  String name();

  /** Whether this detector can run on this kind of data (e.g. n-gram scans need text). */
  boolean appliesTo(Dataset train);

  /**
   * Scores every example of {@code train}.
   *
   * @param train not modified
   * @param context seed, an optional trained model, progress
   * @return one score per example, in dataset order
   */
  Detection scan(Dataset train, ScanContext context);
}
