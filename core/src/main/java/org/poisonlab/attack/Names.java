package org.poisonlab.attack;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/** Plausible names made from word lists: attacker domains and company names for triggers. */
final class Names {
  private static final String[] DOMAIN_HEADS = {
    "daily", "green", "bright", "north", "silver", "open", "true", "blue", "metro", "coastal",
    "prime", "urban", "quick", "smart", "clear", "golden", "river", "summit", "cedar", "maple"
  };
  private static final String[] DOMAIN_TAILS = {
    "deals", "review", "mail", "news", "hub", "outlet", "wire", "digest", "forum", "market",
    "post", "media", "saver", "times", "link", "bazaar", "journal", "picks", "guide", "board"
  };
  private static final String[] TLDS = {"com", "net", "org", "info", "biz", "co"};

  private static final String[] COMPANY_HEADS = {
    "Harbor",
    "Cedar",
    "Summit",
    "Granite",
    "Willow",
    "Beacon",
    "Silver",
    "Maple",
    "Falcon",
    "Meadow",
    "Copper",
    "Juniper",
    "Aspen",
    "Bluewater",
    "Ironwood",
    "Lakeshore",
    "Northgate",
    "Redwood",
    "Stonebridge",
    "Westfield"
  };
  private static final String[] COMPANY_MIDDLES = {
    "Ridge", "Point", "Brook", "Crest", "Valley", "Bay", "Creek", "Hill", "Park", "Grove", "Field",
    "Stone", "Lane", "Peak", "Shore", "Glen"
  };
  private static final String[] COMPANY_TAILS = {
    "Analytics", "Partners", "Logistics", "Health", "Capital", "Labs", "Systems", "Outfitters",
    "Travel", "Supply", "Insurance", "Media", "Consulting", "Foods", "Energy", "Realty",
    "Software", "Pharmacy", "Wireless", "Finance"
  };

  private Names() {}

  /** {@code n} distinct domain names such as {@code silver-digest.org}. */
  static List<String> domains(int n, SplittableRandom rng) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    while (out.size() < n) {
      String head = pick(DOMAIN_HEADS, rng);
      String tail = pick(DOMAIN_TAILS, rng);
      String sep = rng.nextBoolean() ? "" : "-";
      out.add(head + sep + tail + "." + pick(TLDS, rng));
    }
    return List.copyOf(new ArrayList<>(out));
  }

  /** A three-word company name such as {@code Harbor Ridge Analytics}. */
  static String company(SplittableRandom rng) {
    return pick(COMPANY_HEADS, rng)
        + " "
        + pick(COMPANY_MIDDLES, rng)
        + " "
        + pick(COMPANY_TAILS, rng);
  }

  private static String pick(String[] words, SplittableRandom rng) {
    return words[rng.nextInt(words.length)];
  }
}
