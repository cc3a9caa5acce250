package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * A row's poisoned training set checked against the signed manifest of the clean split.
 *
 * @param verified whether the set matches the manifest and the signature is valid
 * @param signature the signature's state ({@code valid}, ...)
 * @param rootMatch whether the Merkle roots match
 * @param changes examples changed, added, removed and moved, by kind
 * @param poisons poisons in the set
 * @param poisonsCaught poisons among the changed or added examples
 * @param cleanFlagged other changed or added examples
 * @param note what the check can and cannot catch
 */
@JsonPropertyOrder({
  "verified",
  "signature",
  "root_match",
  "changes",
  "poisons",
  "poisons_caught",
  "clean_flagged",
  "note"
})
public record ManifestCheck(
    boolean verified,
    String signature,
    @JsonProperty("root_match") boolean rootMatch,
    Map<String, Integer> changes,
    int poisons,
    @JsonProperty("poisons_caught") int poisonsCaught,
    @JsonProperty("clean_flagged") int cleanFlagged,
    String note) {}
