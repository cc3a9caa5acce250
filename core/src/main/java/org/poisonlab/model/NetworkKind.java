package org.poisonlab.model;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.poisonlab.data.Dataset;

/**
 * The pure-Java layered networks: multinomial logistic regression ({@code logreg}, no hidden layer)
 * and the MLP ({@code mlp}, one or two hidden ReLU layers), trained by {@link Trainers} and stored
 * by {@link ModelFiles}.
 */
final class NetworkKind implements ModelKind {
  private final String name;
  private final String description;

  NetworkKind(String name, String description) {
    this.name = name;
    this.description = description;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public TrainConfig defaults(Dataset.Kind data) {
    return TrainConfig.networkDefaults(name, data);
  }

  @Override
  public Trainer trainer(TrainConfig config) {
    Trainers.validate(config);
    return new Trainer() {
      @Override
      public String model() {
        return name;
      }

      @Override
      public DifferentiableClassifier train(
          Dataset train, long seed, Classifier init, Consumer<String> progress) {
        return Trainers.fit(train, config, seed, init, progress);
      }

      @Override
      public List<Checkpoint> trainWithCheckpoints(
          Dataset train, long seed, Classifier init, Consumer<String> progress) {
        return Trainers.fitWithCheckpoints(train, config, seed, init, progress);
      }
    };
  }

  @Override
  public void save(Classifier model, Path file) {
    ModelFiles.save(model, file);
  }

  @Override
  public boolean reads(Path file) {
    return name.equals(ModelFiles.kindOf(file));
  }

  @Override
  public DifferentiableClassifier load(Path file) {
    return ModelFiles.load(file);
  }
}
