package org.poisonlab.spark;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.poisonlab.corpus.CorpusReaders;
import org.poisonlab.corpus.CorpusScan;
import org.poisonlab.corpus.CorpusScanSettings;
import org.poisonlab.corpus.CorpusScanSummary;
import org.poisonlab.io.BadInputException;

/**
 * The corpus scan of {@link CorpusScan} as Spark jobs: the same outputs, byte for byte, for the
 * same inputs and settings ({@code summary.json}, {@code flags.jsonl}, {@code clusters.jsonl}).
 * Each input file is a shard and a task of each pass over the documents; inputs and the output
 * folder may be on any file system Hadoop reaches ({@code hdfs://}, {@code s3a://}, {@code file:}).
 * Near-duplicate components, burst candidate strings and templated (prefix, suffix) groups are
 * computed across the cluster. The driver holds aggregates only: the frequent character grams
 * around random-text runs with their counts, the burst strings tested with their documents and
 * counts, the (prefix, suffix) groups of {@code minSupport} documents or more, the documents of
 * each finding; it copies the per-shard output lines into the output files.
 *
 * <p>The work folder {@code OUT/work} is started afresh on every run (Spark retries failed tasks
 * itself); unlike the local scan's, it does not resume a killed scan.
 */
public final class SparkCorpusScan {
  private final JavaSparkContext spark;
  private final CorpusScanSettings settings;
  private final Consumer<String> progress;

  /**
   * @param spark the context the jobs run in (not stopped by the scan)
   * @param progress receives a line per finished stage; null for none
   */
  public SparkCorpusScan(
      JavaSparkContext spark, CorpusScanSettings settings, Consumer<String> progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress == null ? s -> {} : progress;
  }

  /**
   * Scans {@code inputs} into the folder {@code out}. An input's name as given is its documents'
   * lineage file, as in the local scan.
   *
   * @throws BadInputException when there is no input, or one is missing or of an unknown format
   */
  public CorpusScanSummary run(List<String> inputs, String out) throws IOException {
    if (inputs.isEmpty()) {
      throw new BadInputException("no input files");
    }
    for (String in : inputs) {
      check(in);
    }
    SparkScanEngine engine =
        new SparkScanEngine(spark, ScanSettings.of(settings), inputs, out, progress);
    try {
      return CorpusScan.run(engine, settings, progress);
    } catch (RuntimeException e) {
      throw badInputIn(e);
    }
  }

  private void check(String in) throws IOException {
    Path p = new Path(in);
    FileSystem fs = p.getFileSystem(spark.hadoopConfiguration());
    FileStatus st = fs.exists(p) ? fs.getFileStatus(p) : null;
    if (st == null || !st.isFile()) {
      throw new BadInputException(in + ": no such file");
    }
    // the format by the reader's own rule, before any task starts
    if (!in.endsWith(".parquet")) {
      CorpusReaders.open(in, fs.open(p)).close();
    }
  }

  /** A bad input met inside a task reaches the driver wrapped: unwrap it. */
  private static RuntimeException badInputIn(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadInputException b) {
        return b;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e;
  }

  /**
   * The configuration a scan outside {@code spark-submit} starts from: the given master, the driver
   * bound to the loopback address when the master is local, no web UI for local runs.
   */
  public static SparkConf conf(String master) {
    SparkConf c = new SparkConf().setAppName("poisonlab corpus scan").setMaster(master);
    if (master.startsWith("local")) {
      c.set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.enabled", "false");
    }
    return c;
  }
}
