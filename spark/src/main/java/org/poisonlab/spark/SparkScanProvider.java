package org.poisonlab.spark;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.poisonlab.corpus.ClusterScanProvider;
import org.poisonlab.corpus.CorpusScanSettings;
import org.poisonlab.corpus.CorpusScanSummary;

/**
 * {@code spark}: the Spark corpus scan for {@code poisonlab corpus scan --spark MASTER}, found
 * through {@link java.util.ServiceLoader}. The calling JVM is the driver (client mode); outside
 * local masters this jar is shipped to the executors.
 */
public final class SparkScanProvider implements ClusterScanProvider {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public CorpusScanSummary scan(
      String master,
      List<String> inputs,
      String out,
      CorpusScanSettings settings,
      Consumer<String> progress)
      throws IOException {
    SparkConf conf = SparkCorpusScan.conf(master);
    if (!master.startsWith("local")) {
      String jar =
          SparkScanProvider.class.getProtectionDomain().getCodeSource().getLocation().toString();
      conf.setJars(new String[] {jar});
    }
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      return new SparkCorpusScan(sc, settings, progress).run(inputs, out);
    }
  }
}
