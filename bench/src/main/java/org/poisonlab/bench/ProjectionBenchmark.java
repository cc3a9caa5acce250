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
import org.poisonlab.linalg.RandomProjection;

/**
 * How fast is TRAK's seeded Rademacher projection of one gradient, generating its columns on the
 * fly, on one thread and on all cores? (Throughput in projected nonzeros × k "flops": one add per
 * entry of P used.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dpoisonlab.kernels=vector"})
public class ProjectionBenchmark {
  /** Nonzeros of the gradient: a text logreg row (600), an MLP gradient (50,000). */
  @Param({"600", "50000"})
  public int nonzeros;

  @Param({"512", "2048"})
  public int k;

  private double[] g;
  private double[] out;
  private RandomProjection one;
  private RandomProjection all;
  private double[] rows;
  private double[] block;
  private double[] product;

  @Setup
  public void setUp() {
    int p = 1 << 19;
    SplittableRandom rng = new SplittableRandom(1);
    g = new double[p];
    for (int q = 0; q < nonzeros; q++) {
      g[rng.nextInt(p)] = rng.nextGaussian();
    }
    out = new double[k];
    one = RandomProjection.of(RandomProjection.Kind.RADEMACHER, p, k, 7, 1);
    all = RandomProjection.of(RandomProjection.Kind.RADEMACHER, p, k, 7, 0);
    rows = new double[BATCH * WIDTH];
    for (int q = 0; q < rows.length; q++) {
      rows[q] = rng.nextDouble();
    }
    block = new double[WIDTH * k];
    product = new double[BATCH * k];
  }

  /** Rows of the batched TRAK path: a batch of 256 inputs of a 784-wide layer. */
  private static final int BATCH = 256;

  private static final int WIDTH = 784;

  /**
   * TRAK's batched path for one weight row of a 784-input layer: generate the 784 columns of P that
   * row covers, then one product of 256 inputs with them (all cores). Flops: 2·256·784·k for the
   * product; the generation is counted as free. Independent of {@code nonzeros}.
   */
  @Benchmark
  public double[] columnBlockProduct(Flops f) {
    f.flops += 2L * BATCH * WIDTH * k;
    all.columnBlock(0, WIDTH, block, 0);
    return Matrices.multiply(rows, 0, block, 0, BATCH, WIDTH, k, product, 0, 0);
  }

  @Benchmark
  public double[] oneThread(Flops f) {
    f.flops += (long) nonzeros * k;
    return one.project(g, out, 0);
  }

  @Benchmark
  public double[] allCores(Flops f) {
    f.flops += (long) nonzeros * k;
    return all.project(g, out, 0);
  }
}
