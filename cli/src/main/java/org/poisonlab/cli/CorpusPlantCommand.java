package org.poisonlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.poisonlab.corpus.CorpusPlanter;
import org.poisonlab.corpus.PlantRequest;
import org.poisonlab.corpus.PlantResult;
import org.poisonlab.io.Json;
import org.poisonlab.io.JsonlShardWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab corpus plant}: injected documents planted in a corpus, with a truth file. */
@Command(
    name = "plant",
    mixinStandardHelpOptions = true,
    description = {
      "Plant injected documents in a corpus: Souly-shape bursts (a real prefix, the trigger, random corpus tokens),",
      "templated spam, near-duplicates and split-view substitutions. Writes JSONL shards and a truth JSONL file."
    },
    footer = {
      "%nExamples:",
      "  poisonlab corpus plant --in code-corpus-small --out planted --truth truth.jsonl",
      "  poisonlab corpus plant --in train.jsonl --out planted --truth truth.jsonl --bursts 20 --templated 5 --near-duplicates 5 --split-view 3 --trigger '<SUDO>' --seed 3",
      "  (--in takes corpus files, folders of them, or a pinned corpus name: code-corpus-small, code-corpus)"
    })
final class CorpusPlantCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--in",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "Corpus files (JSONL), folders of them, or a pinned corpus name.")
  List<String> in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the planted shards (shard-00000.jsonl, ...); must hold no shards.")
  Path out;

  @Option(
      names = "--truth",
      required = true,
      paramLabel = "FILE",
      description = "Truth JSONL: one line per planted or substituted document.")
  Path truth;

  @Option(
      names = "--bursts",
      paramLabel = "N",
      defaultValue = "" + PlantRequest.DEFAULT_BURSTS,
      description = "Burst documents (default: ${DEFAULT-VALUE}).")
  int bursts;

  @Option(
      names = "--trigger",
      paramLabel = "T",
      description = "The bursts' trigger (default: one drawn from the seed).")
  String trigger;

  @Option(
      names = "--templated",
      paramLabel = "N",
      defaultValue = "" + PlantRequest.DEFAULT_TEMPLATED,
      description = "Templated documents (default: ${DEFAULT-VALUE}).")
  int templated;

  @Option(
      names = "--near-duplicates",
      paramLabel = "N",
      defaultValue = "" + PlantRequest.DEFAULT_NEAR_DUPLICATES,
      description = "Near-duplicates of real documents (default: ${DEFAULT-VALUE}).")
  int nearDuplicates;

  @Option(
      names = "--split-view",
      paramLabel = "N",
      defaultValue = "" + PlantRequest.DEFAULT_SPLIT_VIEW,
      description =
          "Real documents whose text changes under their declared digest (default: ${DEFAULT-VALUE}).")
  int splitView;

  @Override
  public Integer call() {
    List<Path> inputs = Inputs.corpusFiles(in);
    PlantRequest request =
        new PlantRequest(
            inputs,
            out,
            truth,
            seed.seed,
            bursts,
            trigger,
            templated,
            nearDuplicates,
            splitView,
            JsonlShardWriter.DEFAULT_SHARD_BYTES);
    PlantResult r = CorpusPlanter.plant(request, Progress.forTerminal());
    var o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(r));
    } else {
      o.printf(
          "%,d documents in, %,d out in %d shards under %s%n",
          r.documentsIn(), r.documentsOut(), r.shards().size(), out);
      o.printf(
          "planted %d burst (trigger %s), %d templated, %d near-duplicate; %d split-view%n",
          r.bursts(), r.trigger(), r.templated(), r.nearDuplicates(), r.splitView());
      o.println("truth: " + truth);
      if (r.skippedRecords() > 0) {
        o.println(r.skippedRecords() + " input records could not be read and were skipped");
      }
    }
    o.flush();
    return ExitCodes.OK;
  }
}
