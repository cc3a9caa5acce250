package org.poisonlab.corpus;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads a shard's signature records in document order. A record is, big-endian: the exact-content
 * hash (8 bytes), a flag word (4 bytes: has a signature, has a random-text run), the prefix, suffix
 * and source hashes (8 bytes each) and the MinHash signature ({@code bands · rows} ints, zeros when
 * the document has no words): {@link ScanWork}'s {@code AT_*} offsets.
 */
public final class SignatureReader implements AutoCloseable {
  private final InputStream in;
  private final int rows;
  private final byte[] record;
  private final ByteBuffer view;
  private final int[] signature;

  /** Takes {@code in} over; closing the reader closes it. */
  public SignatureReader(InputStream in, CorpusScanSettings settings) {
    this.in = in;
    this.rows = settings.rows();
    this.signature = new int[settings.signatureLength()];
    this.record = new byte[ScanWork.recordBytes(signature.length)];
    this.view = ByteBuffer.wrap(record);
  }

  /**
   * Moves to the next record.
   *
   * @return false at the end of the records
   * @throws EOFException when the last record is cut short
   */
  public boolean next() throws IOException {
    int n = in.readNBytes(record, 0, record.length);
    if (n == 0) {
      return false;
    }
    if (n < record.length) {
      throw new EOFException(
          "signature record cut short: " + n + " of " + record.length + " bytes");
    }
    for (int i = 0; i < signature.length; i++) {
      signature[i] = view.getInt(ScanWork.AT_SIGNATURE + 4 * i);
    }
    return true;
  }

  public long exactHash() {
    return view.getLong(0);
  }

  public boolean hasSignature() {
    return (view.getInt(ScanWork.AT_FLAGS) & ScanWork.HAS_SIGNATURE) != 0;
  }

  public boolean hasRun() {
    return (view.getInt(ScanWork.AT_FLAGS) & ScanWork.HAS_RUN) != 0;
  }

  /** The hash of the first words, 0 when the document is too short to have a body. */
  public long prefix() {
    return view.getLong(ScanWork.AT_PREFIX);
  }

  /** The hash of the last words, 0 likewise. */
  public long suffix() {
    return view.getLong(ScanWork.AT_SUFFIX);
  }

  /** The hash of the document's source. */
  public long source() {
    return view.getLong(ScanWork.AT_SOURCE);
  }

  /** The current record's signature: overwritten by {@link #next}; not to be modified. */
  public int[] signature() {
    return signature;
  }

  /** The current record's hash of LSH band {@code band}. */
  public long bandKey(int band) {
    return ScanSignatures.bandKey(view, ScanWork.AT_SIGNATURE, band, rows);
  }

  /**
   * The LSH bucket of a band key in a corpus of {@code documents} documents: documents share a
   * bucket of a band when their band keys agree on the bucket's bits.
   */
  public static long bucket(long bandKey, long documents) {
    return bandKey & NearDuplicates.bucketMask(documents);
  }

  /**
   * The key of a (prefix, suffix) group of templated documents in a corpus of {@code documents}
   * documents ({@link TemplatedFindings#groupKey}).
   */
  public static long templateGroup(long prefix, long suffix, long documents) {
    return TemplatedFindings.groupKey(prefix, suffix, documents);
  }

  /** The share of equal entries of two signatures of the same length. Not modified. */
  public static double similarity(int[] x, int[] y) {
    int same = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] == y[i]) {
        same++;
      }
    }
    return same / (double) x.length;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
