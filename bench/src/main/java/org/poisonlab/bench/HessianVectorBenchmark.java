package org.poisonlab.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.CurvatureOperator;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * How long one exact Hessian-vector product (R-operator) takes over a training set: logistic
 * regression on dense images, on hashed text (sparse), and an MLP on images. Synthetic data of
 * Fashion-MNIST's and SpamAssassin's shapes, so it runs without a download.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class HessianVectorBenchmark {
  @Param({"logreg-dense", "logreg-sparse", "mlp-dense"})
  public String model;

  @Param({"5000"})
  public int n;

  private CurvatureOperator op;
  private double[] v;
  private double[] out;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(1);
    java.util.List<Example> ex = new java.util.ArrayList<>();
    boolean text = model.equals("logreg-sparse");
    for (int i = 0; i < n; i++) {
      String label = Integer.toString(i % (text ? 2 : 10));
      if (text) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < 120; w++) {
          sb.append("w").append(rng.nextInt(20_000)).append(' ');
        }
        ex.add(Example.ofText(sb.toString(), label, null));
      } else {
        byte[] px = new byte[784];
        for (int j = 0; j < 784; j++) {
          px[j] = rng.nextInt(2) == 0 ? 0 : (byte) rng.nextInt(256);
        }
        ex.add(Example.ofImage(px, new int[] {28, 28}, label, null));
      }
    }
    Dataset d = new Dataset("synthetic", ex);
    TrainConfig c =
        model.equals("mlp-dense")
            ? new TrainConfig("mlp", "adam", new int[] {256}, 1, 128, 1e-3, 1e-4, 10, 1 << 18, 0)
            : TrainConfig.defaults("logreg", text ? Dataset.Kind.TEXT : Dataset.Kind.IMAGE)
                .withMaxIterations(5);
    DifferentiableClassifier m = Trainers.train(d, c, 0, null, null);
    op = m.curvature(d.examples(), m.labelIndices(d.examples()), false);
    v = new double[m.parameterCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextGaussian();
    }
    out = new double[v.length];
  }

  @Benchmark
  public double[] hessianVector() {
    return op.apply(v, out);
  }
}
