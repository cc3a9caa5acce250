package org.poisonlab.corpus;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The summary of a corpus scan ({@code summary.json}); byte-identical for the same inputs and
 * settings, whatever the number of threads or machines.
 *
 * @param documents documents read
 * @param bytes their text's UTF-8 bytes
 * @param findings significant findings, most documents first
 * @param nearDuplicateClusters clusters of two or more near-duplicate documents
 * @param nearDuplicateDocuments documents in such clusters
 * @param exactDuplicates documents whose text equals an earlier document's
 * @param documentsWithRandomRuns documents holding a stretch of non-repeating words
 * @param candidatesTested burst n-grams tested (the Bonferroni factor)
 * @param records records the readers met (documents, records without one, bad records)
 * @param digestRecords records that declare a digest of their own content
 * @param digestsChecked of those, records whose digests were recomputed and compared
 * @param badRecords records the readers skipped (malformed, or failing their digest)
 * @param badRecordsShown the first of them, {@code file@offset: problem}
 * @param settings the scan's settings
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CorpusScanSummary(
    long documents,
    long bytes,
    List<CorpusFinding> findings,
    int nearDuplicateClusters,
    long nearDuplicateDocuments,
    long exactDuplicates,
    long documentsWithRandomRuns,
    long candidatesTested,
    long records,
    long digestRecords,
    long digestsChecked,
    long badRecords,
    List<String> badRecordsShown,
    CorpusScanSettings settings) {}
