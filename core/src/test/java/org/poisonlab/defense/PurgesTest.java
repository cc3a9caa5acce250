package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

class PurgesTest {
  /** 10 sources of 10 examples; all of bad.example flagged, and one example of good0. */
  private static Dataset data(List<String> flagged) {
    List<Example> out = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      String source = s == 9 ? "bad.example" : "good" + s + ".example";
      for (int i = 0; i < 10; i++) {
        Example e = Example.ofText("mail " + s + " " + i, i % 2 == 0 ? "ham" : "spam", source);
        out.add(e);
        if (s == 9 || (s == 0 && i == 0)) {
          flagged.add(e.id());
        }
      }
    }
    out.add(Example.ofText("no source", "ham", null));
    return new Dataset("d", out);
  }

  @Test
  void purgeByExampleDropsExactlyTheFlaggedIdsInOrder() {
    List<String> flagged = new ArrayList<>();
    Dataset d = data(flagged);
    Purges.PurgeResult r = Purges.byExample(d, flagged);
    assertEquals(11, r.removed());
    assertEquals(90, r.kept().size());
    assertTrue(r.kept().examples().stream().noneMatch(e -> flagged.contains(e.id())));
    assertEquals(d.get(1), r.kept().get(0));
  }

  @Test
  void purgeBySourceRemovesOnlyTheImprobablyFlaggedSource() {
    List<String> flagged = new ArrayList<>();
    Dataset d = data(flagged);
    Purges.PurgeResult r = Purges.bySource(d, flagged, Purges.ALPHA);
    assertEquals(10, r.testedSources());
    assertEquals(1, r.removedSources().size());
    Purges.RemovedSource s = r.removedSources().get(0);
    assertEquals("bad.example", s.source());
    assertEquals(10, s.flagged());
    assertEquals(10, s.total());
    // base rate 11/101: P(Bin(10, p) >= 10) = p^10
    assertEquals(Math.pow(11.0 / 101, 10), s.pValue(), 1e-6 * s.pValue());
    assertEquals(10, r.removed());
    assertFalse(r.kept().examples().stream().anyMatch(e -> "bad.example".equals(e.source())));
    assertTrue(r.kept().examples().stream().anyMatch(e -> e.source() == null));
  }

  @Test
  void nothingIsRemovedBySourceWhenFlagsAreSpreadEvenly() {
    List<String> ignored = new ArrayList<>();
    Dataset d = data(ignored);
    List<String> flagged = new ArrayList<>();
    for (int i = 0; i < d.size(); i += 10) {
      flagged.add(d.get(i).id());
    }
    Purges.PurgeResult r = Purges.bySource(d, flagged, Purges.ALPHA);
    assertEquals(0, r.removed());
    assertTrue(r.removedSources().isEmpty());
  }
}
