package org.poisonlab.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.Featurizers;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Makes text carriers of a clean-label backdoor hard to classify before the trigger goes in, so
 * that the trigger is what explains their (correct) label: the step of Kallima (Chen et al.,
 * ESORICS 2022, arXiv:2206.01832) and, for images, of Turner, Tsipras and Madry 2019, done here by
 * deletion.
 *
 * <p>The attacker fits a surrogate — logistic regression on hashed n-grams, trained on the clean
 * set the attacker holds — and scores each token {@code w} by how much it alone moves the surrogate
 * towards the target: {@code s(w) = log p(target | w) − log p(target | empty text)}. A carrier's
 * white-space-separated words are scored by the sum of their tokens' scores, and the {@code
 * floor(share × words)} highest-scoring words with a positive score are deleted (each with the
 * white space before it); every other character stays, in order. The label is not changed and the
 * text is still an example of its class with its most telling words gone.
 */
final class CarrierHardening {
  /** The share of a carrier's words deleted when none is given. */
  static final double DEFAULT_SHARE = 0.3;

  private final Map<String, Double> scores;
  private final double share;

  CarrierHardening(Map<String, Double> scores, double share) {
    this.scores = scores;
    this.share = share;
  }

  /**
   * Token scores by clean set and target, made once per pair in a process: a sweep of budgets over
   * one training set fits one surrogate. Held while the data set is reachable.
   */
  private static final Map<Dataset, Map<String, Map<String, Double>>> SCORES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * The hardening of carriers labelled {@code target} against a surrogate trained on {@code clean}
   * (with seed 0: the surrogate, and so the deletions, do not depend on the attack's seed); the
   * tokens of every example labelled {@code target} are scored.
   */
  static CarrierHardening fit(Dataset clean, String target, double share) {
    Map<String, Double> scores =
        SCORES
            .computeIfAbsent(clean, d -> new java.util.concurrent.ConcurrentHashMap<>())
            .computeIfAbsent(target, t -> scores(clean, t));
    return new CarrierHardening(scores, share);
  }

  private static Map<String, Double> scores(Dataset clean, String target) {
    Classifier surrogate =
        Trainers.train(clean, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0, null, null);
    Set<String> vocabulary = new LinkedHashSet<>();
    for (Example e : clean) {
      if (e.label().equals(target) && e.text() != null) {
        vocabulary.addAll(Featurizers.tokens(e.text()));
      }
    }
    String label = clean.get(0).label();
    List<Example> probes = new ArrayList<>(vocabulary.size() + 1);
    probes.add(Example.ofText("", label, null));
    for (String w : vocabulary) {
      probes.add(Example.ofText(w, label, null));
    }
    int classes = surrogate.labels().size();
    int t = surrogate.labels().indexOf(target);
    double[] p = surrogate.predictProba(probes);
    double base = Math.log(p[t]);
    Map<String, Double> scores = new HashMap<>(2 * vocabulary.size());
    int i = 1;
    for (String w : vocabulary) {
      scores.put(w, Math.log(p[i * classes + t]) - base);
      i++;
    }
    return Collections.unmodifiableMap(scores);
  }

  /** {@code e} with its words that most tell its class deleted; other examples unchanged. */
  Example apply(Example e) {
    return e.text() == null ? e : e.withText(harden(e.text()));
  }

  String harden(String text) {
    int[] spans = Trigger.TextTrigger.wordSpans(text);
    int words = spans.length / 2;
    int k = (int) Math.floor(share * words);
    if (k == 0) {
      return text;
    }
    double[] score = new double[words];
    Integer[] order = new Integer[words];
    for (int j = 0; j < words; j++) {
      for (String token : Featurizers.tokens(text.substring(spans[2 * j], spans[2 * j + 1]))) {
        score[j] += scores.getOrDefault(token, 0.0);
      }
      order[j] = j;
    }
    // highest score first; ties by position, so the choice does not depend on the sort
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(j -> -score[j]).thenComparingInt(j -> j));
    boolean[] drop = new boolean[words];
    for (int j = 0; j < k && score[order[j]] > 0; j++) {
      drop[order[j]] = true;
    }
    // the white space before the first word and after the last one stays; a kept word after the
    // first kept one keeps the white space that preceded it
    int n = text.length();
    StringBuilder out = new StringBuilder(n);
    out.append(text, 0, spans[0]);
    boolean first = true;
    for (int j = 0; j < words; j++) {
      if (drop[j]) {
        continue;
      }
      if (!first) {
        out.append(text, spans[2 * j - 1], spans[2 * j]);
      }
      out.append(text, spans[2 * j], spans[2 * j + 1]);
      first = false;
    }
    out.append(text, spans[2 * words - 1], n);
    return out.toString();
  }
}
