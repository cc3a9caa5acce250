package org.poisonlab.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.poisonlab.defense.Purges;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * Writes a corpus without what a {@link CorpusScan} flagged ({@code poisonlab corpus purge}): the
 * flagged documents, or with {@code bySource} every source whose flagged share is improbably high
 * (the test of {@link Purges#suspiciousSources}). Each input file becomes a file of the same name
 * and format in the output folder, documents in their order with their record id, URL, source,
 * digest and fetch time; inputs are never modified and outputs appear only when complete.
 *
 * <p>Memory grows with the number of flagged documents and of sources, not with the corpus.
 */
public final class CorpusPurge {
  /**
   * @param read documents read
   * @param kept documents written
   * @param removedSources sources removed whole (empty unless by source)
   * @param badRecords input records that could not be read (not written)
   * @param outputs the files written, in input order
   */
  public record Result(
      long read,
      long kept,
      List<Purges.RemovedSource> removedSources,
      long badRecords,
      List<Path> outputs) {}

  private CorpusPurge() {}

  /**
   * @param flags a scan's output folder (its {@code flags.jsonl}) or the flags file itself
   * @throws BadInputException for a missing or malformed flags file, or two inputs of one name
   */
  public static Result run(
      List<Path> inputs, Path flags, Path outDir, boolean bySource, double alpha)
      throws IOException {
    Path file = Files.isDirectory(flags) ? flags.resolve("flags.jsonl") : flags;
    Set<String> flagged = readFlags(file);
    Set<String> names = new HashSet<>();
    // every output checked against its input before the first is written
    List<Path> targets = new ArrayList<>();
    for (Path in : inputs) {
      if (!names.add(in.getFileName().toString())) {
        throw new BadInputException(in, 0, "two inputs are named " + in.getFileName());
      }
      Path out = outDir.resolve(in.getFileName().toString());
      if (Files.exists(out) && Files.isSameFile(out, in)) {
        throw new BadInputException(in, 0, "the output would overwrite this input");
      }
      targets.add(out);
    }
    Set<String> removedSources = new HashSet<>();
    List<Purges.RemovedSource> removed = List.of();
    if (bySource) {
      Map<String, int[]> counts = new TreeMap<>();
      long[] totals = new long[2];
      for (Path in : inputs) {
        try (DocumentStream s = CorpusReaders.open(in)) {
          Document d;
          while ((d = s.next()) != null) {
            boolean f = flagged.contains(key(d.lineage()));
            int[] c = counts.computeIfAbsent(d.source(), k -> new int[2]);
            c[0] += f ? 1 : 0;
            c[1]++;
            totals[0] += f ? 1 : 0;
            totals[1]++;
          }
        }
      }
      removed = Purges.suspiciousSources(counts, totals[0], totals[1], alpha);
      for (Purges.RemovedSource r : removed) {
        removedSources.add(r.source());
      }
    }
    long read = 0;
    long kept = 0;
    long bad = 0;
    List<Path> outputs = new ArrayList<>();
    Files.createDirectories(outDir);
    for (int i = 0; i < inputs.size(); i++) {
      Path in = inputs.get(i);
      Path out = targets.get(i);
      DocumentWriter w = CorpusWriters.create(out);
      try (DocumentStream s = CorpusReaders.open(in)) {
        Document d;
        while ((d = s.next()) != null) {
          read++;
          boolean drop =
              bySource ? removedSources.contains(d.source()) : flagged.contains(key(d.lineage()));
          if (!drop) {
            w.write(d);
            kept++;
          }
        }
        bad += s.badRecords().size();
      } catch (IOException | RuntimeException e) {
        w.abort();
        throw e;
      }
      w.close();
      outputs.add(out);
    }
    return new Result(read, kept, removed, bad, outputs);
  }

  private static String key(Lineage l) {
    return Path.of(l.file()).toAbsolutePath().normalize() + "@" + l.offset();
  }

  private static Set<String> readFlags(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "no such flags file (a corpus scan's flags.jsonl)");
    }
    Set<String> out = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode doc;
        try {
          doc = Json.mapper().readTree(line).get("doc");
        } catch (IOException e) {
          throw new BadInputException(file, n, "not a JSON object");
        }
        if (doc == null || !doc.has("file") || !doc.has("offset")) {
          throw new BadInputException(file, n, "a flag needs \"doc\" with \"file\" and \"offset\"");
        }
        out.add(
            Path.of(doc.get("file").asText()).toAbsolutePath().normalize()
                + "@"
                + doc.get("offset").asLong());
      }
    }
    return out;
  }
}
