package org.poisonlab.corpus;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A significant finding of a corpus scan.
 *
 * @param detector {@code trigger-burst} or {@code templated}
 * @param trigger the n-gram the finding is about, as it appears in the first document
 * @param documents documents flagged by the finding
 * @param pValue the Bonferroni-adjusted p-value of the finding's statistic
 * @param sources the flagged documents' sources, sorted (at most {@link #SOURCES_SHOWN})
 * @param sourceCount how many sources in all
 * @param documentFrequency documents that contain the trigger anywhere
 * @param statistic what was tested, in words
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CorpusFinding(
    String detector,
    String trigger,
    long documents,
    double pValue,
    List<String> sources,
    int sourceCount,
    long documentFrequency,
    String statistic) {
  /** The most sources a finding lists. */
  public static final int SOURCES_SHOWN = 50;
}
