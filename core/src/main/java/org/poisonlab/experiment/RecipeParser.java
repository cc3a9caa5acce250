package org.poisonlab.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.Carriers;
import org.poisonlab.attack.Trigger;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.data.Dataset;
import org.poisonlab.defense.Detectors;
import org.poisonlab.experiment.LocatedTree.Node;
import org.poisonlab.experiment.Recipe.AttackSpec;
import org.poisonlab.experiment.Recipe.DataSpec;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.TrainConfig;

/**
 * Checks a located tree against the recipe schema. Every error names the file, the line and the
 * field path ({@code attacks[1].budgets[0].rate}).
 */
final class RecipeParser {
  static final Set<String> TOP =
      Set.of(
          "name",
          "description",
          "runner",
          "quick",
          "datasets",
          "train_limit",
          "test_limit",
          "model",
          "attacks",
          "budgets",
          "detectors",
          "attributors",
          "purge",
          "behavior_limit",
          "seeds");
  static final Set<String> DEMO_TOP =
      Set.of("name", "description", "runner", "quick", "seeds", "text_model", "image_model");
  static final Set<String> DATASET = Set.of("name", "train", "test");
  static final Set<String> ATTACK =
      Set.of(
          "kind",
          "trigger",
          "target",
          "from_label",
          "phrase",
          "twins",
          "cover",
          "harden",
          "carriers",
          "budgets");
  static final Set<String> BUDGET = Set.of("count", "rate");
  static final List<String> KINDS = org.poisonlab.attack.Attacks.KINDS;

  static final int DEFAULT_BEHAVIOR_LIMIT = 20;

  private final Path file;

  RecipeParser(Path file) {
    this.file = file;
  }

  Recipe parse(Node root) {
    Map<String, Node> top = object(root, "recipe");
    Recipe.Runner runner =
        top.containsKey("runner")
            ? enumValue(top.get("runner"), "runner", List.of("study", "demo")).equals("demo")
                ? Recipe.Runner.DEMO
                : Recipe.Runner.STUDY
            : Recipe.Runner.STUDY;
    allowOnly(top, "", runner == Recipe.Runner.DEMO ? DEMO_TOP : TOP, runner);
    String name = string(required(top, root, "name", ""), "name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw bad(
          top.get("name"),
          "name",
          "must be letters, digits, '.', '_' or '-' (it names the run folder), got \""
              + name
              + "\"");
    }
    String description =
        top.containsKey("description") ? string(top.get("description"), "description") : null;
    boolean quick = top.containsKey("quick") && bool(top.get("quick"), "quick");
    List<Long> seeds = seeds(top.get("seeds"));
    if (runner == Recipe.Runner.DEMO) {
      return Recipe.demo(
          file,
          name,
          description,
          quick,
          seeds,
          new DemoModels(
              demoModel(top, "text_model", Dataset.Kind.TEXT),
              demoModel(top, "image_model", Dataset.Kind.IMAGE)));
    }

    List<DataSpec> datasets = new ArrayList<>();
    Node ds = required(top, root, "datasets", "");
    List<Node> dsl = list(ds, "datasets");
    if (dsl.isEmpty()) {
      throw bad(ds, "datasets", "needs at least one dataset");
    }
    for (int i = 0; i < dsl.size(); i++) {
      datasets.add(dataset(dsl.get(i), "datasets[" + i + "]"));
    }
    int trainLimit = top.containsKey("train_limit") ? limit(top, "train_limit") : 0;
    int testLimit = top.containsKey("test_limit") ? limit(top, "test_limit") : 0;
    String model = top.containsKey("model") ? string(top.get("model"), "model") : "logreg";
    try {
      TrainConfig.defaults(model, Dataset.Kind.TEXT);
    } catch (BadInputException e) {
      throw bad(top.get("model"), "model", e.problem());
    }

    List<Budget> defaultBudgets =
        top.containsKey("budgets") ? budgets(top.get("budgets"), "budgets") : null;
    Node as = required(top, root, "attacks", "");
    List<Node> asl = list(as, "attacks");
    if (asl.isEmpty()) {
      throw bad(as, "attacks", "needs at least one attack");
    }
    List<AttackSpec> attacks = new ArrayList<>();
    for (int i = 0; i < asl.size(); i++) {
      attacks.add(attack(asl.get(i), "attacks[" + i + "]", defaultBudgets));
    }

    List<Recipe.Method> detectors = methods(top.get("detectors"), "detectors", true);
    List<Recipe.Method> attributors = methods(top.get("attributors"), "attributors", false);
    Recipe.PurgeMode purge =
        top.containsKey("purge") ? purgeMode(top.get("purge"), "purge") : Recipe.PurgeMode.EXAMPLE;
    int behaviorLimit =
        top.containsKey("behavior_limit")
            ? positive(top.get("behavior_limit"), "behavior_limit")
            : DEFAULT_BEHAVIOR_LIMIT;
    return new Recipe(
        file,
        name,
        description,
        runner,
        quick,
        datasets,
        trainLimit,
        testLimit,
        model,
        attacks,
        detectors,
        attributors,
        purge,
        behaviorLimit,
        seeds,
        null);
  }

  /** A demo recipe's model family for one kind of data, checked; null when absent. */
  private String demoModel(Map<String, Node> top, String key, Dataset.Kind kind) {
    if (!top.containsKey(key)) {
      return null;
    }
    String model = string(top.get(key), key);
    try {
      TrainConfig.defaults(model, kind);
    } catch (BadInputException e) {
      throw bad(top.get(key), key, e.problem());
    }
    return model;
  }

  // ---------------------------------------------------------------- parts

  private DataSpec dataset(Node n, String path) {
    if (n.value() instanceof String s) {
      // "spamassassin" is short for {"train": "spamassassin:train", "test": "spamassassin:test"}
      if (s.isBlank() || s.contains(":") || s.contains("/")) {
        throw bad(
            n,
            path,
            "a pinned dataset name (spamassassin, fashion-mnist) or an object with train and test,"
                + " got \""
                + s
                + "\"");
      }
      return new DataSpec(s, s + ":train", s + ":test");
    }
    Map<String, Node> m = object(n, path);
    allowOnly(m, path + ".", DATASET, null);
    String train = string(required(m, n, "train", path + "."), path + ".train");
    String test = string(required(m, n, "test", path + "."), path + ".test");
    String name;
    if (m.containsKey("name")) {
      name = string(m.get("name"), path + ".name");
    } else {
      int colon = train.indexOf(':');
      name =
          colon > 0
              ? train.substring(0, colon)
              : Path.of(train).getFileName().toString().replaceFirst("\\.jsonl$", "");
    }
    return new DataSpec(name, train, test);
  }

  private AttackSpec attack(Node n, String path, List<Budget> defaultBudgets) {
    Map<String, Node> m = object(n, path);
    allowOnly(m, path + ".", ATTACK, null);
    String kind = enumValue(required(m, n, "kind", path + "."), path + ".kind", KINDS);
    String trigger = optString(m, "trigger", path);
    if (trigger != null && trigger.startsWith("patch:")) {
      try {
        Trigger.parse(trigger, Dataset.Kind.IMAGE);
      } catch (BadInputException e) {
        throw bad(m.get("trigger"), path + ".trigger", e.problem());
      }
    } else if (trigger != null && trigger.isBlank()) {
      throw bad(m.get("trigger"), path + ".trigger", "is blank");
    }
    String target = optString(m, "target", path);
    String fromLabel = optString(m, "from_label", path);
    String phrase = optString(m, "phrase", path);
    boolean twins = !m.containsKey("twins") || bool(m.get("twins"), path + ".twins");
    boolean flip = kind.equals("label-flip");
    if (!flip && target == null) {
      throw bad(n, path, "attack " + kind + " needs a \"target\" label");
    }
    if (flip && (fromLabel == null) != (target == null)) {
      throw bad(
          n,
          path,
          "class-conditional label flipping needs both \"from_label\" and \"target\"; uniform"
              + " flipping needs neither");
    }
    rejectUnless(m, "from_label", flip, kind, path);
    rejectUnless(m, "trigger", !flip, kind, path);
    rejectUnless(m, "phrase", kind.equals("semantic"), kind, path);
    rejectUnless(m, "twins", kind.equals("sleeper"), kind, path);
    rejectUnless(m, "cover", kind.equals("combo") || kind.equals("adaptive-blend"), kind, path);
    Double cover = null;
    if (m.containsKey("cover")) {
      cover = number(m.get("cover"), path + ".cover");
      if (!(cover >= 0 && cover <= 10)) {
        throw bad(m.get("cover"), path + ".cover", "must be in [0, 10], got " + cover);
      }
    }
    rejectUnless(m, "harden", kind.equals("clean-label"), kind, path);
    Double harden = null;
    if (m.containsKey("harden")) {
      harden = number(m.get("harden"), path + ".harden");
      if (!(harden >= 0 && harden < 1)) {
        throw bad(m.get("harden"), path + ".harden", "must be in [0, 1), got " + harden);
      }
    }
    rejectUnless(m, "carriers", Attacks.CARRIER_KINDS.contains(kind), kind, path);
    Carriers carriers = null;
    if (m.containsKey("carriers")) {
      carriers =
          Carriers.parse(
              enumValue(
                  m.get("carriers"),
                  path + ".carriers",
                  Arrays.stream(Carriers.values()).map(Carriers::jsonName).toList()));
    }
    List<Budget> budgets;
    if (m.containsKey("budgets")) {
      budgets = budgets(m.get("budgets"), path + ".budgets");
    } else if (defaultBudgets != null) {
      budgets = defaultBudgets;
    } else {
      throw bad(n, path, "no \"budgets\" here or at the top of the recipe");
    }
    return new AttackSpec(
        kind, trigger, target, fromLabel, phrase, twins, cover, harden, carriers, budgets);
  }

  private void rejectUnless(
      Map<String, Node> m, String field, boolean ok, String kind, String path) {
    if (!ok && m.containsKey(field)) {
      throw bad(m.get(field), path + "." + field, "does not apply to attack " + kind);
    }
  }

  private List<Budget> budgets(Node n, String path) {
    List<Node> l = list(n, path);
    if (l.isEmpty()) {
      throw bad(n, path, "needs at least one budget");
    }
    List<Budget> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      String p = path + "[" + i + "]";
      Map<String, Node> m = object(l.get(i), p);
      allowOnly(m, p + ".", BUDGET, null);
      if (m.size() != 1) {
        throw bad(l.get(i), p, "give exactly one of \"count\" or \"rate\"");
      }
      try {
        if (m.containsKey("count")) {
          out.add(Budget.ofCount(positive(m.get("count"), p + ".count")));
        } else {
          Node r = m.get("rate");
          double rate = number(r, p + ".rate");
          if (!(rate > 0 && rate <= 1)) {
            throw bad(r, p + ".rate", "must be in (0, 1], got " + rate);
          }
          out.add(Budget.ofRate(rate));
        }
      } catch (BadInputException e) {
        if (e.file() != null) {
          throw e;
        }
        throw bad(l.get(i), p, e.problem());
      }
    }
    return out;
  }

  /**
   * Detectors or attributors: each a name, or an object with {@code "name"} and the method's
   * options as further fields ({@code {"name": "ngram-association", "alpha": 1e-4}}). Names and
   * option names are checked against the registry; detector option values too (attributor values
   * are checked when the method runs).
   */
  private List<Recipe.Method> methods(Node n, String path, boolean detectors) {
    if (n == null) {
      return List.of();
    }
    List<Node> l = list(n, path);
    Set<String> seen = new LinkedHashSet<>();
    List<Recipe.Method> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      String p = path + "[" + i + "]";
      Node item = l.get(i);
      Node nameNode = item;
      Map<String, Node> fields = Map.of();
      if (item.value() instanceof Map) {
        fields = object(item, p);
        nameNode = required(fields, item, "name", p + ".");
        p = p + ".name";
      } else if (!(item.value() instanceof String)) {
        throw bad(item, p, "must be a name or an object with \"name\", got " + describe(item));
      }
      String name = string(nameNode, p);
      String at = path + "[" + i + "]";
      boolean defaultScan = detectors && name.equals(Recipe.Method.DEFAULT_SCAN);
      List<String> known;
      try {
        known =
            defaultScan
                ? List.of()
                : detectors ? Detectors.optionNames(name) : Attributors.optionNames(name);
      } catch (BadInputException e) {
        throw bad(nameNode, p, e.problem());
      }
      Map<String, String> options = new java.util.LinkedHashMap<>();
      Recipe.PurgeMode purge = null;
      for (Map.Entry<String, Node> f : fields.entrySet()) {
        if (f.getKey().equals("name")) {
          continue;
        }
        if (f.getKey().equals("purge")) {
          purge = purgeMode(f.getValue(), at + ".purge");
          continue;
        }
        String field = at + "." + f.getKey();
        if (!known.contains(f.getKey())) {
          throw new BadInputException(
              file,
              f.getValue().line(),
              "field \""
                  + field
                  + "\" is not an option of "
                  + name
                  + "; "
                  + (known.isEmpty() ? "it takes none" : "its options are " + known));
        }
        options.put(f.getKey(), optionValue(f.getValue(), field));
      }
      if (detectors && !defaultScan) {
        try {
          Detectors.byName(name, options);
        } catch (BadInputException e) {
          throw bad(item, at, e.problem());
        }
      }
      if (!seen.add(name)) {
        throw bad(nameNode, p, "\"" + name + "\" is named twice");
      }
      out.add(new Recipe.Method(name, options, purge));
    }
    return List.copyOf(out);
  }

  private Recipe.PurgeMode purgeMode(Node n, String path) {
    return enumValue(n, path, List.of("example", "source")).equals("source")
        ? Recipe.PurgeMode.SOURCE
        : Recipe.PurgeMode.EXAMPLE;
  }

  /** An option value as the method reads it: a string, number or boolean, as text. */
  private String optionValue(Node n, String path) {
    Object v = n.value();
    if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
      return v.toString();
    }
    throw bad(n, path, "must be a string, number or boolean, got " + describe(n));
  }

  private List<Long> seeds(Node n) {
    if (n == null) {
      return List.of(0L);
    }
    List<Node> l = list(n, "seeds");
    if (l.isEmpty()) {
      throw bad(n, "seeds", "needs at least one seed");
    }
    Set<Long> out = new LinkedHashSet<>();
    for (int i = 0; i < l.size(); i++) {
      long s = integer(l.get(i), "seeds[" + i + "]");
      if (!out.add(s)) {
        throw bad(l.get(i), "seeds[" + i + "]", "seed " + s + " is listed twice");
      }
    }
    return List.copyOf(out);
  }

  private int limit(Map<String, Node> m, String field) {
    long v = integer(m.get(field), field);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw bad(m.get(field), field, "must be 0 (all) or a positive count, got " + v);
    }
    return (int) v;
  }

  // ---------------------------------------------------------------- typed access

  private Map<String, Node> object(Node n, String path) {
    if (n.value() instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Node> typed = (Map<String, Node>) m;
      return typed;
    }
    throw bad(n, path, "must be an object, got " + describe(n));
  }

  private List<Node> list(Node n, String path) {
    if (n.value() instanceof List<?> l) {
      @SuppressWarnings("unchecked")
      List<Node> typed = (List<Node>) l;
      return typed;
    }
    throw bad(n, path, "must be a list, got " + describe(n));
  }

  private String string(Node n, String path) {
    if (n.value() instanceof String s) {
      return s;
    }
    throw bad(n, path, "must be a string, got " + describe(n));
  }

  private String optString(Map<String, Node> m, String field, String path) {
    return m.containsKey(field) ? string(m.get(field), path + "." + field) : null;
  }

  private boolean bool(Node n, String path) {
    if (n.value() instanceof Boolean b) {
      return b;
    }
    throw bad(n, path, "must be true or false, got " + describe(n));
  }

  private long integer(Node n, String path) {
    if (n.value() instanceof Long l) {
      return l;
    }
    throw bad(n, path, "must be a whole number, got " + describe(n));
  }

  private int positive(Node n, String path) {
    long v = integer(n, path);
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw bad(n, path, "must be a positive whole number, got " + v);
    }
    return (int) v;
  }

  private double number(Node n, String path) {
    if (n.value() instanceof Long l) {
      return l;
    }
    if (n.value() instanceof Double d) {
      return d;
    }
    throw bad(n, path, "must be a number, got " + describe(n));
  }

  private String enumValue(Node n, String path, List<String> allowed) {
    String s = string(n, path);
    if (!allowed.contains(s)) {
      throw bad(n, path, "unknown value \"" + s + "\"; expected one of " + allowed);
    }
    return s;
  }

  private Node required(Map<String, Node> m, Node parent, String field, String prefix) {
    Node n = m.get(field);
    if (n == null) {
      throw new BadInputException(
          file, parent.line(), "field \"" + prefix + field + "\" is missing");
    }
    return n;
  }

  private void allowOnly(
      Map<String, Node> m, String prefix, Set<String> allowed, Recipe.Runner runner) {
    for (Map.Entry<String, Node> e : m.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        String why =
            runner == Recipe.Runner.DEMO && TOP.contains(e.getKey())
                ? "does not apply to the demo runner (it runs the seed's table as built in)"
                : "is not a recipe field; expected one of " + new java.util.TreeSet<>(allowed);
        throw new BadInputException(
            file, e.getValue().line(), "field \"" + prefix + e.getKey() + "\" " + why);
      }
    }
  }

  private BadInputException bad(Node n, String path, String problem) {
    return new BadInputException(file, n.line(), "field \"" + path + "\" " + problem);
  }

  private static String describe(Node n) {
    Object v = n.value();
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    return v.toString().toLowerCase(Locale.ROOT);
  }
}
