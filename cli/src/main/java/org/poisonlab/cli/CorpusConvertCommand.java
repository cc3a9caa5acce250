package org.poisonlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.poisonlab.corpus.CorpusConvert;
import org.poisonlab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab corpus convert}: a corpus written in another format, lineage kept. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Write a corpus in another format: each input file becomes a file of the same stem with the new",
      "ending in OUT, documents in order with their id, URL, source, digest and fetch time."
    },
    footer = {
      "%nExamples:",
      "  poisonlab corpus convert --in code-corpus-small --out warc --to .warc.gz",
      "  poisonlab corpus convert --in train.jsonl test.jsonl --out parquet --to .parquet --json"
    })
final class CorpusConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
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
      names = "--to",
      required = true,
      paramLabel = "ENDING",
      description = ".jsonl, .jsonl.gz, .jsonl.zst, .parquet, .warc or .warc.gz.")
  String to;

  @Override
  public Integer call() {
    CorpusConvert.Result r;
    try {
      r = CorpusConvert.run(Inputs.corpusFiles(in), out, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrintWriter o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(r));
    } else {
      o.printf("%,d documents in %d files under %s%n", r.documents(), r.outputs().size(), out);
      if (r.badRecords() > 0) {
        o.printf("%,d input records could not be read and were not written%n", r.badRecords());
      }
    }
    o.flush();
    return ExitCodes.OK;
  }
}
