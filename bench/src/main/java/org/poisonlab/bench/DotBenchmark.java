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
import org.poisonlab.linalg.Vectors;

/** How much faster is the Vector API dot product than a plain scalar loop? (GFLOP/s in flops) */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dpoisonlab.kernels=vector"})
public class DotBenchmark {
  @Param({"64", "784", "4096", "262144"})
  public int n;

  private double[] x;
  private double[] y;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(1);
    x = rng.doubles(n, -1, 1).toArray();
    y = rng.doubles(n, -1, 1).toArray();
  }

  @Benchmark
  public double vectorApi(Flops f) {
    f.flops += 2L * n;
    return Vectors.dot(x, y);
  }

  @Benchmark
  public double scalarLoop(Flops f) {
    f.flops += 2L * n;
    return Vectors.dotScalar(x, y);
  }
}
