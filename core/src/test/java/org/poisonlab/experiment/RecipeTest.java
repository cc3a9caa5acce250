package org.poisonlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.attack.Budget;
import org.poisonlab.io.BadInputException;

/** Recipes are read strictly: every mistake is named with its file, line and field. */
class RecipeTest {
  @TempDir Path dir;

  static final String STUDY =
      """
      {
        "name": "study",
        "datasets": ["spamassassin", {"train": "data/train.jsonl", "test": "data/test.jsonl"}],
        "train_limit": 2000,
        "attacks": [
          {"kind": "backdoor", "target": "ham", "trigger": "cf-2024"},
          {"kind": "label-flip", "budgets": [{"rate": 0.1}]}
        ],
        "budgets": [{"count": 10}, {"rate": 0.02}],
        "detectors": ["spectral", "knn"],
        "attributors": ["gradient-dot"],
        "purge": "source",
        "seeds": [0, 7]
      }
      """;

  static final String STUDY_YAML =
      """
      # the same study, in YAML
      name: study
      datasets:
        - spamassassin
        - {train: data/train.jsonl, test: data/test.jsonl}
      train_limit: 2000
      attacks:
        - kind: backdoor
          target: ham
          trigger: cf-2024
        - kind: label-flip
          budgets: [{rate: 0.1}]
      budgets:
        - count: 10
        - rate: 0.02
      detectors: [spectral, knn]
      attributors: [gradient-dot]
      purge: source
      seeds: [0, 7]
      """;

  private Path write(String name, String content) {
    try {
      Path p = dir.resolve(name);
      Files.writeString(p, content);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private BadInputException rejected(String content) {
    Path p = write("bad.json", content);
    return assertThrows(BadInputException.class, () -> Recipe.read(p));
  }

  @Test
  void studyRecipeIsReadWithItsDefaults() {
    Recipe r = Recipe.read(write("study.json", STUDY));
    assertEquals("study", r.name());
    assertEquals(Recipe.Runner.STUDY, r.runner());
    assertEquals(2, r.datasets().size());
    assertEquals(
        new Recipe.DataSpec("spamassassin", "spamassassin:train", "spamassassin:test"),
        r.datasets().get(0));
    assertEquals("train", r.datasets().get(1).name(), "named after the training file");
    assertEquals(2000, r.trainLimit());
    assertEquals(0, r.testLimit());
    assertEquals("logreg", r.model());
    assertEquals(List.of(Budget.ofCount(10), Budget.ofRate(0.02)), r.attacks().get(0).budgets());
    assertEquals(List.of(Budget.ofRate(0.1)), r.attacks().get(1).budgets());
    assertEquals("cf-2024", r.attacks().get(0).trigger());
    assertNull(r.attacks().get(1).target());
    assertEquals(List.of(Recipe.Method.of("spectral"), Recipe.Method.of("knn")), r.detectors());
    assertEquals(List.of(Recipe.Method.of("gradient-dot")), r.attributors());
    assertEquals(Recipe.PurgeMode.SOURCE, r.purge());
    assertEquals(RecipeParser.DEFAULT_BEHAVIOR_LIMIT, r.behaviorLimit());
    assertEquals(List.of(0L, 7L), r.seeds());
  }

  @Test
  void yamlAndJsonSpellingsGiveTheSameRecipe() {
    Recipe json = Recipe.read(write("study.json", STUDY));
    Recipe yaml = Recipe.read(write("study.yaml", STUDY_YAML));
    assertEquals(json.withSeeds(json.seeds()), json);
    assertEquals(
        json,
        new Recipe(
            json.file(),
            yaml.name(),
            yaml.description(),
            yaml.runner(),
            yaml.quick(),
            yaml.datasets(),
            yaml.trainLimit(),
            yaml.testLimit(),
            yaml.model(),
            yaml.attacks(),
            yaml.detectors(),
            yaml.attributors(),
            yaml.purge(),
            yaml.behaviorLimit(),
            yaml.seeds(),
            yaml.demoModels()));
  }

  @Test
  void unknownFieldIsNamedWithItsLine() {
    BadInputException e =
        rejected(STUDY.replace("\"purge\": \"source\",", "\"purj\": \"source\","));
    assertEquals(12, e.line());
    assertTrue(e.getMessage().startsWith(dir.resolve("bad.json") + ":12: "), e.getMessage());
    assertTrue(e.problem().contains("\"purj\""), e.problem());
  }

  @Test
  void budgetOutOfRangeIsNamedByItsPath() {
    BadInputException e = rejected(STUDY.replace("{\"rate\": 0.02}", "{\"rate\": 1.5}"));
    assertEquals(9, e.line());
    assertTrue(e.problem().contains("\"budgets[1].rate\""), e.problem());
    assertTrue(e.problem().contains("1.5"), e.problem());
  }

  @Test
  void wrongTypeIsNamed() {
    BadInputException e =
        rejected(STUDY.replace("\"train_limit\": 2000", "\"train_limit\": \"2k\""));
    assertEquals(4, e.line());
    assertTrue(e.problem().contains("\"train_limit\" must be a whole number"), e.problem());
  }

  @Test
  void unknownDetectorAttackAndModelAreNamed() {
    assertTrue(
        rejected(STUDY.replace("\"knn\"", "\"magic\"")).problem().contains("\"detectors[1]\""));
    BadInputException kind = rejected(STUDY.replace("\"label-flip\"", "\"teleport\""));
    assertEquals(7, kind.line());
    assertTrue(kind.problem().contains("\"attacks[1].kind\""), kind.problem());
    assertTrue(
        rejected(STUDY.replace("\"seeds\"", "\"model\": \"gpt\", \"seeds\""))
            .problem()
            .contains("\"model\""));
    assertTrue(
        rejected(STUDY.replace("\"gradient-dot\"", "\"oracle\""))
            .problem()
            .contains("\"attributors[0]\""));
  }

  static final String WITH_OPTIONS =
      """
      {
        "name": "options",
        "datasets": ["spamassassin"],
        "attacks": [{"kind": "backdoor", "target": "ham", "budgets": [{"count": 50}]}],
        "detectors": [
          {"name": "ngram-association", "alpha": 1e-3, "min-docs": 4},
          "spectral"
        ],
        "attributors": [{"name": "trak", "k": 256, "projection": "gaussian"}, "gradient-dot"]
      }
      """;

  @Test
  void detectorsAndAttributorsTakeTheirOptionsAsFields() {
    Recipe r = Recipe.read(write("options.json", WITH_OPTIONS));
    assertEquals(
        List.of(
            new Recipe.Method(
                "ngram-association", java.util.Map.of("alpha", "0.001", "min-docs", "4")),
            Recipe.Method.of("spectral")),
        r.detectors());
    assertEquals(
        List.of(
            new Recipe.Method("trak", java.util.Map.of("k", "256", "projection", "gaussian")),
            Recipe.Method.of("gradient-dot")),
        r.attributors());
  }

  @Test
  void theDefaultScanAndPerMethodPurgesAndFamilyKindsAreRead() {
    Recipe r =
        Recipe.read(
            write(
                "matrix.json",
                """
                {"name": "m", "datasets": ["spamassassin"],
                 "attacks": [{"kind": "combo", "target": "ham", "cover": 0.5,
                              "budgets": [{"rate": 0.1}]},
                             {"kind": "synonym", "target": "ham", "trigger": "synonym:pairs=9,key=2"}],
                 "budgets": [{"count": 10}],
                 "detectors": ["default"],
                 "attributors": [{"name": "tracin-saliency", "purge": "source"}],
                 "seeds": [0]}
                """));
    assertEquals(List.of(Recipe.Method.of("default")), r.detectors());
    assertEquals(
        List.of(new Recipe.Method("tracin-saliency", java.util.Map.of(), Recipe.PurgeMode.SOURCE)),
        r.attributors());
    assertEquals(Recipe.PurgeMode.EXAMPLE, r.purge());
    assertEquals(
        List.of("combo", "synonym"), r.attacks().stream().map(Recipe.AttackSpec::kind).toList());
    assertEquals(0.5, r.attacks().get(0).cover());
    assertEquals(null, r.attacks().get(1).cover());
    Recipe hard =
        Recipe.read(
            write(
                "hard.json",
                """
                {"name": "h", "datasets": ["spamassassin"],
                 "attacks": [{"kind": "clean-label", "target": "spam", "harden": 0.4},
                             {"kind": "clean-label", "target": "ham"}],
                 "budgets": [{"rate": 0.1}], "seeds": [0]}
                """));
    assertEquals(0.4, hard.attacks().get(0).harden());
    assertEquals(null, hard.attacks().get(1).harden());
    for (String bad :
        List.of(
            "{\"kind\": \"backdoor\", \"target\": \"ham\", \"harden\": 0.2}",
            "{\"kind\": \"clean-label\", \"target\": \"ham\", \"harden\": 1}")) {
      BadInputException h =
          rejected(
              "{\"name\": \"h\", \"datasets\": [\"spamassassin\"], \"attacks\": ["
                  + bad
                  + "], \"budgets\": [{\"rate\": 0.1}], \"seeds\": [0]}");
      assertTrue(h.getMessage().contains("attacks[0].harden"), h.getMessage());
    }
    Recipe drawn =
        Recipe.read(
            write(
                "carriers.json",
                """
                {"name": "c", "datasets": ["fashion-mnist"],
                 "attacks": [{"kind": "backdoor", "target": "0", "carriers": "uniform"},
                             {"kind": "warp", "target": "1", "carriers": "faint"},
                             {"kind": "backdoor", "target": "2"}],
                 "budgets": [{"rate": 0.01}], "seeds": [0]}
                """));
    assertEquals(
        java.util.Arrays.asList(
            org.poisonlab.attack.Carriers.UNIFORM, org.poisonlab.attack.Carriers.FAINT, null),
        drawn.attacks().stream().map(Recipe.AttackSpec::carriers).toList());
    for (String bad :
        List.of(
            "{\"kind\": \"clean-label\", \"target\": \"ham\", \"carriers\": \"uniform\"}",
            "{\"kind\": \"backdoor\", \"target\": \"ham\", \"carriers\": \"hardest\"}")) {
      BadInputException c =
          rejected(
              "{\"name\": \"c\", \"datasets\": [\"spamassassin\"], \"attacks\": ["
                  + bad
                  + "], \"budgets\": [{\"rate\": 0.1}], \"seeds\": [0]}");
      assertTrue(c.getMessage().contains("attacks[0].carriers"), c.getMessage());
    }
    BadInputException e =
        rejected(
            """
            {"name": "m", "datasets": ["spamassassin"],
             "attacks": [{"kind": "backdoor", "target": "ham"}],
             "budgets": [{"count": 10}],
             "detectors": [{"name": "default", "purge": "everything"}],
             "seeds": [0]}
            """);
    assertTrue(e.getMessage().contains("detectors[0].purge"), e.getMessage());
  }

  @Test
  void anUnknownOptionIsNamedWithItsLineAndTheOptionsThereAre() {
    BadInputException d = rejected(WITH_OPTIONS.replace("\"min-docs\"", "\"min_docs\""));
    assertEquals(6, d.line());
    assertTrue(d.problem().startsWith("field \"detectors[0].min_docs\""), d.problem());
    assertTrue(d.problem().contains("[min-docs, alpha]"), d.problem());
    BadInputException a = rejected(WITH_OPTIONS.replace("\"k\": 256", "\"dimension\": 256"));
    assertEquals(9, a.line());
    assertTrue(a.problem().startsWith("field \"attributors[0].dimension\""), a.problem());
    BadInputException none =
        rejected(
            WITH_OPTIONS.replace("\"gradient-dot\"]", "{\"name\": \"gradient-dot\", \"k\": 3}]"));
    assertTrue(
        none.problem()
            .equals("field \"attributors[1].k\" is not an option of gradient-dot; it takes none"),
        none.problem());
  }

  @Test
  void badOptionValuesAndShapesAreNamed() {
    BadInputException range = rejected(WITH_OPTIONS.replace("1e-3", "2"));
    assertEquals(6, range.line());
    assertTrue(range.problem().contains("\"detectors[0]\""), range.problem());
    assertTrue(range.problem().contains("alpha=2"), range.problem());
    BadInputException type = rejected(WITH_OPTIONS.replace("\"min-docs\": 4", "\"min-docs\": [4]"));
    assertTrue(type.problem().contains("\"detectors[0].min-docs\""), type.problem());
    BadInputException nameless = rejected(WITH_OPTIONS.replace("{\"name\": \"trak\",", "{"));
    assertEquals(9, nameless.line());
    assertTrue(
        nameless.problem().contains("\"attributors[0].name\" is missing"), nameless.problem());
    BadInputException unknown = rejected(WITH_OPTIONS.replace("\"trak\"", "\"oracle\""));
    assertTrue(unknown.problem().contains("\"attributors[0].name\""), unknown.problem());
  }

  @Test
  void missingFieldsAndTargetsAreNamed() {
    BadInputException e = rejected(STUDY.replace("\"name\": \"study\",", ""));
    assertEquals(1, e.line());
    assertTrue(e.problem().contains("\"name\" is missing"), e.problem());
    BadInputException t = rejected(STUDY.replace("\"target\": \"ham\", ", ""));
    assertEquals(6, t.line(), "the attack object's line");
    assertTrue(t.problem().contains("needs a \"target\""), t.problem());
  }

  @Test
  void syntaxErrorsAndDuplicateKeysNameTheLine() {
    BadInputException e = rejected(STUDY.replace("\"seeds\": [0, 7]", "\"seeds\": [0, 7"));
    assertEquals(14, e.line(), "the first character that cannot continue the list");
    assertTrue(e.problem().startsWith("not valid JSON"), e.problem());
    BadInputException d =
        rejected(STUDY.replace("\"seeds\": [0, 7]", "\"seeds\": [0], \"seeds\": [1]"));
    assertTrue(d.problem().contains("appears twice"), d.problem());
    Path y = write("bad.yaml", STUDY_YAML.replace("seeds: [0, 7]", "seeds: [0, 7"));
    BadInputException ye = assertThrows(BadInputException.class, () -> Recipe.read(y));
    assertTrue(ye.problem().startsWith("not valid YAML"), ye.problem());
  }

  @Test
  void demoRunnerTakesOnlyItsOwnFields() {
    Recipe r =
        Recipe.read(
            write("demo.json", "{\"name\": \"demo\", \"runner\": \"demo\", \"quick\": true}"));
    assertEquals(Recipe.Runner.DEMO, r.runner());
    assertTrue(r.quick());
    assertEquals(List.of(0L), r.seeds());
    BadInputException e =
        rejected("{\"name\": \"demo\", \"runner\": \"demo\",\n \"datasets\": [\"spamassassin\"]}");
    assertEquals(2, e.line());
    assertTrue(e.problem().contains("demo runner"), e.problem());
    assertEquals(DemoModels.DEFAULT, r.demoModels());
    Recipe m =
        Recipe.read(
            write(
                "demo-mlp.json",
                "{\"name\": \"d\", \"runner\": \"demo\", \"text_model\": \"mlp\","
                    + " \"image_model\": \"logreg\"}"));
    assertEquals(new DemoModels("mlp", "logreg"), m.demoModels());
    assertEquals("mlp", m.demoModels().textModel());
    assertEquals("logreg", m.demoModels().imageBackdoorModel());
    assertEquals("mlp", DemoModels.DEFAULT.imageBackdoorModel());
    BadInputException w =
        rejected("{\"name\": \"demo\", \"runner\": \"demo\",\n \"text_model\": \"resnet\"}");
    assertEquals(2, w.line());
    assertTrue(w.problem().contains("text_model"), w.problem());
  }

  @Test
  void missingFileIsNamed() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Recipe.read(dir.resolve("nope.json")));
    assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
  }

  @Test
  void reportedLineFollowsTheFieldWhereverItIs() {
    qt().forAll(integers().between(0, 40))
        .checkAssert(
            blank -> {
              String content = "{\n\"name\": \"x\",\n" + "\n".repeat(blank) + "\"colour\": 1\n}";
              BadInputException e = rejected(content);
              assertEquals(3 + blank, e.line(), content);
            });
  }
}
