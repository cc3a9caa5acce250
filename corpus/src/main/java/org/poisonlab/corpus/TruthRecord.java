package org.poisonlab.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of a planting's truth file. Fields that do not apply to a kind are left out.
 *
 * @param recordId the planted (or substituted) document's id
 * @param kind {@code burst}, {@code templated}, {@code near_duplicate} or {@code split_view}
 * @param source the source the document was written under
 * @param trigger a burst's trigger
 * @param template a templated document's template id
 * @param originalId the real document a near-duplicate copies or a split view replaces
 * @param jaccard a near-duplicate's word-5-gram Jaccard similarity to its original
 * @param declaredDigest a split view's declared (original) digest
 * @param actualDigest a split view's digest of the text it now holds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "record_id",
  "kind",
  "source",
  "trigger",
  "template",
  "original_id",
  "jaccard",
  "declared_digest",
  "actual_digest"
})
record TruthRecord(
    @JsonProperty("record_id") String recordId,
    String kind,
    String source,
    String trigger,
    String template,
    @JsonProperty("original_id") String originalId,
    Double jaccard,
    @JsonProperty("declared_digest") String declaredDigest,
    @JsonProperty("actual_digest") String actualDigest) {}
