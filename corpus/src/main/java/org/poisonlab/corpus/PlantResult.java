package org.poisonlab.corpus;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What {@link CorpusPlanter#plant} wrote.
 *
 * @param documentsIn real documents read
 * @param documentsOut documents written (real plus planted)
 * @param trigger the burst trigger used
 * @param templateId the id of the templated injection's template, or null when none was planted
 * @param shards the output shards' file names, in order
 * @param skippedRecords input records that could not be read (skipped, as the reader reports)
 */
@JsonPropertyOrder({
  "documents_in",
  "documents_out",
  "bursts",
  "templated",
  "near_duplicates",
  "split_view",
  "trigger",
  "template",
  "shards",
  "skipped_records"
})
public record PlantResult(
    @JsonProperty("documents_in") long documentsIn,
    @JsonProperty("documents_out") long documentsOut,
    int bursts,
    int templated,
    @JsonProperty("near_duplicates") int nearDuplicates,
    @JsonProperty("split_view") int splitView,
    String trigger,
    @JsonProperty("template") String templateId,
    List<String> shards,
    @JsonProperty("skipped_records") long skippedRecords) {
  public PlantResult {
    shards = List.copyOf(shards);
  }
}
