package org.poisonlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.DatasetDescription;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.io.BadInputException;

/**
 * Dataset arguments: a JSONL file, or {@code NAME:SPLIT} of a pinned dataset, fetched as needed;
 * corpus arguments: files, folders of them, or a pinned corpus's name.
 */
final class Inputs {
  private Inputs() {}

  /** The dataset in memory, for commands that need every example at once. */
  static Dataset dataset(String spec) {
    return PinnedDatasets.resolve(spec, PinnedDatasets.home(), Progress.forTerminal());
  }

  /** The dataset read one pass at a time, for commands that read it once in order. */
  static ExampleSource source(String spec) {
    return PinnedDatasets.resolveSource(spec, PinnedDatasets.home(), Progress.forTerminal());
  }

  /** Corpus arguments in order, each expanded by {@link #expand}. */
  static List<Path> corpusFiles(List<String> specs) {
    List<Path> out = new ArrayList<>();
    for (String s : specs) {
      out.addAll(expand(s));
    }
    return out;
  }

  /** A file; a folder's corpus files in name order; or a pinned corpus's shards. */
  private static List<Path> expand(String spec) {
    Path p = Path.of(spec);
    if (Files.isDirectory(p)) {
      try (Stream<Path> s = Files.list(p)) {
        List<Path> files =
            s.filter(Files::isRegularFile).filter(Inputs::isCorpusFile).sorted().toList();
        if (files.isEmpty()) {
          throw new BadInputException(p, 0, "holds no corpus files (.jsonl)");
        }
        return files;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + p + ": " + e.getMessage(), e);
      }
    }
    if (!Files.exists(p) && isPinnedCorpus(spec)) {
      return PinnedDatasets.corpus(spec, PinnedDatasets.home(), Progress.forTerminal()).shards();
    }
    return List.of(p);
  }

  private static boolean isCorpusFile(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".jsonl")
        || n.endsWith(".jsonl.gz")
        || n.endsWith(".jsonl.zst")
        || n.endsWith(".parquet")
        || n.endsWith(".warc")
        || n.endsWith(".warc.gz");
  }

  private static boolean isPinnedCorpus(String name) {
    for (DatasetDescription d : PinnedDatasets.list(PinnedDatasets.home())) {
      if (d.name().equals(name) && d.splits().isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
