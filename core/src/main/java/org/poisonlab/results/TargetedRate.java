package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The attack success rate of a targeted attack, written inline where a study row has one.
 *
 * @param attackSuccessRate the share of triggered non-target inputs classified as the target; null
 *     when there were no such inputs (written as null)
 */
public record TargetedRate(@JsonProperty("attack_success_rate") Double attackSuccessRate) {}
