package org.poisonlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.poisonlab.corpus.ClusterScanProvider;
import org.poisonlab.corpus.CorpusFinding;
import org.poisonlab.corpus.CorpusScan;
import org.poisonlab.corpus.CorpusScanSettings;
import org.poisonlab.corpus.CorpusScanSummary;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab corpus scan}: a label-free scan of a corpus larger than memory. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scan a corpus without labels: exact and MinHash near-duplicates, trigger bursts (a rare n-gram",
      "followed by random text in many documents and sources) and templated injections, each finding",
      "with its p-value. Writes OUT/summary.json, OUT/flags.jsonl and OUT/clusters.jsonl; a killed scan",
      "resumes at its first unfinished shard."
    },
    footer = {
      "%nExamples:",
      "  poisonlab corpus scan --in code-corpus-small --out scan",
      "  poisonlab corpus scan --in train.jsonl test.jsonl --out scan --minhash lee --threads 2 --json",
      "  (--in takes corpus files (.jsonl[.gz|.zst], .parquet, .warc[.gz]), folders of them, or a",
      "  pinned corpus name; each file is a shard; with --spark also URIs the cluster can read)",
      "  --spark needs the poisonlab-spark jar on the class path: see docs/spark.md"
    })
final class CorpusScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--in",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "Corpus files, folders of them, or a pinned corpus name.")
  List<String> in;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(
      names = "--minhash",
      defaultValue = "fineweb",
      paramLabel = "PRESET",
      description =
          "MinHash bands: fineweb (14 x 8 = 112 functions), lee (450 x 20 = 9,000), or BxR"
              + " (default: ${DEFAULT-VALUE}).")
  String minhash;

  @Option(
      names = "--min-similarity",
      defaultValue = "0.8",
      paramLabel = "S",
      description =
          "Signature agreement a band-sharing pair needs to join (default: ${DEFAULT-VALUE}).")
  double minSimilarity;

  @Option(
      names = "--alpha",
      defaultValue = "0.01",
      paramLabel = "A",
      description = "Family-wise error rate of each detector's tests (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(
      names = "--min-sources",
      defaultValue = "3",
      paramLabel = "K",
      description = "Sources a finding's documents must come from (default: ${DEFAULT-VALUE}).")
  int minSources;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Shards scanned at once (default: the processors).")
  Integer threads;

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      description =
          "Run the scan as Spark jobs on this master (local[4], spark://host:7077, yarn); the same"
              + " output files. Needs the poisonlab-spark jar on the class path (docs/spark.md).")
  String spark;

  @Override
  public Integer call() {
    CorpusScanSettings preset = preset(minhash, seed.seed);
    CorpusScanSettings settings;
    try {
      settings =
          new CorpusScanSettings(
              preset.bands(),
              preset.rows(),
              minSimilarity,
              alpha,
              preset.minSupport(),
              minSources,
              seed.seed);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    if (minSources < 1) {
      throw new BadInputException("--min-sources " + minSources + " must be at least 1");
    }
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new BadInputException("--threads " + n + " must be at least 1");
    }
    List<String> names = new ArrayList<>();
    CorpusScanSummary s;
    try {
      if (spark == null) {
        List<Path> inputs = Inputs.corpusFiles(in);
        inputs.forEach(p -> names.add(p.toString()));
        s = new CorpusScan(settings, n, Progress.forTerminal()).run(inputs, out);
      } else {
        ClusterScanProvider provider = clusterScan("spark");
        for (String spec : in) {
          if (spec.contains("://")) {
            names.add(spec);
          } else {
            Inputs.corpusFiles(List.of(spec)).forEach(p -> names.add(p.toString()));
          }
        }
        s = provider.scan(spark, names, out.toString(), settings, Progress.forTerminal());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(s));
    } else {
      o.printf("%,d documents, %,d bytes in %d files%n", s.documents(), s.bytes(), names.size());
      if (s.findings().isEmpty()) {
        o.println("nothing significant: no trigger burst, no templated injection");
      }
      for (CorpusFinding f : s.findings()) {
        o.printf(
            "%s: \"%s\" in %,d documents from %,d sources (p = %.2g)%n",
            f.detector(), f.trigger(), f.documents(), f.sourceCount(), f.pValue());
      }
      o.printf(
          "near-duplicates: %,d clusters holding %,d documents; %,d exact duplicates%n",
          s.nearDuplicateClusters(), s.nearDuplicateDocuments(), s.exactDuplicates());
      if (s.digestRecords() > 0) {
        o.printf(
            "digests checked on %,d of %,d records that carry one%n",
            s.digestsChecked(), s.digestRecords());
      }
      if (s.badRecords() > 0) {
        o.printf(
            "%,d records could not be read, first: %s%n",
            s.badRecords(), s.badRecordsShown().get(0));
      }
      o.println("flags: " + out.resolve("flags.jsonl"));
    }
    o.flush();
    return ExitCodes.OK;
  }

  /**
   * The cluster scan named {@code name}, found through {@link ServiceLoader}: the command line
   * compiles without any cluster library.
   *
   * @throws BadInputException when no jar on the class path provides it
   */
  static ClusterScanProvider clusterScan(String name) {
    for (ClusterScanProvider p : ServiceLoader.load(ClusterScanProvider.class)) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new BadInputException(
        "--"
            + name
            + " needs the poisonlab-"
            + name
            + " jar on the class path (java -cp poisonlab.jar:poisonlab-"
            + name
            + ".jar ...): see docs/spark.md");
  }

  /** A preset name or {@code BxR}. */
  static CorpusScanSettings preset(String name, long seed) {
    switch (name) {
      case "fineweb":
        return CorpusScanSettings.fineweb(seed);
      case "lee":
        return CorpusScanSettings.lee(seed);
      default:
        String[] p = name.split("x");
        try {
          if (p.length == 2) {
            CorpusScanSettings f = CorpusScanSettings.fineweb(seed);
            return new CorpusScanSettings(
                Integer.parseInt(p[0]),
                Integer.parseInt(p[1]),
                f.minSimilarity(),
                f.alpha(),
                f.minSupport(),
                f.minSources(),
                seed);
          }
        } catch (IllegalArgumentException e) {
          // falls through to the message below
        }
        throw new BadInputException(
            "--minhash " + name + " is not fineweb, lee or BANDSxROWS (e.g. 20x5)");
    }
  }
}
