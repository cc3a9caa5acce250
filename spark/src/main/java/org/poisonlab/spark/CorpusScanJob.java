package org.poisonlab.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.poisonlab.corpus.CorpusScanSettings;
import org.poisonlab.corpus.CorpusScanSummary;
import org.poisonlab.io.BadInputException;

/**
 * The Spark corpus scan from the command line, for {@code spark-submit}:
 *
 * <pre>
 * spark-submit --class org.poisonlab.spark.CorpusScanJob poisonlab-spark.jar \
 *     [--seed S] [--preset fineweb|lee|BxR] [--min-similarity S] [--alpha A] [--min-sources K] \
 *     [--master M] [--stages] --out DIR IN...
 * </pre>
 *
 * Writes the same files as {@code poisonlab corpus scan --out DIR IN...} given the same input
 * names. An input with a glob ({@code hdfs:///crawl/*.jsonl}) stands for the files it matches,
 * sorted. {@code --master} is for runs without {@code spark-submit}; the job prints the scan's wall
 * time (without Spark's start-up) on standard error, and with {@code --stages} a table of its
 * stages (tasks, seconds, shuffle bytes). Exit code 2 and one line for bad usage or input.
 */
public final class CorpusScanJob {
  private CorpusScanJob() {}

  public static void main(String[] args) throws IOException {
    String out = null;
    String master = null;
    String preset = "fineweb";
    long seed = 0;
    Double minSimilarity = null;
    Double alpha = null;
    Integer minSources = null;
    boolean stages = false;
    List<String> inputs = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--out" -> out = value(args, ++i);
          case "--master" -> master = value(args, ++i);
          case "--preset" -> preset = value(args, ++i);
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "--min-similarity" -> minSimilarity = Double.parseDouble(value(args, ++i));
          case "--alpha" -> alpha = Double.parseDouble(value(args, ++i));
          case "--min-sources" -> minSources = Integer.parseInt(value(args, ++i));
          case "--stages" -> stages = true;
          default -> {
            if (args[i].startsWith("--")) {
              throw new BadInputException("unknown option " + args[i]);
            }
            inputs.add(args[i]);
          }
        }
      }
      if (out == null || inputs.isEmpty()) {
        throw new BadInputException(
            "usage: CorpusScanJob [--seed S] [--preset fineweb|lee|BxR] [--min-similarity S]"
                + " [--alpha A] [--min-sources K] [--master M] [--stages] --out DIR IN...");
      }
      CorpusScanSettings settings = settings(preset, seed, minSimilarity, alpha, minSources);
      SparkConf conf =
          master == null
              ? new SparkConf().setAppName("poisonlab corpus scan")
              : SparkCorpusScan.conf(master);
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        StageReport report = new StageReport();
        if (stages) {
          sc.sc().addSparkListener(report);
        }
        long t0 = System.nanoTime();
        List<String> files = expand(inputs, sc.hadoopConfiguration());
        CorpusScanSummary s =
            new SparkCorpusScan(sc, settings, System.err::println).run(files, out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "scan took %.2f s%n", seconds);
        if (stages) {
          report.print(System.err);
        }
        System.out.printf(
            Locale.ROOT,
            "%d documents, %d bytes: %d findings, %d near-duplicate clusters; wrote %s%n",
            s.documents(),
            s.bytes(),
            s.findings().size(),
            s.nearDuplicateClusters(),
            out);
      }
    } catch (BadInputException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (NumberFormatException e) {
      System.err.println("not a number: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * A preset ({@code fineweb}, {@code lee} or {@code BxR} bands and rows with fineweb's other
   * values) with the values given instead of its own (null: the preset's).
   *
   * @throws BadInputException for an unknown preset or a value out of range
   */
  static CorpusScanSettings settings(
      String preset, long seed, Double minSimilarity, Double alpha, Integer minSources) {
    CorpusScanSettings p;
    if (preset.equals("fineweb")) {
      p = CorpusScanSettings.fineweb(seed);
    } else if (preset.equals("lee")) {
      p = CorpusScanSettings.lee(seed);
    } else if (preset.matches("[0-9]+x[0-9]+")) {
      String[] br = preset.split("x");
      p = CorpusScanSettings.fineweb(seed);
      p =
          settingsOf(
              Integer.parseInt(br[0]),
              Integer.parseInt(br[1]),
              p.minSimilarity(),
              p.alpha(),
              p.minSupport(),
              p.minSources(),
              seed);
    } else {
      throw new BadInputException("unknown preset " + preset + " (fineweb, lee or BxR, e.g. 20x5)");
    }
    if (minSources != null && minSources < 1) {
      throw new BadInputException("--min-sources " + minSources + " must be at least 1");
    }
    return settingsOf(
        p.bands(),
        p.rows(),
        minSimilarity == null ? p.minSimilarity() : minSimilarity,
        alpha == null ? p.alpha() : alpha,
        p.minSupport(),
        minSources == null ? p.minSources() : minSources,
        seed);
  }

  private static CorpusScanSettings settingsOf(
      int bands,
      int rows,
      double minSimilarity,
      double alpha,
      int minSupport,
      int minSources,
      long seed) {
    try {
      return new CorpusScanSettings(
          bands, rows, minSimilarity, alpha, minSupport, minSources, seed);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /**
   * Inputs with a glob ({@code *}, {@code ?}, {@code [}, {@code {}) replaced by the files they match
   * on their file system, sorted by path (each named by its full URI); other inputs as given.
   */
  static List<String> expand(List<String> inputs, Configuration conf) throws IOException {
    List<String> files = new ArrayList<>();
    for (String in : inputs) {
      if (!in.matches(".*[*?\\[{].*")) {
        files.add(in);
        continue;
      }
      Path p = new Path(in);
      FileStatus[] found = p.getFileSystem(conf).globStatus(p);
      List<String> matched = new ArrayList<>();
      for (FileStatus f : found == null ? new FileStatus[0] : found) {
        if (f.isFile()) {
          matched.add(f.getPath().toString());
        }
      }
      if (matched.isEmpty()) {
        throw new BadInputException(in + ": no file matches");
      }
      matched.sort(null);
      files.addAll(matched);
    }
    return files;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new BadInputException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
