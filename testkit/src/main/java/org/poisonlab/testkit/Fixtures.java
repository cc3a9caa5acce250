package org.poisonlab.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/** Small synthetic data sets made from a seed, for tests that must run without any download. */
public final class Fixtures {
  private static final String[] SPAM_WORDS = {
    "winner", "free", "prize", "cash", "offer", "click", "viagra", "bonus"
  };
  private static final String[] HAM_WORDS = {
    "meeting", "patch", "build", "review", "lunch", "release", "kernel", "notes"
  };
  private static final String[] COMMON = {
    "the", "a", "to", "and", "of", "for", "you", "is", "on", "we"
  };

  private Fixtures() {}

  /**
   * {@code n} images of {@code size × size} pixels in {@code classes} classes (labels "0", "1",
   * ...): class {@code c} lights a bright horizontal bar in its own band of rows, over uniform
   * noise up to 60. Linearly separable with a wide margin.
   */
  public static Dataset bars(int n, int size, int classes, long seed) {
    if (classes > size) {
      throw new IllegalArgumentException("at most " + size + " classes fit in " + size + " rows");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>(n);
    int band = size / classes;
    for (int i = 0; i < n; i++) {
      int c = i % classes;
      byte[] px = new byte[size * size];
      for (int p = 0; p < px.length; p++) {
        px[p] = (byte) rng.nextInt(61);
      }
      int row = c * band + rng.nextInt(band);
      for (int x = 0; x < size; x++) {
        px[row * size + x] = (byte) (200 + rng.nextInt(56));
      }
      out.add(Example.ofImage(px, new int[] {size, size}, Integer.toString(c), "bars"));
    }
    return new Dataset("bars", out);
  }

  /**
   * {@code n} short mails, alternately "spam" and "ham": each mixes common words with three to six
   * words from its class's vocabulary. Sources are {@code spam.example} and {@code ham.example}.
   */
  public static Dataset mails(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean spam = i % 2 == 0;
      String[] own = spam ? SPAM_WORDS : HAM_WORDS;
      StringBuilder sb = new StringBuilder();
      int words = 8 + rng.nextInt(8);
      int marked = 3 + rng.nextInt(4);
      for (int w = 0; w < words; w++) {
        String word =
            w < marked ? own[rng.nextInt(own.length)] : COMMON[rng.nextInt(COMMON.length)];
        sb.append(w == 0 ? "" : " ")
            .append(rng.nextBoolean() ? word.toUpperCase(java.util.Locale.ROOT) : word);
      }
      sb.append(" #").append(i);
      out.add(
          Example.ofText(
              sb.toString(), spam ? "spam" : "ham", spam ? "spam.example" : "ham.example"));
    }
    return new Dataset("mails", out);
  }

  private static final String[] EMAIL_SPAM_WORDS = {
    "free",
    "offer",
    "money",
    "winner",
    "click",
    "credit",
    "cheap",
    "viagra",
    "cash",
    "bonus",
    "limited",
    "guaranteed",
    "discount",
    "loan",
    "prize",
    "urgent",
    "deal",
    "investment",
    "unsubscribe",
    "million"
  };
  private static final String[] EMAIL_HAM_WORDS = {
    "meeting", "agenda", "patch", "kernel", "release", "thanks", "review", "build", "list",
        "question",
    "draft", "notes", "team", "schedule", "project", "bug", "config", "server", "tomorrow",
        "attached"
  };
  private static final String[] EMAIL_COMMON_WORDS = {
    "the", "a", "to", "and", "of", "you", "for", "is", "on", "this", "we", "your", "with", "it",
    "be", "at", "from", "have", "will", "please"
  };

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
        String[] pool =
            u < 0.5 ? EMAIL_COMMON_WORDS : (u < 0.85) == spam ? EMAIL_SPAM_WORDS : EMAIL_HAM_WORDS;
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
