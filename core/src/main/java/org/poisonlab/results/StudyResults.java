package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A study recipe's {@code results.json}.
 *
 * @param recipe the recipe's name
 * @param model the model family
 * @param seeds every seed run
 * @param purge what flags remove: {@code example} or {@code source}
 * @param datasets each dataset's content hashes and sizes as used
 * @param runs one entry per seed, dataset, attack and budget
 */
@JsonPropertyOrder({"recipe", "model", "seeds", "purge", "datasets", "runs"})
public record StudyResults(
    String recipe,
    String model,
    List<Long> seeds,
    String purge,
    List<StudyDataset> datasets,
    List<StudyRun> runs) {

  /**
   * A dataset of a study, as used (after any limit).
   *
   * @param name its name in the recipe
   * @param train the training split's content hash
   * @param trainSize its examples
   * @param test the test split's content hash
   * @param testSize its examples
   */
  @JsonPropertyOrder({"name", "train", "train_size", "test", "test_size"})
  public record StudyDataset(
      String name,
      String train,
      @JsonProperty("train_size") int trainSize,
      String test,
      @JsonProperty("test_size") int testSize) {}
}
