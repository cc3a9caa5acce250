package org.poisonlab.corpus;

import java.util.Arrays;

/**
 * Near-duplicate clusters from MinHash signatures by locality-sensitive hashing (Indyk and Motwani
 * 1998; Leskovec, Rajaraman and Ullman, Mining of Massive Datasets §3.4): the {@code b · r}
 * signature entries form {@code b} bands of {@code r}; two documents are candidates when all {@code
 * r} entries of some band agree, which happens with probability {@code 1 − (1 − J^r)^b} at Jaccard
 * {@code J} (an S-curve around {@code (1/b)^(1/r)}: 0.72 for 14 × 8). Within each band's bucket, in
 * document order, each document is compared with the bucket's first document and with its
 * predecessor (so a bucket of {@code m} costs {@code O(m)}, not {@code O(m²)}); a compared pair
 * joins when its signatures agree on at least {@code minSimilarity} of their entries, and clusters
 * are the connected components, each named by its smallest document index.
 */
final class NearDuplicates {
  /** Signature agreement between two documents, by their indices. */
  interface Similarity {
    double of(int i, int j);
  }

  /**
   * @param root per document, the smallest index of its cluster (itself when alone)
   * @param clusters clusters of two documents or more
   * @param inClusters documents in such clusters
   * @param candidatePairs pairs that share a band (each bucket as a star and a chain)
   */
  record Result(int[] root, int clusters, long inClusters, long candidatePairs) {}

  private NearDuplicates() {}

  /**
   * @param bandKeys {@code bandKeys[b][i]}: document {@code i}'s hash of band {@code b}; documents
   *     without a signature are {@code skip[i]}
   */
  static Result cluster(long[][] bandKeys, boolean[] skip, Similarity sim, double minSimilarity) {
    int n = skip.length;
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    long low = ~bucketMask(n);
    long pairs = 0;
    long[] packed = new long[n];
    for (long[] keys : bandKeys) {
      int m = 0;
      for (int i = 0; i < n; i++) {
        if (!skip[i]) {
          packed[m++] = (keys[i] & ~low) | i;
        }
      }
      Arrays.parallelSort(packed, 0, m);
      int s = 0;
      while (s < m) {
        int e = s + 1;
        while (e < m && (packed[e] & ~low) == (packed[s] & ~low)) {
          e++;
        }
        int first = (int) (packed[s] & low);
        for (int k = s + 1; k < e; k++) {
          int x = (int) (packed[k] & low);
          int prev = (int) (packed[k - 1] & low);
          pairs++;
          if (find(parent, x) != find(parent, first) && sim.of(first, x) >= minSimilarity) {
            union(parent, first, x);
          }
          if (k > s + 1) {
            pairs++;
            if (find(parent, x) != find(parent, prev) && sim.of(prev, x) >= minSimilarity) {
              union(parent, prev, x);
            }
          }
        }
        s = e;
      }
    }
    int[] size = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = find(parent, i);
      size[parent[i]]++;
    }
    int clusters = 0;
    long in = 0;
    for (int i = 0; i < n; i++) {
      if (size[i] >= 2) {
        clusters++;
        in += size[i];
      }
    }
    return new Result(parent, clusters, in, pairs);
  }

  /**
   * The bits of a band key that name its bucket in a corpus of {@code n} documents: all but the low
   * bits that hold a document index.
   */
  static long bucketMask(long n) {
    int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
    return ~((1L << bits) - 1);
  }

  static int find(int[] parent, int x) {
    int r = x;
    while (parent[r] != r) {
      r = parent[r];
    }
    while (parent[x] != r) {
      int next = parent[x];
      parent[x] = r;
      x = next;
    }
    return r;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
