package org.poisonlab.corpus;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Where the parts of a corpus scan that touch every document run: {@link CorpusScan} runs them on
 * local threads, the {@code poisonlab-spark} module as cluster jobs. Either way {@link
 * CorpusScan#run(ScanEngine, CorpusScanSettings, java.util.function.Consumer)} merges the shards'
 * small results, runs the detectors' tests and builds the summary, and the engine writes each
 * output line through {@link DocumentLines}, so the output files hold the same bytes whichever
 * engine ran.
 *
 * <p>Calls come in this order: {@link #scanShards}; {@link #nearDuplicates}; {@link
 * #burstCandidates}, then {@link #documentFrequencies} (at most once) and {@link #hasRun}; {@link
 * #templateGroups}, then {@link #templateMembers} and {@link #text} for the groups that make
 * findings; {@link #writeDocumentLines}; {@link #writeSummary}. Documents are named by key ({@code
 * shard << 32 | position}) or by global index (shard order, then position).
 */
public interface ScanEngine {
  /**
   * The first pass over every shard ({@link ShardPasses#scan}): the shards' results in input order.
   * The engine keeps each shard's document lines and signature records for the later calls.
   */
  List<ShardResult> scanShards() throws IOException;

  /**
   * Near-duplicate clusters as {@link NearDuplicates#cluster} defines them: the connected
   * components of the candidate pairs whose signatures agree on at least {@code minSimilarity} of
   * their entries, each named by its smallest global index. Also counts exact duplicates.
   */
  Duplicates nearDuplicates() throws IOException;

  /**
   * The burst detector's candidate strings ({@link BurstFindings#candidates}): cut from the zones
   * of these shard results (as {@link #scanShards} returned them) with the character grams counted
   * by documents across all shards, those held by the zones of {@code minSupport} documents or more
   * from {@code minSources} sources or more, in string order.
   */
  List<BurstCandidate> burstCandidates(List<ShardResult> results) throws IOException;

  /**
   * The second pass over every shard ({@link ShardPasses#documentFrequencies}) with these strings:
   * one result per shard, in input order. Arrays not modified.
   */
  List<ShardScanner.DocumentFrequencies> documentFrequencies(String[] strings, int[] keep)
      throws IOException;

  /**
   * Which of these documents hold a random-text run. {@code keys} ascending, not modified.
   *
   * @return the keys among {@code keys} whose documents hold a run
   */
  Set<Long> hasRun(long[] keys) throws IOException;

  /**
   * The (prefix, suffix) groups of {@link TemplatedFindings} with at least {@code minSupport}
   * documents, in order of their group key, each with the counts its test needs.
   */
  TemplateGroups templateGroups(int minSupport) throws IOException;

  /** The keys of the documents of the group with this key, ascending. */
  long[] templateMembers(long group) throws IOException;

  /** The text of document {@code key}, read again from its input. */
  String text(long key) throws IOException;

  /**
   * Writes {@code flags.jsonl} and {@code clusters.jsonl}: for every document in input order, its
   * flag lines ({@link DocumentLines#writeFlags}) and, in a cluster of two or more, its cluster
   * line ({@link DocumentLines#writeCluster}).
   *
   * @return per finding, the sources of the documents it flags
   */
  List<Set<String>> writeDocumentLines(DocumentLines lines) throws IOException;

  /** Writes {@code summary.json} with this content. */
  void writeSummary(String json) throws IOException;

  /**
   * A burst candidate string.
   *
   * @param text the string
   * @param docs the keys of the documents whose zones hold it, ascending
   * @param sources the number of distinct sources of those documents
   */
  record BurstCandidate(String text, long[] docs, int sources) {}

  /**
   * @param clusters near-duplicate clusters of two documents or more
   * @param clusteredDocuments documents in such clusters
   * @param exactDuplicates documents whose exact-content hash equals an earlier document's
   */
  record Duplicates(int clusters, long clusteredDocuments, long exactDuplicates) {}

  /**
   * @param bodied documents long enough to have a prefix and a suffix ({@code N})
   * @param groups the groups tested, in order of {@link TemplateGroup#group}
   */
  record TemplateGroups(long bodied, List<TemplateGroup> groups) {}

  /**
   * One (prefix, suffix) group.
   *
   * @param group its key ({@link TemplatedFindings#groupKey})
   * @param documents its documents ({@code k})
   * @param first the key of its first document
   * @param prefixDocuments bodied documents with its first document's prefix ({@code n_a})
   * @param suffixDocuments bodied documents with its first document's suffix ({@code n_b})
   * @param clusters distinct near-duplicate clusters among its documents
   * @param sources distinct source hashes among its documents
   */
  record TemplateGroup(
      long group,
      int documents,
      long first,
      long prefixDocuments,
      long suffixDocuments,
      int clusters,
      int sources) {}
}
