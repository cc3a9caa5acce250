package org.poisonlab.corpus;

import java.nio.file.Path;
import java.util.List;
import org.poisonlab.io.BadInputException;

/**
 * What {@link CorpusPlanter#plant} does: which corpus files to read, where to write, and how many
 * injected documents of each kind to plant.
 *
 * @param inputs corpus files, read in this order
 * @param outDir where the planted shards go ({@code shard-00000.jsonl}, …); must hold no shards
 * @param truth the truth file to write (JSONL, one line per planted or substituted document)
 * @param seed drives every choice
 * @param bursts Souly-shape documents: a real prefix, the trigger, random corpus tokens
 * @param trigger the burst trigger, or null for one drawn from the seed
 * @param templated documents sharing one spam header and footer with varied bodies
 * @param nearDuplicates lightly edited copies of real documents (word-5-gram Jaccard ≥ 0.8)
 * @param splitView real documents whose text is changed while their declared digest is kept
 * @param shardBytes the size at which a new output shard starts
 */
public record PlantRequest(
    List<Path> inputs,
    Path outDir,
    Path truth,
    long seed,
    int bursts,
    String trigger,
    int templated,
    int nearDuplicates,
    int splitView,
    long shardBytes) {
  /** The defaults of {@code poisonlab corpus plant}. */
  public static final int DEFAULT_BURSTS = 250;

  public static final int DEFAULT_TEMPLATED = 100;
  public static final int DEFAULT_NEAR_DUPLICATES = 100;
  public static final int DEFAULT_SPLIT_VIEW = 20;

  /**
   * @throws BadInputException for no inputs, a negative count, or a blank trigger
   */
  public PlantRequest {
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new BadInputException("no input corpus files");
    }
    if (bursts < 0 || templated < 0 || nearDuplicates < 0 || splitView < 0) {
      throw new BadInputException(
          "document counts must not be negative: bursts "
              + bursts
              + ", templated "
              + templated
              + ", near-duplicates "
              + nearDuplicates
              + ", split-view "
              + splitView);
    }
    if (trigger != null && trigger.isBlank()) {
      throw new BadInputException("the trigger must not be blank");
    }
    if (shardBytes <= 0) {
      throw new BadInputException("shard size must be positive, got " + shardBytes);
    }
  }
}
