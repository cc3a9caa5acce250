package org.poisonlab.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.poisonlab.linalg.Matrices;

/**
 * How fast is the dense product that dominates training, {@code C[m×n] = A[m×k] · B[k×n]} (a batch
 * of inputs times transposed weights; the weight gradient has the same form), on the Vector API
 * versus its scalar twin, on one and two threads? (GFLOP/s in flops)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TrainingKernelBenchmark {
  /** batch x inputs x outputs: logreg and MLP layers on 28x28 images. */
  @Param({"128x784x16", "128x784x256", "128x256x16"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private int m;
  private int k;
  private int n;
  private double[] a;
  private double[] b;
  private double[] c;

  @Setup
  public void setUp() {
    String[] p = shape.split("x");
    m = Integer.parseInt(p[0]);
    k = Integer.parseInt(p[1]);
    n = Integer.parseInt(p[2]);
    SplittableRandom rng = new SplittableRandom(2);
    a = rng.doubles((long) m * k, 0, 1).toArray();
    b = rng.doubles((long) k * n, -0.1, 0.1).toArray();
    c = new double[m * n];
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dpoisonlab.kernels=vector"})
  public double[] vectorApi(Flops f) {
    f.flops += 2L * m * n * k;
    return Matrices.multiply(a, 0, b, 0, m, k, n, c, 0, threads);
  }

  @Benchmark
  @Fork(
      value = 1,
      jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dpoisonlab.kernels=scalar"})
  public double[] scalarTwin(Flops f) {
    f.flops += 2L * m * n * k;
    return Matrices.multiply(a, 0, b, 0, m, k, n, c, 0, threads);
  }
}
