package org.poisonlab.corpus;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How a corpus scan runs.
 *
 * @param bands MinHash bands ({@code b})
 * @param rows rows per band ({@code r}); the signature has {@code b · r} entries
 * @param minSimilarity the signature agreement a candidate pair needs to join a cluster (0.8 in the
 *     presets, the Jaccard threshold of Lee et al. 2022)
 * @param alpha the family-wise error rate of the burst tests (Bonferroni)
 * @param minSupport the fewest documents a burst candidate needs to be tested
 * @param minSources the fewest sources a burst finding's documents must come from: an n-gram that
 *     opens random-looking text within one or two sources is usually their file format (keyword
 *     tables, word lists), while injected documents are written into many sources
 * @param seed the seed of the MinHash functions
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CorpusScanSettings(
    int bands,
    int rows,
    double minSimilarity,
    double alpha,
    int minSupport,
    int minSources,
    long seed) {
  /** FineWeb's preset: 112 hash functions in 14 bands of 8 (Penedo et al. 2024). */
  public static CorpusScanSettings fineweb(long seed) {
    return new CorpusScanSettings(14, 8, 0.8, 0.01, 5, 3, seed);
  }

  /** Lee et al. 2022's preset: 9,000 hash functions in 450 bands of 20. */
  public static CorpusScanSettings lee(long seed) {
    return new CorpusScanSettings(450, 20, 0.8, 0.01, 5, 3, seed);
  }

  public CorpusScanSettings {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException("bands " + bands + " and rows " + rows + " must be ≥ 1");
    }
    if (!(minSimilarity > 0 && minSimilarity <= 1)) {
      throw new IllegalArgumentException("min similarity " + minSimilarity + " not in (0, 1]");
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha " + alpha + " not in (0, 1)");
    }
  }

  int signatureLength() {
    return bands * rows;
  }
}
