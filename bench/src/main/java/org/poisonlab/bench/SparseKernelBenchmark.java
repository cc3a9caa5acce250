package org.poisonlab.bench;

import java.util.Arrays;
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
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.Matrices;

/**
 * How fast are the sparse products of hashed-text training: rows of a CSR matrix (2^18 columns)
 * times dense weight rows (forward), and the transposed product that gives the gradient? (GFLOP/s
 * in flops, counting 2 per stored entry and output column)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SparseKernelBenchmark {
  private static final int COLS = 1 << 18;
  private static final int ROWS = 512;

  @Param({"100", "1000"})
  public int entriesPerRow;

  @Param({"2", "32"})
  public int outputs;

  @Param({"1", "2"})
  public int threads;

  private CsrMatrix s;
  private double[] w;
  private double[] z;
  private double[] g;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(3);
    int[] ptr = new int[ROWS + 1];
    int[] col = new int[ROWS * entriesPerRow];
    double[] val = new double[col.length];
    for (int i = 0; i < ROWS; i++) {
      int[] cs =
          rng.ints(entriesPerRow * 2L, 0, COLS).distinct().limit(entriesPerRow).sorted().toArray();
      System.arraycopy(cs, 0, col, i * entriesPerRow, cs.length);
      ptr[i + 1] = ptr[i] + cs.length;
    }
    col = Arrays.copyOf(col, ptr[ROWS]);
    val = rng.doubles(col.length, -1, 1).toArray();
    s = new CsrMatrix(ROWS, COLS, ptr, col, val);
    w = rng.doubles((long) outputs * COLS, -0.1, 0.1).toArray();
    z = new double[ROWS * outputs];
    g = new double[outputs * COLS];
  }

  @Benchmark
  public double[] forward(Flops f) {
    f.flops += 2L * s.nonZeros() * outputs;
    return Matrices.multiplyTransB(s, w, 0, outputs, z, 0, threads);
  }

  @Benchmark
  public double[] gradient(Flops f) {
    f.flops += 2L * s.nonZeros() * outputs;
    return Matrices.multiplyTransA(z, 0, outputs, s, g, 0, threads);
  }
}
