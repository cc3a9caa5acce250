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

  /**
   * What this detector computes that other detectors of a scan may share (a trained model, a
   * cross-validation), or null for nothing. A scan of several detectors runs each shared
   * computation once, ahead of the detectors that need it; {@link #scan} must give the same result
   * whether or not it ran.
   *
   * @param train not modified
   */
  default Shared shared(Dataset train, ScanContext context) {
    return null;
  }

  /**
   * A computation detectors share, named by a key equal for every detector that shares it.
   *
   * @param compute fills the cache the detectors read
   * @param after a shared computation {@code compute} starts with (it runs first), or null
   */
  record Shared(String key, Runnable compute, Shared after) {}
}
