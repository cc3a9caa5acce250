package org.poisonlab.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts floating-point operations per benchmark call, so JMH reports them as a rate: with
 * throughput mode and nanoseconds as the unit, the {@code flops} line reads in GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {
  public long flops;

  @Setup(Level.Iteration)
  public void reset() {
    flops = 0;
  }
}
