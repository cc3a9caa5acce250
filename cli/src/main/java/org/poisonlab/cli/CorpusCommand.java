package org.poisonlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code poisonlab corpus}: commands over document corpora larger than memory. */
@Command(
    name = "corpus",
    mixinStandardHelpOptions = true,
    description =
        "Document corpora larger than memory: scan without labels, purge what a scan flagged, plant"
            + " injected documents with their truth.",
    footer = {
      "%nExample:%n  poisonlab corpus plant --in train.jsonl --out planted --truth truth.jsonl --bursts 10 --templated 5"
    },
    subcommands = {
      CorpusScanCommand.class,
      CorpusPurgeCommand.class,
      CorpusConvertCommand.class,
      CorpusPlantCommand.class
    })
final class CorpusCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
