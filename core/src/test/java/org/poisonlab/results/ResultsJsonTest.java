package org.poisonlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.io.Json;

/** The result records write the field names and order of the JSON files they stand for. */
class ResultsJsonTest {
  private static String compact(Object value) {
    return Json.pretty(value).replaceAll("\\s+", "");
  }

  @Test
  void afterPurgeWritesRecoveryInlineAndSkipsWhatIsAbsent() {
    AfterPurge flip =
        AfterPurge.of(new Score(0.9, null, null), 10, 8)
            .withRecovery(new FlipRecovery(0.8, 0.1, null));
    assertEquals(
        "{\"accuracy\":0.9,\"removed\":10,\"removed_poisons\":8,\"poisoned_accuracy\":0.8,"
            + "\"accuracy_lost\":0.1,\"accuracy_won_back\":null}",
        compact(flip));
    AfterPurge bySource =
        AfterPurge.of(new Score(0.9, 0.1, null), 4, 4)
            .withBySource(
                new SourcePurge(5, 1, 4, 4, 1.0, 0.0, null, null, null)
                    .retrained(
                        new Score(0.95, 0.05, null), List.of(new SourceFlags("s", 4, 4, 1e-5))));
    assertEquals(
        "{\"accuracy\":0.9,\"attack_success_rate\":0.1,\"removed\":4,\"removed_poisons\":4,"
            + "\"by_source\":{\"tested_sources\":5,\"removed_sources\":1,\"removed\":4,"
            + "\"removed_poisons\":4,\"poisons_removed_share\":1.0,\"clean_removed_share\":0.0,"
            + "\"accuracy\":0.95,\"attack_success_rate\":0.05,"
            + "\"sources\":[{\"source\":\"s\",\"flagged\":4,\"total\":4,\"p_value\":1.0E-5}]}}",
        compact(bySource));
  }

  @Test
  void tableRowKeepsTheContractOrderAndWritesAnUnscannedDefenseAsNull() {
    TableRow row =
        new TableRow(
            "clean-label",
            "d",
            "mlp",
            new BudgetShare(3, 0.1),
            new Score(0.9, null, null),
            new Score(0.8, 0.5, null),
            new EvalVerdict(false, 0.5, "mcnemar", 1, 2),
            null,
            null,
            null,
            null,
            new SeedClaim(null, null, null, "n"),
            "c",
            "t",
            null,
            "0",
            7,
            null,
            null,
            null,
            List.of(new SweepPoint(3, 0.1, 0.8, 0.5, 0.1, 0.5, false)),
            null,
            null);
    assertEquals(
        "{\"attack\":\"clean-label\",\"dataset\":\"d\",\"model\":\"mlp\","
            + "\"budget\":{\"count\":3,\"rate\":0.1},\"clean\":{\"accuracy\":0.9},"
            + "\"poisoned\":{\"accuracy\":0.8,\"attack_success_rate\":0.5},"
            + "\"detectable_by_eval\":{\"verdict\":false,\"p_value\":0.5,\"test\":\"mcnemar\","
            + "\"b\":1,\"c\":2},\"defense\":null,\"after_purge\":null,\"seed_claim\":{\"note\":\"n\"},"
            + "\"criterion\":\"c\",\"trigger\":\"t\",\"target\":\"0\",\"target_class_examples\":7,"
            + "\"sweep\":[{\"count\":3,\"rate\":0.1,\"accuracy\":0.8,\"attack_success_rate\":0.5,"
            + "\"accuracy_drop\":0.1,\"p_value\":0.5,\"detected_by_eval\":false}]}",
        compact(row));
  }

  @Test
  void studyScoreWritesAnUndefinedSuccessRateAsNullAndAnUntargetedOneNotAtAll() {
    assertEquals(
        "{\"accuracy\":0.9,\"attack_success_rate\":null,\"accuracy_drop\":0.1}",
        compact(new StudyScore(0.9, new TargetedRate(null), 0.1)));
    assertEquals("{\"accuracy\":0.9}", compact(new StudyScore(0.9, null, null)));
    assertEquals(
        "{\"removed\":2,\"poisons_removed\":1,\"accuracy\":null}",
        compact(new StudyPurge(2, 1, null, null)));
    assertEquals(
        "{\"name\":\"m\",\"options\":{\"k\":\"v\"},\"flagged\":1,\"precision\":1.0,\"recall\":0.5,"
            + "\"auroc\":null,\"recall_at_1_5x\":0.5,\"after_purge\":{\"removed\":1,"
            + "\"poisons_removed\":1,\"accuracy\":0.9,\"attack_success_rate\":0.1}}",
        compact(
            new MethodResult(
                "m",
                Map.of("k", "v"),
                null,
                null,
                1,
                1.0,
                0.5,
                null,
                0.5,
                new StudyPurge(1, 1, 0.9, new TargetedRate(0.1)))));
  }
}
