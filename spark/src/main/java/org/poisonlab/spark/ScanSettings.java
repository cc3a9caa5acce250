package org.poisonlab.spark;

import java.io.Serializable;
import org.poisonlab.corpus.CorpusScanSettings;

/** The scan's settings in a form tasks can receive. */
record ScanSettings(
    int bands,
    int rows,
    double minSimilarity,
    double alpha,
    int minSupport,
    int minSources,
    long seed)
    implements Serializable {
  static ScanSettings of(CorpusScanSettings s) {
    return new ScanSettings(
        s.bands(),
        s.rows(),
        s.minSimilarity(),
        s.alpha(),
        s.minSupport(),
        s.minSources(),
        s.seed());
  }

  CorpusScanSettings settings() {
    return new CorpusScanSettings(bands, rows, minSimilarity, alpha, minSupport, minSources, seed);
  }
}
