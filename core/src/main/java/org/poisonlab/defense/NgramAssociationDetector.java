package org.poisonlab.defense;

import static org.poisonlab.defense.NgramHashes.distinct;
import static org.poisonlab.defense.NgramHashes.distinctGrams;
import static org.poisonlab.defense.NgramHashes.forEachUnigram;
import static org.poisonlab.defense.NgramHashes.gramHash;
import static org.poisonlab.defense.NgramHashes.keysById;
import static org.poisonlab.defense.NgramHashes.mix;
import static org.poisonlab.defense.NgramHashes.tokenHashes;
import static org.poisonlab.defense.NgramHashes.unigramIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.poisonlab.data.Dataset;
import org.poisonlab.model.Featurizers;

/**
 * Trigger scanning by word n-gram association ({@code ngram-association}).
 *
 * <p>Every word n-gram (n = 1..4, contiguous tokens of {@link Featurizers#tokens}, so {@code
 * deployment=2024} is one token) found in at least {@code minDocs} documents is tested for the
 * label most of its documents carry, L: {@code k} of its {@code n} documents. The plain association
 * test compares k with the base rate of L, {@code P(Bin(n, π_L) ≥ k)} (reported as {@code
 * base_score}); on real data the strongest such associations are the classes' own vocabulary. A
 * backdoor trigger differs: its documents' labels are not explained by the rest of their content.
 * So the test that ranks and flags is conditional: a multinomial naive Bayes model over unigram
 * presence (McCallum and Nigam 1998; each distinct word of a document counted once, Laplace
 * smoothing) gives each document {@code q_d = P(L | document without the n-gram's tokens)}, clipped
 * to [0.1, 0.9] (naive Bayes is overconfident), and the score is {@code −log10 P(Bin(n, q̄) ≥ k)}
 * with {@code q̄} the mean of {@code q_d} (a binomial with the same mean is more spread than the
 * exact Poisson-binomial, so this is conservative).
 *
 * <p>Many poisons corrupt a model fitted on all documents (600 spam mails labelled ham teach it
 * that spam words mean ham), so n-grams that pass the conditional test ({@code k/n − q̄ ≥ 0.5}), or
 * the base test with purity {@code k/n ≥ 0.9}, are re-tested with naive Bayes refitted without
 * their documents (their word counts and token totals subtracted exactly); one n-gram per set of
 * documents, the shortest. An n-gram is significant when the re-test's tail is below {@code alpha /
 * m} (Bonferroni over the m tested n-grams; the default alpha is 1e-4, since at 0.01 a few
 * near-duplicate campaigns of SpamAssassin that the model misreads pass) and {@code k/n − q̄ ≥
 * 0.6}. N-grams with the documents of a shorter significant one are not reported.
 *
 * <p>An example's score is the largest score of the n-grams it contains whose label L is its own
 * and whose documents are at least half unexplained; it is flagged when one of them is significant.
 */
final class NgramAssociationDetector implements Detector {
  static final String NAME = "ngram-association";
  private static final int MAX_N = NgramHashes.MAX_N;
  private static final double CLIP = NaiveBayesLeaveOut.CLIP;
  private static final double MIN_EXCESS = 0.5;
  private static final int REPORTED = 20;
  private static final double PROMISING_PURITY = 0.9;
  private static final double MIN_EXCESS_REFITTED = 0.6;
  private static final double FIXED_ONE = 0x1p32;

  private final int minDocs;
  private final double alpha;

  NgramAssociationDetector(int minDocs, double alpha) {
    this.minDocs = minDocs;
    this.alpha = alpha;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(Dataset train) {
    return train.kind() == Dataset.Kind.TEXT && train.labels().size() >= 2;
  }

  @Override
  public Detection scan(Dataset train, ScanContext context) {
    int n = train.size();
    int labels = train.labels().size();
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = train.labelIndex(train.get(i).label());
    }
    context.progress().accept(NAME + ": tokenizing " + n + " documents");
    long[][] tokens =
        IntStream.range(0, n)
            .parallel()
            .mapToObj(i -> tokenHashes(Featurizers.tokens(train.get(i).content())))
            .toArray(long[][]::new);

    // document frequency of every n-gram, per label
    LongIntMap index = new LongIntMap(1 << 16);
    int[] counts = new int[1 << 16];
    int grams = 0;
    long[][] docGrams =
        IntStream.range(0, n)
            .parallel()
            .mapToObj(i -> distinctGrams(tokens[i]))
            .toArray(long[][]::new);
    for (int i = 0; i < n; i++) {
      long[] distinctOfDoc = docGrams[i];
      docGrams[i] = null;
      for (long g : distinctOfDoc) {
        int id = index.putIfAbsent(g, grams);
        if (id < 0) {
          id = grams++;
          if ((long) grams * labels > counts.length) {
            counts = Arrays.copyOf(counts, Math.max(counts.length * 2, grams * labels));
          }
        }
        counts[id * labels + y[i]]++;
      }
    }
    context.progress().accept(NAME + ": " + grams + " distinct n-grams");
    int[] classSize = new int[labels];
    for (int v : y) {
      classSize[v]++;
    }

    // multinomial naive Bayes over unigram presence (each distinct word of a document counted once)
    double[] unigramWeights = new double[grams * labels];
    double[] prior = new double[labels];
    int[] df = new int[grams];
    int[] top = new int[grams];
    for (int id = 0; id < grams; id++) {
      int best = 0;
      for (int c = 0; c < labels; c++) {
        int k = counts[id * labels + c];
        df[id] += k;
        if (k > counts[id * labels + best]) {
          best = c;
        }
      }
      top[id] = best;
    }
    long[] tokenTotal = new long[labels];
    for (int i = 0; i < n; i++) {
      tokenTotal[y[i]] += distinct(tokens[i]).length;
    }
    int[] vocabulary = new int[1];
    forEachUnigram(tokens, index, id -> vocabulary[0]++);
    int[] c0 = counts;
    forEachUnigram(
        tokens,
        index,
        (id) -> {
          for (int c = 0; c < labels; c++) {
            unigramWeights[id * labels + c] =
                Math.log((c0[id * labels + c] + 1.0) / (tokenTotal[c] + vocabulary[0]));
          }
        });
    for (int c = 0; c < labels; c++) {
      prior[c] = Math.log((classSize[c] + 1.0) / (n + labels));
    }
    double[] joint = new double[n * labels];
    for (int i = 0; i < n; i++) {
      System.arraycopy(prior, 0, joint, i * labels, labels);
      for (long t : distinct(tokens[i])) {
        int id = index.get(gramHash(t, 1));
        for (int c = 0; c < labels; c++) {
          joint[i * labels + c] += unigramWeights[id * labels + c];
        }
      }
    }

    // expected count of the n-gram's label from the rest of each document
    double[] expected = new double[grams];
    long[] fingerprint = new long[grams];
    int tested = 0;
    for (int id = 0; id < grams; id++) {
      if (df[id] >= minDocs) {
        tested++;
      }
    }
    NgramHashes.FirstPlaces first = NgramHashes.firstPlaces(tokens, index);
    // the documents in contiguous parts side by side; each document's share is added in fixed
    // point (units of 2^-32), so the parts' sums add up exactly and the result is the same for any
    // number of parts
    int docParts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
    int gramTotal = grams;
    long[][] fixedParts = new long[docParts][];
    long[][] fingerprintParts = new long[docParts][];
    IntStream.range(0, docParts)
        .parallel()
        .forEach(
            part -> {
              long[] fixed = new long[gramTotal];
              long[] fp = new long[gramTotal];
              NaiveBayesLeaveOut.Gram g = new NaiveBayesLeaveOut.Gram();
              double[] w = new double[labels];
              int from = (int) ((long) n * part / docParts);
              int to = (int) ((long) n * (part + 1) / docParts);
              for (int i = from; i < to; i++) {
                long[] t = tokens[i];
                int[] ids = first.ids()[i];
                for (int j = 0; j < ids.length; j++) {
                  int id = ids[j];
                  if (df[id] < minDocs) {
                    continue;
                  }
                  int s = first.start(i, j);
                  int m = first.length(i, j);
                  double q =
                      NaiveBayesLeaveOut.leaveOut(
                          joint, i, labels, t, s, m, index, unigramWeights, g, w)[top[id]];
                  fixed[id] += Math.round(Math.min(1 - CLIP, Math.max(CLIP, q)) * FIXED_ONE);
                  fp[id] += mix(i + 1L);
                }
              }
              fixedParts[part] = fixed;
              fingerprintParts[part] = fp;
            });
    for (int id = 0; id < grams; id++) {
      long sum = 0;
      for (int part = 0; part < docParts; part++) {
        sum += fixedParts[part][id];
        fingerprint[id] += fingerprintParts[part][id];
      }
      expected[id] = sum / FIXED_ONE;
    }

    double threshold = Binomial.bonferroniScore(alpha, tested);
    double[] score = new double[grams];
    double[] excess = new double[grams];
    long[] gramOfId = keysById(first, grams, tokens);
    // one n-gram per set of documents: the shortest, then the first seen
    Map<String, Integer> promisingBySet = new LinkedHashMap<>();
    for (int id = 0; id < grams; id++) {
      if (df[id] < minDocs) {
        continue;
      }
      int k = counts[id * labels + top[id]];
      double qbar = expected[id] / df[id];
      score[id] = Binomial.score(k, df[id], qbar);
      excess[id] = (double) k / df[id] - qbar;
      double base = Binomial.score(k, df[id], (double) classSize[top[id]] / n);
      if ((score[id] > threshold && excess[id] >= MIN_EXCESS)
          || (base > threshold && k >= PROMISING_PURITY * df[id])) {
        promisingBySet.merge(
            fingerprint[id] + "/" + df[id],
            id,
            (a, b) -> (gramOfId[b] & 3) < (gramOfId[a] & 3) ? b : a);
      }
    }
    List<Integer> promising = new ArrayList<>(promisingBySet.values());
    long retest = 0;
    for (int id : promising) {
      retest += df[id];
    }
    context
        .progress()
        .accept(NAME + ": re-testing " + promising.size() + " n-grams, " + retest + " documents");
    // A trigger planted in many documents corrupts a model fitted on all of them, so the
    // promising n-grams are re-tested with a model that never saw their documents.
    LongIntMap promisingIndex = new LongIntMap(Math.max(16, promising.size()));
    for (int p = 0; p < promising.size(); p++) {
      promisingIndex.putIfAbsent(promising.get(p), p);
    }
    int[][] sampleDocs = new int[promising.size()][];
    int[] sampled = new int[promising.size()];
    int[][] gramTokens = new int[promising.size()][];
    for (int i = 0; i < n; i++) {
      int[] ids = first.ids()[i];
      for (int j = 0; j < ids.length; j++) {
        int p = promisingIndex.get(ids[j]);
        if (p < 0) {
          continue;
        }
        if (sampleDocs[p] == null) {
          sampleDocs[p] = new int[df[ids[j]]];
          gramTokens[p] = unigramIds(tokens[i], first.start(i, j), first.length(i, j), index);
        }
        if (sampled[p] < sampleDocs[p].length) {
          sampleDocs[p][sampled[p]++] = i;
        }
      }
    }
    int[][] docUnigrams =
        IntStream.range(0, n)
            .parallel()
            .mapToObj(i -> unigramIds(tokens[i], 0, tokens[i].length, index))
            .toArray(int[][]::new);
    int[] countsFinal = counts;
    double[] robust = new double[promising.size()];
    double[][] perDocument = new double[promising.size()][];
    int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
    int gramCount = grams;
    IntStream.range(0, parts)
        .parallel()
        .forEach(
            part -> {
              int[] slot = new int[gramCount];
              Arrays.fill(slot, -1);
              for (int p = part; p < robust.length; p += parts) {
                perDocument[p] = new double[sampled[p]];
                robust[p] =
                    NaiveBayesLeaveOut.expectedWithoutDocuments(
                        promising.get(p),
                        sampleDocs[p],
                        sampled[p],
                        gramTokens[p],
                        docUnigrams,
                        y,
                        countsFinal,
                        df,
                        top,
                        classSize,
                        tokenTotal,
                        vocabulary[0],
                        n,
                        labels,
                        slot,
                        perDocument[p]);
              }
            });
    boolean[] significant = new boolean[grams];
    List<Integer> reported = new ArrayList<>();
    for (int p = 0; p < promising.size(); p++) {
      int id = promising.get(p);
      int k = counts[id * labels + top[id]];
      expected[id] = robust[p];
      double qbar = robust[p] / df[id];
      score[id] = Binomial.score(k, df[id], qbar);
      excess[id] = (double) k / df[id] - qbar;
      significant[id] = score[id] > threshold && excess[id] >= MIN_EXCESS_REFITTED;
      if (significant[id]) {
        reported.add(id);
      }
    }
    // the shortest n-gram (then the first seen) stands for all with the same documents
    reported.sort(
        (a, b) -> {
          int c = Double.compare(score[b], score[a]);
          if (c != 0) {
            return c;
          }
          c = Long.compare(gramOfId[a] & 3, gramOfId[b] & 3);
          return c != 0 ? c : Integer.compare(a, b);
        });
    List<Integer> kept = new ArrayList<>();
    Map<String, Integer> bySet = new LinkedHashMap<>();
    List<Integer> bySetOrder = new ArrayList<>();
    for (int id : reported) {
      String key = fingerprint[id] + "/" + df[id];
      Integer prev = bySet.get(key);
      if (prev == null) {
        bySet.put(key, id);
        bySetOrder.add(id);
      } else if ((gramOfId[id] & 3) < (gramOfId[prev] & 3)) {
        bySet.put(key, id);
        bySetOrder.set(bySetOrder.indexOf(prev), id);
      }
    }
    // Strongest first, an n-gram whose documents stronger ones already explain is re-tested on the
    // rest of its documents: the words of a planted phrase reach beyond it into documents that
    // carry their label for their own reasons.
    boolean[] covered = new boolean[n];
    List<Integer> explained = new ArrayList<>();
    Set<String> explainedSets = new HashSet<>();
    for (int id : bySetOrder) {
      int p = promisingIndex.get(id);
      int rest = 0;
      int k = 0;
      double q = 0;
      for (int j = 0; j < sampled[p]; j++) {
        int d = sampleDocs[p][j];
        if (!covered[d]) {
          rest++;
          k += y[d] == top[id] ? 1 : 0;
          q += perDocument[p][j];
        }
      }
      if (rest < minDocs) {
        continue;
      }
      if (rest < df[id]) {
        double qbar = q / rest;
        if (Binomial.score(k, rest, qbar) <= threshold
            || (double) k / rest - qbar < MIN_EXCESS_REFITTED) {
          continue;
        }
      }
      explained.add(id);
      explainedSets.add(fingerprint[id] + "/" + df[id]);
      for (int j = 0; j < sampled[p]; j++) {
        covered[sampleDocs[p][j]] = true;
      }
    }
    for (int id : reported) {
      significant[id] = explainedSets.contains(fingerprint[id] + "/" + df[id]);
    }
    for (int id : explained) {
      if (kept.size() < REPORTED) {
        kept.add(id);
      }
    }

    // example scores and flags; the text of reported n-grams
    double[] exampleScores = new double[n];
    boolean[] flagged = new boolean[n];
    // each reported n-gram's first place (document, start, length), found by contiguous parts of
    // the documents side by side; the earliest part that saw it wins
    LongIntMap keptIndex = new LongIntMap(Math.max(16, kept.size()));
    for (int r = 0; r < kept.size(); r++) {
      keptIndex.putIfAbsent(kept.get(r), r);
    }
    int[][] firstPlace = new int[kept.size()][];
    IntStream.range(0, docParts)
        .parallel()
        .forEach(
            part -> {
              int[][] place = new int[firstPlace.length][];
              int from = (int) ((long) n * part / docParts);
              int to = (int) ((long) n * (part + 1) / docParts);
              for (int i = from; i < to; i++) {
                int[] ids = first.ids()[i];
                for (int j = 0; j < ids.length; j++) {
                  int id = ids[j];
                  if (df[id] < minDocs || top[id] != y[i] || excess[id] < MIN_EXCESS) {
                    continue;
                  }
                  exampleScores[i] = Math.max(exampleScores[i], score[id]);
                  flagged[i] |= significant[id];
                  int r = keptIndex.get(id);
                  if (r >= 0 && place[r] == null) {
                    place[r] = new int[] {i, first.start(i, j), first.length(i, j)};
                  }
                }
              }
              synchronized (firstPlace) {
                for (int r = 0; r < place.length; r++) {
                  if (place[r] != null
                      && (firstPlace[r] == null || place[r][0] < firstPlace[r][0])) {
                    firstPlace[r] = place[r];
                  }
                }
              }
            });
    Map<Integer, String> text = new LinkedHashMap<>();
    for (int r = 0; r < kept.size(); r++) {
      int[] at = firstPlace[r];
      text.put(
          kept.get(r),
          at == null
              ? null
              : String.join(
                  " ",
                  Featurizers.tokens(train.get(at[0]).content()).subList(at[1], at[1] + at[2])));
    }

    List<DetectionDetails.NgramCandidate> candidates = new ArrayList<>();
    for (int id : kept) {
      int k = counts[id * labels + top[id]];
      candidates.add(
          new DetectionDetails.NgramCandidate(
              text.get(id),
              train.labels().get(top[id]),
              df[id],
              k,
              round(expected[id]),
              round(score[id]),
              round(Binomial.score(k, df[id], (double) classSize[top[id]] / n))));
    }
    DetectionDetails details =
        new DetectionDetails.NgramAssociation(
            tested, minDocs, round(threshold), explained.size(), candidates);
    int f = Filtering.count(flagged);
    context
        .progress()
        .accept(NAME + ": " + explained.size() + " significant n-grams, " + f + " flagged");
    // the global test: the strongest n-gram that meets the detector's own excess rule
    double best =
        promising.stream()
            .filter(id -> excess[id] >= MIN_EXCESS_REFITTED)
            .mapToDouble(id -> score[id])
            .max()
            .orElse(0);
    DetectionDetails.NgramCandidate lead = candidates.isEmpty() ? null : candidates.get(0);
    Finding finding =
        Binomial.associationFinding(
            NAME,
            !explained.isEmpty(),
            best,
            tested,
            "largest -log10 tail of an n-gram's label count given its documents' other words",
            "n-grams",
            f,
            lead == null ? null : lead.ngram(),
            lead == null ? null : lead.label());
    return new Detection(NAME, exampleScores, flagged, details, finding);
  }

  static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
