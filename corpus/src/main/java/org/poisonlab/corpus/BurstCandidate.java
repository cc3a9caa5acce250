package org.poisonlab.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A token n-gram seen at the onset of a random-text run, with the documents it was seen there in:
 * an accumulator, merged across shards in shard order.
 */
final class BurstCandidate {
  final long hash;
  final int n;

  /** The hash of its longest token, where the document-frequency pass looks for it. */
  final long anchor;

  /** That token's place in the n-gram. */
  final int anchorAt;

  /** That token's text. */
  final String anchorText;

  String surface;
  final List<Long> docs = new ArrayList<>();
  final TreeSet<String> sources = new TreeSet<>();

  BurstCandidate(long hash, int n, long anchor, int anchorAt, String anchorText, String surface) {
    this.hash = hash;
    this.n = n;
    this.anchor = anchor;
    this.anchorAt = anchorAt;
    this.anchorText = anchorText;
    this.surface = surface;
  }

  /** Adds a document once (documents arrive in order, so a repeat is the last one). */
  void add(long doc, String source) {
    if (docs.isEmpty() || docs.get(docs.size() - 1) != doc) {
      docs.add(doc);
      sources.add(source);
    }
  }

  /** Appends {@code other} (a later shard's) to this one. */
  void merge(BurstCandidate other) {
    docs.addAll(other.docs);
    sources.addAll(other.sources);
  }

  /** The stored form, for a shard's work file. */
  Stored stored() {
    return new Stored(
        hash, n, anchor, anchorAt, anchorText, surface, List.copyOf(docs), List.copyOf(sources));
  }

  static BurstCandidate of(Stored s) {
    BurstCandidate c =
        new BurstCandidate(s.hash(), s.n(), s.anchor(), s.anchorAt(), s.anchorText(), s.surface());
    c.docs.addAll(s.docs());
    c.sources.addAll(s.sources());
    return c;
  }

  /** A candidate as a shard's work file holds it. */
  record Stored(
      long hash,
      int n,
      long anchor,
      int anchorAt,
      String anchorText,
      String surface,
      List<Long> docs,
      List<String> sources) {}
}
