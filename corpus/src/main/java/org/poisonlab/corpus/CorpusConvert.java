package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.poisonlab.io.BadInputException;

/**
 * Writes a corpus in another format ({@code poisonlab corpus convert}): each input file becomes a
 * file of the same stem with the new format's ending in the output folder, documents in order with
 * their record id, URL, source, digest and fetch time. One document in memory at a time; inputs are
 * never modified and an output appears only complete.
 */
public final class CorpusConvert {
  /**
   * @param documents documents written
   * @param badRecords input records that could not be read (not written)
   * @param outputs the files written, in input order
   */
  public record Result(long documents, long badRecords, List<Path> outputs) {}

  private CorpusConvert() {}

  /**
   * @param ending the new format's ending: {@code .jsonl}, {@code .jsonl.gz}, {@code .jsonl.zst},
   *     {@code .parquet}, {@code .warc} or {@code .warc.gz}
   * @throws BadInputException for an unknown ending or two inputs of one stem
   */
  public static Result run(List<Path> inputs, Path outDir, String ending) throws IOException {
    CorpusFormat to = CorpusFormat.of("x" + ending);
    if (to == null || !to.ending().equals(ending)) {
      throw new BadInputException(
          "unknown corpus format " + ending + " (known: " + CorpusFormat.KNOWN + ")");
    }
    Set<String> stems = new HashSet<>();
    // every output checked against its input before the first is written
    List<Path> targets = new ArrayList<>();
    for (Path in : inputs) {
      String stem = CorpusFormat.stem(in.getFileName().toString());
      if (!stems.add(stem)) {
        throw new BadInputException(in, 0, "two inputs would both become " + in.getFileName());
      }
      Path out = outDir.resolve(stem + ending);
      if (Files.exists(out) && Files.isSameFile(out, in)) {
        throw new BadInputException(in, 0, "the output would overwrite this input");
      }
      targets.add(out);
    }
    Files.createDirectories(outDir);
    long documents = 0;
    long bad = 0;
    List<Path> outputs = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Path in = inputs.get(i);
      Path out = targets.get(i);
      DocumentWriter w = CorpusWriters.create(out);
      try (DocumentStream s = CorpusReaders.open(in)) {
        Document d;
        while ((d = s.next()) != null) {
          w.write(d);
          documents++;
        }
        bad += s.badRecords().size();
      } catch (IOException | RuntimeException e) {
        w.abort();
        throw e;
      }
      w.close();
      outputs.add(out);
    }
    return new Result(documents, bad, outputs);
  }
}
