package org.poisonlab.corpus;

/**
 * A finding with the documents it flags.
 *
 * @param finding what the summary reports
 * @param keys the flagged documents' keys ({@code shard << 32 | position}), ascending
 */
record ScanFinding(CorpusFinding finding, long[] keys) {}
