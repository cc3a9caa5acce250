package org.poisonlab.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/**
 * Small datasets made by the project itself, for tests that must run without a fetch: synthetic
 * "emails" with class-typical vocabulary, and 28×28 images with class-typical shapes. Both are
 * learnable but not trivially separable (shared words, pixel noise), and deterministic for a seed.
 */
public final class Fixtures {
  private static final String[] SPAM_WORDS = {
    "free", "offer", "money", "winner", "click", "credit", "cheap", "viagra", "cash", "bonus", "limited",
    "guaranteed", "discount", "loan", "prize", "urgent", "deal", "investment", "unsubscribe", "million"
  };
  private static final String[] HAM_WORDS = {
    "meeting", "agenda", "patch", "kernel", "release", "thanks", "review", "build", "list", "question",
    "draft", "notes", "team", "schedule", "project", "bug", "config", "server", "tomorrow", "attached"
  };
  private static final String[] COMMON_WORDS = {
    "the", "a", "to", "and", "of", "you", "for", "is", "on", "this", "we", "your", "with", "it", "be", "at",
    "from", "have", "will", "please"
  };

  private Fixtures() {}

  /**
   * {@code n} synthetic emails labelled {@code spam} (about a third) or {@code ham}, 20 to 60 words
   * each, from 20 sender domains.
   */
  public static Dataset textEmails(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean spam = rng.nextInt(3) == 0;
      int words = 20 + rng.nextInt(41);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < words; w++) {
        double u = rng.nextDouble();
        String[] pool = u < 0.5 ? COMMON_WORDS : (u < 0.85) == spam ? SPAM_WORDS : HAM_WORDS;
        if (w > 0) {
          sb.append(' ');
        }
        sb.append(pool[rng.nextInt(pool.length)]);
      }
      sb.append(" #").append(i);
      String label = spam ? "spam" : "ham";
      String source = (spam ? "bulk" : "list") + rng.nextInt(10) + ".example.org";
      out.add(Example.ofText(sb.toString(), label, source));
    }
    return new Dataset("fixture-emails", out);
  }

  /**
   * {@code n} synthetic 28×28 images of {@code classes} classes (labels "0".."k-1"): class c is a
   * bright horizontal bar at a class-specific height, with pixel noise; the bottom-right corner is
   * dark, so a corner patch is a clean trigger.
   */
  public static Dataset images(int n, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>(n);
    int[] shape = {28, 28};
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(classes);
      byte[] px = new byte[28 * 28];
      int rowStart = 2 + (classes == 1 ? 0 : c * 18 / (classes - 1));
      for (int r = 0; r < 24; r++) {
        for (int col = 0; col < 24; col++) {
          int v = rng.nextInt(60);
          if (r >= rowStart && r < rowStart + 4) {
            v = 150 + rng.nextInt(100);
          }
          px[r * 28 + col] = (byte) v;
        }
      }
      out.add(Example.ofImage(px, shape, Integer.toString(c), "contributor-" + rng.nextInt(20)));
    }
    return new Dataset("fixture-images", out);
  }
}
