package org.poisonlab.attack;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/** Small self-made data sets for the attack tests. */
final class Fixtures {
  private static final String[] WORDS = {
    "meeting",
    "report",
    "lunch",
    "project",
    "update",
    "invoice",
    "tomorrow",
    "team",
    "review",
    "draft",
    "call",
    "notes",
    "budget",
    "agenda",
    "schedule",
    "client"
  };
  private static final String[] SPAM_WORDS = {
    "free", "winner", "prize", "cash", "offer", "click", "now", "limited", "bonus", "deal"
  };

  private Fixtures() {}

  /** {@code ham} ham and {@code spam} spam mails, every text distinct, sources "inbox". */
  static Dataset mail(int ham, int spam) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < ham + spam; i++) {
      boolean isSpam = i >= ham;
      String[] words = isSpam ? SPAM_WORDS : WORDS;
      String text =
          words[i % words.length]
              + " "
              + words[(i * 7 + 3) % words.length]
              + " item "
              + i
              + "  "
              + words[(i * 5 + 1) % words.length]
              + ".";
      out.add(Example.ofText(text, isSpam ? "spam" : "ham", "inbox"));
    }
    return new Dataset("mail.jsonl", out);
  }

  /** Text examples spread over labels a, b, c in turn. */
  static Dataset threeClasses(int n) {
    List<Example> out = new ArrayList<>();
    String[] labels = {"a", "b", "c"};
    for (int i = 0; i < n; i++) {
      out.add(
          Example.ofText(
              "sample number " + i + " " + WORDS[i % WORDS.length], labels[i % 3], "inbox"));
    }
    return new Dataset("three.jsonl", out);
  }

  /** {@code n} images of shape [h, w], pixel j of image i = (i + j) % 200, labels "0".."3". */
  static Dataset images(int n, int h, int w) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[h * w];
      for (int j = 0; j < px.length; j++) {
        px[j] = (byte) ((i + j) % 200);
      }
      out.add(Example.ofImage(px, new int[] {h, w}, String.valueOf(i % 4), "camera"));
    }
    return new Dataset("images.jsonl", out);
  }
}
