package org.poisonlab.corpus;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A corpus scan on a cluster, found through {@link java.util.ServiceLoader} when its jar is on the
 * class path ({@code poisonlab-spark} provides {@code spark}), so that the command line compiles
 * without any cluster library. Its outputs are the same files as {@link CorpusScan}'s.
 */
public interface ClusterScanProvider {
  /** The name a user picks it by, e.g. {@code spark}. */
  String name();

  /**
   * Scans {@code inputs} (paths or URIs the cluster can read) into the folder {@code out}.
   *
   * @param master where the cluster runs (for Spark: {@code local[4]}, {@code spark://host:7077},
   *     {@code yarn}, …)
   * @throws org.poisonlab.io.BadInputException when an input is missing or of an unknown format
   */
  CorpusScanSummary scan(
      String master,
      List<String> inputs,
      String out,
      CorpusScanSettings settings,
      Consumer<String> progress)
      throws IOException;
}
