package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * A label-free scan of a corpus larger than memory ({@code poisonlab corpus scan}): exact and
 * near-duplicates, documents injected as a trigger followed by random text (Souly et al. 2025,
 * {@link BurstFindings}) and templated injections ({@link TemplatedFindings}). Each input file is a
 * shard, scanned once in a streaming pass (two when burst candidates need their document
 * frequencies); shards run on {@code threads} threads and their results merge in input order, so
 * the outputs do not depend on the thread count. The passes over the documents go through a {@link
 * ScanEngine}: local threads here, a cluster in the {@code poisonlab-spark} module.
 *
 * <p>Outputs in {@code out}: {@code summary.json}, {@code flags.jsonl} (flagged documents in input
 * order), {@code clusters.jsonl} (documents in near-duplicate clusters, with the smallest document
 * index of their cluster), and the work folder that lets a killed scan resume.
 */
public final class CorpusScan {
  private static final int BAD_SHOWN = 20;

  private final CorpusScanSettings settings;
  private final int threads;
  private final Consumer<String> progress;

  public CorpusScan(CorpusScanSettings settings, int threads, Consumer<String> progress) {
    this.settings = settings;
    this.threads = Math.max(1, threads);
    this.progress = progress == null ? s -> {} : progress;
  }

  /**
   * Scans {@code inputs} into {@code out}.
   *
   * @throws BadInputException when an input is missing or of an unknown format
   */
  public CorpusScanSummary run(List<Path> inputs, Path out) throws IOException {
    for (Path p : inputs) {
      if (!Files.isRegularFile(p)) {
        throw new BadInputException(p, 0, "no such file");
      }
    }
    return run(new LocalScanEngine(inputs, out, settings, threads, progress), settings, progress);
  }

  /**
   * Runs a scan whose passes over the documents {@code engine} makes; the engine writes the output
   * files. The same inputs and settings give the same files on every engine.
   */
  public static CorpusScanSummary run(
      ScanEngine engine, CorpusScanSettings settings, Consumer<String> progress)
      throws IOException {
    Consumer<String> say = progress == null ? s -> {} : progress;
    List<ShardResult> results = engine.scanShards();
    ScanEngine.Duplicates dups = engine.nearDuplicates();
    say.accept(
        String.format(
            "near-duplicates: %,d clusters holding %,d documents; %,d exact duplicates",
            dups.clusters(), dups.clusteredDocuments(), dups.exactDuplicates()));
    BurstFindings.Result burst = new BurstFindings(settings).find(results, engine);
    List<ScanFinding> findings = new ArrayList<>(burst.findings());
    findings.addAll(TemplatedFindings.find(engine, settings));
    findings.sort(
        Comparator.comparingLong((ScanFinding f) -> -f.keys().length)
            .thenComparing(f -> f.finding().detector())
            .thenComparing(f -> f.finding().trigger()));
    say.accept(String.format("%,d findings", findings.size()));
    List<Set<String>> sources = engine.writeDocumentLines(new DocumentLines(findings));
    List<CorpusFinding> named = new ArrayList<>();
    for (int f = 0; f < findings.size(); f++) {
      CorpusFinding c = findings.get(f).finding();
      List<String> all = new ArrayList<>(sources.get(f));
      named.add(
          new CorpusFinding(
              c.detector(),
              c.trigger(),
              c.documents(),
              c.pValue(),
              List.copyOf(all.subList(0, Math.min(CorpusFinding.SOURCES_SHOWN, all.size()))),
              all.size(),
              c.documentFrequency(),
              c.statistic()));
    }
    long documents = 0;
    long bytes = 0;
    long withRuns = 0;
    long bad = 0;
    long records = 0;
    long digestRecords = 0;
    long digestsChecked = 0;
    List<String> badShown = new ArrayList<>();
    for (ShardResult r : results) {
      records += r.read().records();
      digestRecords += r.read().digestRecords();
      digestsChecked += r.read().digestsChecked();
      documents += r.documents();
      bytes += r.bytes();
      withRuns += r.withRuns();
      bad += r.badRecords().size();
      for (BadRecord b : r.badRecords()) {
        if (badShown.size() < BAD_SHOWN) {
          badShown.add(b.describe());
        }
      }
    }
    CorpusScanSummary summary =
        new CorpusScanSummary(
            documents,
            bytes,
            named,
            dups.clusters(),
            dups.clusteredDocuments(),
            dups.exactDuplicates(),
            withRuns,
            burst.tested(),
            records,
            digestRecords,
            digestsChecked,
            bad,
            badShown,
            settings);
    engine.writeSummary(Json.pretty(summary) + "\n");
    return summary;
  }
}
