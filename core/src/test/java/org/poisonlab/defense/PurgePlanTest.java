package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.data.ExampleSource;

/** A purge planned over a streamed file keeps what the purge of the set in memory keeps. */
class PurgePlanTest {
  @TempDir Path dir;

  @Test
  void aStreamedPurgeKeepsWhatThePurgeInMemoryKeeps() {
    SplittableRandom r = new SplittableRandom(11);
    List<Example> all = new ArrayList<>();
    List<String> flagged = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      // 40 sources; source 7 is the attacker's: most of its examples are flagged
      int source = r.nextInt(40);
      Example e = Example.ofText("mail " + i, i % 2 == 0 ? "ham" : "spam", "src" + source);
      all.add(e);
      if (source == 7 ? r.nextInt(10) < 8 : r.nextInt(100) == 0) {
        flagged.add(e.id());
      }
    }
    Path file = dir.resolve("train.jsonl");
    ExampleJsonl.write(file, all);
    ExampleSource streamed = ExampleJsonl.source(file);
    Dataset inMemory = new Dataset("train.jsonl", all);

    for (boolean bySource : new boolean[] {false, true}) {
      Purges.Plan plan =
          bySource
              ? Purges.planBySource(streamed, flagged, Purges.ALPHA)
              : Purges.planByExample(streamed, flagged);
      List<String> kept;
      try (Stream<Example> s = streamed.open()) {
        kept = s.filter(plan.keeps()).map(Example::id).toList();
      }
      Purges.PurgeResult expected =
          bySource
              ? Purges.bySource(inMemory, flagged, Purges.ALPHA)
              : Purges.byExample(inMemory, flagged);
      assertEquals(expected.kept().examples().stream().map(Example::id).toList(), kept);
      assertEquals(expected.removedSources(), plan.removedSources());
      assertEquals(expected.testedSources(), plan.testedSources());
      assertEquals(flagged.size(), plan.flaggedIds());
      assertEquals(flagged.size(), plan.flaggedFound());
    }
    // flags that name examples the set does not have are counted apart
    List<String> foreign = new ArrayList<>(flagged);
    foreign.add("sha256:not-in-this-set");
    for (boolean bySource : new boolean[] {false, true}) {
      Purges.Plan plan =
          bySource
              ? Purges.planBySource(streamed, foreign, Purges.ALPHA)
              : Purges.planByExample(streamed, foreign);
      assertEquals(flagged.size() + 1, plan.flaggedIds());
      assertEquals(flagged.size(), plan.flaggedFound());
    }
    Purges.Plan bySource = Purges.planBySource(streamed, flagged, Purges.ALPHA);
    assertEquals(1, bySource.removedSources().size());
    assertEquals("src7", bySource.removedSources().get(0).source());
    assertEquals(40, bySource.testedSources());
  }
}
