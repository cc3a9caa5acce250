package org.poisonlab.experiment;

import java.security.KeyPair;
import java.security.PublicKey;
import org.poisonlab.data.Dataset;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.eval.Metrics;
import org.poisonlab.model.Classifier;
import org.poisonlab.provenance.Manifest;
import org.poisonlab.provenance.Manifests;
import org.poisonlab.provenance.Signatures;

/**
 * A dataset, its splits, the model family used on it, and its clean model and manifest, built on
 * first use (under a lock, so a setting may be shared by rows running side by side).
 */
final class DemoSetting {
  final String dataset;
  final String model;
  final Dataset train;
  final Dataset test;
  private final DemoRun run;
  private Classifier clean;
  private int[] cleanPredictions;
  private int[] truth;
  private double cleanAccuracy;
  private Manifest manifest;

  /** Signs the manifest; made fresh for every run, never written. */
  private KeyPair signingKey;

  DemoSetting(DemoRun run, String dataset, String model, Dataset train, Dataset test) {
    this.run = run;
    this.dataset = dataset;
    this.model = model;
    this.train = train;
    this.test = test;
  }

  DemoSetting withModel(String m) {
    return new DemoSetting(run, dataset, m, train, test);
  }

  /** The signed manifest of the clean training split, what its curator would publish. */
  synchronized Manifest manifest() {
    if (manifest == null) {
      signingKey = Signatures.generate();
      run.progress(dataset + ": signing the manifest of the clean training split");
      manifest = Manifests.sign(Manifests.of(train), signingKey.getPrivate());
    }
    return manifest;
  }

  /** The key that verifies {@link #manifest}. */
  synchronized PublicKey manifestKey() {
    manifest();
    return signingKey.getPublic();
  }

  synchronized Classifier clean() {
    if (clean == null) {
      run.progress(dataset + ": training the clean " + model);
      clean = run.train(this, train, "clean", 0);
      cleanPredictions = clean.predict(test.examples());
      truth = Evaluation.truthIndices(clean, test);
      cleanAccuracy = Metrics.accuracy(cleanPredictions, truth);
    }
    return clean;
  }

  int[] cleanPredictions() {
    clean();
    return cleanPredictions;
  }

  int[] truth() {
    clean();
    return truth;
  }

  double cleanAccuracy() {
    clean();
    return cleanAccuracy;
  }
}
