package org.poisonlab.defense;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.linalg.KMeans;
import org.poisonlab.linalg.Spectra;

/**
 * Activation clustering (Chen et al., "Detecting Backdoor Attacks on Deep Neural Networks by
 * Activation Clustering", 2018). For each class (by given label): centre the representations,
 * reduce them to {@value #DIMENSIONS} dimensions by PCA (the top eigenvectors of the class
 * covariance, by power iteration with deflation; Chen et al. use ICA, PCA keeps the reduction
 * deterministic and cheap), split them with 2-means (k-means++ seeding, {@value #RESTARTS} seeded
 * restarts, least inertia kept). The smaller cluster is <em>suspicious</em> when its relative size
 * is at most {@code maxRelativeSize} (0.35) and the silhouette of the split is at least {@code
 * minSilhouette} (0.5: on Fashion-MNIST clean classes split with silhouettes up to 0.40, the
 * poisons of the text backdoor at 0.72); its members are flagged.
 *
 * <p>Representations: the penultimate layer of the model (context's, or trained); for a linear text
 * model, whose penultimate layer is its sparse input, the projected feature contributions of {@code
 * Representations#contributions} (details {@code "representation"}).
 *
 * <p>Score of example {@code i} in its class: with {@code m_i = (||z_i − c_large|| − ||z_i −
 * c_small||) / σ_c} (positive inside the small cluster; {@code σ_c} the class's RMS distance to its
 * mean in the reduced space), {@code score = m_i / (1 + |m_i|) + 2·[i is in a suspicious cluster]}.
 * So members of suspicious clusters rank first (scores in (2, 3)), farther from the large cluster
 * higher; everyone else in (−1, 1) by the same margin.
 *
 * <p>With a clean reference (the scan's {@code --reference}), each class is also tested: the
 * reference examples of the class are reduced with the training basis and assigned to the nearer
 * centroid. With {@code a} of the {@code n} training and {@code b} of the {@code m} reference
 * examples in the small cluster, {@code P(A ≥ a)} for {@code A ~ Binomial(n, (b + 1) / (m + 2))} is
 * the chance that clean data fills the cluster so much; the smallest over the tested classes,
 * Bonferroni-adjusted, is the finding's p-value. It holds at {@value ReferenceTest#ALPHA} when the
 * training share is also at least {@value #MIN_RATIO} times the reference share, and then the flags
 * are the estimated excess {@code a − n·b/m} of the small cluster, farthest from the large cluster
 * first.
 */
final class ActivationClusteringDetector extends RepresentationDetector {
  static final String NAME = "activation-clustering";
  static final int DIMENSIONS = 10;
  static final int RESTARTS = 5;
  static final int SILHOUETTE_SAMPLE = 1000;

  /** How many times the reference's share the training share of the small cluster must be. */
  static final double MIN_RATIO = 2;

  private final double maxRelativeSize;
  private final double minSilhouette;

  ActivationClusteringDetector(double maxRelativeSize, double minSilhouette) {
    if (!(maxRelativeSize > 0 && maxRelativeSize <= 0.5)) {
      throw new IllegalArgumentException(
          "maximum relative size " + maxRelativeSize + " is not in (0, 0.5]");
    }
    if (!(minSilhouette >= -1 && minSilhouette <= 1)) {
      throw new IllegalArgumentException("minimum silhouette " + minSilhouette + " not in [-1, 1]");
    }
    this.maxRelativeSize = maxRelativeSize;
    this.minSilhouette = minSilhouette;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  Detection detect(
      List<Representations.ClassBlock> blocks,
      List<Representations.ClassBlock> reference,
      int n,
      long seed) {
    double[] scores = new double[n];
    boolean[] flagged = new boolean[n];
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, DetectionDetails.ClusterClass> perClass = new LinkedHashMap<>();
    Test best = null;
    int tested = 0;
    for (Representations.ClassBlock b : blocks) {
      SplittableRandom r = random.split();
      int nc = b.size();
      if (nc < 4) {
        continue;
      }
      int d = b.dim();
      double[] z = Spectra.centred(b.rows(), nc, d, Spectra.mean(b.rows(), nc, d));
      double[][] basis =
          Spectra.topEigenvectors(
              Spectra.covariance(z, nc, d), d, DIMENSIONS, r.split(), 1e-8, 1000);
      if (basis.length == 0) {
        perClass.put(b.label(), new DetectionDetails.ClusterClass(nc, 0.0, 0.0, false, null));
        continue;
      }
      int k = basis.length;
      double[] y = Spectra.project(z, nc, d, basis);
      KMeans.Result km = KMeans.fit(y, nc, k, 2, RESTARTS, 300, r.split());
      int[] sizes = km.sizes();
      int small = sizes[0] <= sizes[1] ? 0 : 1;
      double rel = (double) sizes[small] / nc;
      double sil = KMeans.silhouette(y, nc, k, km.assignment(), 2, sample(nc, r.split()));
      boolean suspicious = rel <= maxRelativeSize && sil >= minSilhouette && sizes[small] > 0;
      double ms = 0;
      for (double v : y) {
        ms += v * v;
      }
      double sigma = Math.sqrt(ms / nc);
      sigma = sigma > 0 ? sigma : 1;
      for (int i = 0; i < nc; i++) {
        double toLarge = Math.sqrt(KMeans.dist2(y, i * k, km.centroids(), (1 - small) * k, k));
        double toSmall = Math.sqrt(KMeans.dist2(y, i * k, km.centroids(), small * k, k));
        double m = (toLarge - toSmall) / sigma;
        boolean member = km.assignment()[i] == small;
        scores[b.positions()[i]] = m / (1 + Math.abs(m)) + (suspicious && member ? 2 : 0);
        flagged[b.positions()[i]] = suspicious && member;
      }
      perClass.put(
          b.label(), new DetectionDetails.ClusterClass(nc, rel, sil, suspicious, km.iterations()));
      Representations.ClassBlock ref = Representations.referenceOf(reference, b.label());
      if (ref != null && ref.size() >= ReferenceTest.MIN_REFERENCE) {
        Test t = test(b, ref, basis, km, small, scores);
        tested++;
        if (best == null || t.logP() < best.logP()) {
          best = t;
        }
      }
    }
    DetectionDetails details =
        new DetectionDetails.ActivationClustering(
            null, maxRelativeSize, minSilhouette, DIMENSIONS, perClass);
    if (best == null) {
      return new Detection(NAME, scores, flagged, details);
    }
    double p = Math.min(1, tested * Math.exp(best.logP()));
    boolean holds = p <= ReferenceTest.ALPHA && best.ratio() >= MIN_RATIO;
    Finding finding =
        Finding.tested(
            NAME,
            Finding.TRIGGER,
            holds,
            p,
            best.ratio(),
            "share of a class's training examples in its smaller 2-means cluster against the clean"
                + " reference's share (binomial tail; smallest over "
                + tested
                + " classes, Bonferroni; at least "
                + (int) MIN_RATIO
                + " times the reference share)",
            best.excess().length,
            "a cluster of " + best.excess().length + " examples apart in the representation",
            best.label());
    if (holds) {
      flagged = new boolean[n];
      for (int i : best.excess()) {
        flagged[i] = true;
      }
    }
    return new Detection(NAME, scores, flagged, details, finding);
  }

  /**
   * One class tested against its reference: the binomial tail, the ratio of the shares, and the
   * positions of the estimated excess (small-cluster members by score, highest first).
   */
  private record Test(String label, double logP, double ratio, int[] excess) {}

  private static Test test(
      Representations.ClassBlock b,
      Representations.ClassBlock ref,
      double[][] basis,
      KMeans.Result km,
      int small,
      double[] scores) {
    int nc = b.size();
    int d = b.dim();
    int k = basis.length;
    int m = ref.size();
    double[] yr =
        Spectra.project(
            Spectra.centred(ref.rows(), m, d, Spectra.mean(b.rows(), nc, d)), m, d, basis);
    int inRef = 0;
    for (int i = 0; i < m; i++) {
      double toLarge = KMeans.dist2(yr, i * k, km.centroids(), (1 - small) * k, k);
      double toSmall = KMeans.dist2(yr, i * k, km.centroids(), small * k, k);
      inRef += toSmall < toLarge ? 1 : 0;
    }
    int inTrain = km.sizes()[small];
    double p0 = (inRef + 1.0) / (m + 2.0);
    double ratio = ((double) inTrain / nc) / p0;
    int excess = (int) Math.max(0, Math.round(inTrain - nc * (double) inRef / m));
    Integer[] members =
        java.util.stream.IntStream.range(0, nc)
            .filter(i -> km.assignment()[i] == small)
            .boxed()
            .sorted(
                (x, y) -> {
                  int c = Double.compare(scores[b.positions()[y]], scores[b.positions()[x]]);
                  return c != 0 ? c : Integer.compare(x, y);
                })
            .toArray(Integer[]::new);
    int[] flags = new int[Math.min(excess, members.length)];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = b.positions()[members[i]];
    }
    return new Test(b.label(), Binomial.logUpperTail(inTrain, nc, p0), ratio, flags);
  }

  // the silhouette is O(sample · n): a seeded subsample keeps it linear in n
  private static int[] sample(int n, SplittableRandom r) {
    if (n <= SILHOUETTE_SAMPLE) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < SILHOUETTE_SAMPLE; i++) {
      int j = i + r.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] s = java.util.Arrays.copyOf(idx, SILHOUETTE_SAMPLE);
    java.util.Arrays.sort(s);
    return s;
  }
}
