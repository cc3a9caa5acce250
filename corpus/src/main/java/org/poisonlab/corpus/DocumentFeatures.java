package org.poisonlab.corpus;

/**
 * What a corpus scan keeps of one document after its streaming pass.
 *
 * @param exactHash a 64-bit hash of the text (exact duplicates share it)
 * @param signature the MinHash signature, or null when the document has no words; the array is
 *     reused for the next document, so a sink copies what it keeps
 * @param hasRun whether the document holds a run of non-repeating words ({@link NoveltyRuns})
 * @param prefix a hash of its first {@link #EDGE_WORDS} words, 0 when it has fewer than {@link
 *     #MIN_WORDS} words
 * @param suffix a hash of its last {@link #EDGE_WORDS} words, 0 likewise
 * @param source a hash of its source
 */
record DocumentFeatures(
    long exactHash, int[] signature, boolean hasRun, long prefix, long suffix, long source) {
  /** Words at each end that make a template's prefix and suffix. */
  static final int EDGE_WORDS = 8;

  /** The fewest words a document needs for a prefix and suffix with a body between them. */
  static final int MIN_WORDS = 3 * EDGE_WORDS;
}
