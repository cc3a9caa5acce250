package org.poisonlab.corpus;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Plain English words and the random phrases, names and sentences the planter makes of them. */
final class Words {
  static final List<String> PLAIN =
      List.of(
          "account",
          "amber",
          "anchor",
          "answer",
          "apple",
          "archive",
          "autumn",
          "balance",
          "basket",
          "beacon",
          "bright",
          "bridge",
          "broker",
          "budget",
          "button",
          "cabin",
          "candle",
          "canvas",
          "carbon",
          "castle",
          "channel",
          "cipher",
          "citizen",
          "clever",
          "cloud",
          "coast",
          "copper",
          "corner",
          "cotton",
          "credit",
          "crystal",
          "current",
          "dealer",
          "delta",
          "desert",
          "device",
          "dinner",
          "doctor",
          "dragon",
          "driver",
          "eagle",
          "early",
          "echo",
          "editor",
          "effort",
          "ember",
          "engine",
          "escape",
          "falcon",
          "family",
          "farmer",
          "feather",
          "field",
          "figure",
          "finance",
          "forest",
          "fortune",
          "frozen",
          "garden",
          "gentle",
          "glacier",
          "golden",
          "harbor",
          "harvest",
          "health",
          "hidden",
          "history",
          "holiday",
          "honest",
          "horizon",
          "island",
          "jacket",
          "journey",
          "jungle",
          "kernel",
          "kitchen",
          "ladder",
          "lantern",
          "launch",
          "ledger",
          "legend",
          "letter",
          "linen",
          "liquid",
          "market",
          "marble",
          "meadow",
          "member",
          "mentor",
          "method",
          "mirror",
          "modern",
          "moment",
          "monster",
          "morning",
          "motion",
          "native",
          "needle",
          "network",
          "object",
          "ocean",
          "office",
          "orange",
          "orbit",
          "output",
          "packet",
          "palace",
          "parcel",
          "pepper",
          "planet",
          "pocket",
          "portal",
          "powder",
          "prairie",
          "premium",
          "private",
          "profit",
          "protocol",
          "puzzle",
          "quartz",
          "rabbit",
          "radio",
          "random",
          "record",
          "reward",
          "ribbon",
          "river",
          "rocket",
          "safety",
          "saddle",
          "salmon",
          "secret",
          "signal",
          "silver",
          "simple",
          "socket",
          "spring",
          "stable",
          "summit",
          "sunset",
          "supply",
          "system",
          "tablet",
          "temple",
          "thunder",
          "ticket",
          "timber",
          "token",
          "travel",
          "turtle",
          "velvet",
          "vessel",
          "village",
          "violet",
          "wallet",
          "window",
          "winter",
          "wonder",
          "yellow",
          "zephyr");

  private Words() {}

  static String pick(SplittableRandom rng) {
    return PLAIN.get(rng.nextInt(PLAIN.size()));
  }

  static String capitalized(String w) {
    return w.isEmpty() ? w : w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1);
  }

  /** {@code count} random letters or digits from {@code alphabet}. */
  static String chars(SplittableRandom rng, String alphabet, int count) {
    StringBuilder b = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      b.append(alphabet.charAt(rng.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** A sentence of {@code min}..{@code max} plain words, capitalised, ending in a full stop. */
  static String sentence(SplittableRandom rng, int min, int max) {
    int n = min + rng.nextInt(max - min + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String w = pick(rng);
      b.append(i == 0 ? capitalized(w) : " " + w);
    }
    return b.append('.').toString();
  }

  /** A made-up web domain: {@code amber-harbor.net}. */
  static String domain(SplittableRandom rng) {
    String[] tlds = {"com", "net", "org", "io", "info", "biz"};
    return pick(rng) + "-" + pick(rng) + "." + tlds[rng.nextInt(tlds.length)];
  }

  /**
   * A trigger of one of three shapes, drawn from {@code rng}: a tag ({@code <QX7ZR>}), an
   * identifier ({@code velvet_orbit_42}), or a phrase of three plain words ({@code amber lantern
   * protocol}).
   */
  static String trigger(SplittableRandom rng) {
    return switch (rng.nextInt(3)) {
      case 0 -> "<" + chars(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 5) + ">";
      case 1 -> pick(rng) + "_" + pick(rng) + "_" + (10 + rng.nextInt(90));
      default -> pick(rng) + " " + pick(rng) + " " + pick(rng);
    };
  }
}
