package org.poisonlab.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class CarriersTest {

  @Test
  void eachClassGivesItsShareOfFaintCarriersFromBelowTheMedian() {
    SplittableRandom r = new SplittableRandom(7);
    for (int t = 0; t < 300; t++) {
      int[] candidates = r.ints(5 + r.nextInt(80), 0, 1_000_000).distinct().sorted().toArray();
      int n = candidates.length;
      int k = 1 + r.nextInt(n);
      int classCount = 1 + r.nextInt(4);
      int[] classes = r.ints(n, 0, classCount).toArray();
      // whole numbers, zeros and ties included
      double[] change = r.ints(n, 0, 12).asDoubleStream().toArray();
      int[] chosen = Poisoning.chooseFaint(candidates, k, new SplittableRandom(t), change, classes);
      assertEquals(k, chosen.length);
      assertEquals(k, Arrays.stream(chosen).distinct().count());
      assertArrayEquals(Arrays.stream(chosen).sorted().toArray(), chosen);
      Set<Integer> picked = new HashSet<>();
      for (int c : chosen) {
        assertTrue(Arrays.binarySearch(candidates, c) >= 0, c + " is not a candidate");
        picked.add(c);
      }
      double[] sorted = change.clone();
      Arrays.sort(sorted);
      double median = sorted[n / 2];
      for (int cl = 0; cl < classCount; cl++) {
        int members = 0;
        for (int x : classes) {
          members += x == cl ? 1 : 0;
        }
        int quota = (int) ((long) (k / 2) * members / n);
        // the class's pool members, smallest change first: every one below the quota-th
        // smallest change is taken
        List<Double> pool = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (classes[i] == cl && change[i] > 0 && change[i] < median / 2) {
            pool.add(change[i]);
          }
        }
        pool.sort(null);
        if (quota == 0 || pool.isEmpty()) {
          continue;
        }
        double bar = pool.get(Math.min(quota, pool.size()) - 1);
        for (int i = 0; i < n; i++) {
          if (classes[i] == cl && change[i] > 0 && change[i] < bar) {
            assertTrue(picked.contains(candidates[i]), "trial " + t + ": class " + cl + ", " + i);
          }
        }
      }
    }
  }

  @Test
  void equalChangesGiveTheUniformDraw() {
    int[] candidates = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    double[] flat = new double[candidates.length];
    Arrays.fill(flat, 42.0);
    int[] classes = new int[candidates.length];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = i % 3;
    }
    for (long seed = 0; seed < 50; seed++) {
      for (int k = 0; k <= candidates.length; k++) {
        assertArrayEquals(
            Poisoning.chooseVictims(candidates, k, new SplittableRandom(seed)),
            Poisoning.chooseFaint(candidates, k, new SplittableRandom(seed), flat, classes),
            "seed " + seed + ", k " + k);
      }
    }
  }

  @Test
  void theOtherHalfIsDrawnUniformlyFromTheRest() {
    int[] candidates = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    // median 10; the pool is 60, 100, 90, 80 (changes 1 to 4); 20 is unchanged and not in it
    double[] change = {10, 0, 18, 16, 14, 1, 12, 4, 3, 2};
    int[] oneClass = new int[10];
    Map<Integer, Integer> counts = new HashMap<>();
    SplittableRandom rng = new SplittableRandom(99);
    int draws = 4000;
    for (int t = 0; t < draws; t++) {
      int[] v = Poisoning.chooseFaint(candidates, 4, rng, change, oneClass);
      Set<Integer> s = new HashSet<>();
      for (int p : v) {
        s.add(p);
        counts.merge(p, 1, Integer::sum);
      }
      assertTrue(s.contains(60) && s.contains(100), Arrays.toString(v));
    }
    // the two others come from the eight remaining: each expected 1,000 times, sd about 27
    for (int c : candidates) {
      if (c == 60 || c == 100) {
        continue;
      }
      int n = counts.getOrDefault(c, 0);
      assertTrue(n > 880 && n < 1120, "candidate " + c + " chosen " + n + " times");
    }
  }

  @Test
  void theFaintHalfIsSharedBetweenClasses() {
    // 30 candidates of class 0 change little (1..30), 30 of class 1 a lot (100..129), 40 of
    // class 2 in between (20..59): median 40, pool below 20; k = 20, h = 10 gives places 3, 3, 4
    int[] candidates = new int[100];
    double[] change = new double[100];
    int[] classes = new int[100];
    for (int i = 0; i < 100; i++) {
      candidates[i] = i;
      classes[i] = i < 30 ? 0 : i < 60 ? 1 : 2;
      change[i] = i < 30 ? 1 + i : i < 60 ? 70 + i : i - 40;
    }
    for (long seed = 0; seed < 30; seed++) {
      Set<Integer> picked = new HashSet<>();
      for (int p :
          Poisoning.chooseFaint(candidates, 20, new SplittableRandom(seed), change, classes)) {
        picked.add(p);
      }
      // class 0 gets its three places, not the whole faint half
      assertTrue(picked.containsAll(Set.of(0, 1, 2)), picked.toString());
      assertTrue(!picked.containsAll(Set.of(3, 4, 5, 6, 7, 8, 9)), picked.toString());
    }
  }

  /**
   * Forty 8×8 images, labels "0"/"1" alternating; images 4, 9, 14 and 23 hold a nearly white 2×2
   * block at (6, 6), images 6 and 12 a light grey one, the rest are dark there.
   */
  private static Dataset images() {
    Set<Integer> white = Set.of(4, 9, 14, 23);
    Set<Integer> grey = Set.of(6, 12);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] px = new byte[64];
      for (int j = 0; j < 64; j++) {
        px[j] = (byte) ((i * 7 + j * 3) % 120);
      }
      int v = white.contains(i) ? 250 : grey.contains(i) ? 230 : -1;
      if (v >= 0) {
        for (int y = 6; y < 8; y++) {
          for (int x = 6; x < 8; x++) {
            px[y * 8 + x] = (byte) v;
          }
        }
      }
      out.add(Example.ofImage(px, new int[] {8, 8}, String.valueOf(i % 2), "camera"));
    }
    return new Dataset("images.jsonl", out);
  }

  @Test
  void imageBackdoorsTakeHalfTheirCarriersWhereThePatchChangesLeast() {
    Dataset data = images();
    Trigger patch = Trigger.parse("patch:2x2@6,6", Dataset.Kind.IMAGE);
    // candidates are the label-"0" images (even indices): 4, 14, 6 and 12 change least
    for (long seed = 0; seed < 20; seed++) {
      PoisonResult r = Attacks.backdoor(Budget.ofCount(8), patch, "1").apply(data, seed);
      assertEquals("faint", r.spec().get("carriers"), "the default for a patch");
      Set<Integer> poisoned = positionsOf(r, data);
      assertEquals(8, poisoned.size());
      assertTrue(poisoned.containsAll(Set.of(4, 6, 12, 14)), "seed " + seed + ": " + poisoned);
      assertTrue(poisoned.stream().allMatch(i -> i % 2 == 0), poisoned.toString());
    }
  }

  @Test
  void uniformCarriersAreTheUniformDraw() {
    Dataset data = images();
    Trigger patch = Trigger.parse("patch:2x2@6,6", Dataset.Kind.IMAGE);
    int[] candidates = new int[20];
    for (int i = 0; i < 20; i++) {
      candidates[i] = 2 * i;
    }
    for (long seed = 0; seed < 10; seed++) {
      PoisonResult r =
          Attacks.backdoor(
                  Budget.ofCount(5), patch, "1", AttackerSources.defaults(), Carriers.UNIFORM)
              .apply(data, seed);
      assertEquals("uniform", r.spec().get("carriers"));
      int[] expected = Poisoning.chooseVictims(candidates, 5, Poisoning.Streams.of(seed).victims());
      assertEquals(
          Arrays.stream(expected).boxed().collect(java.util.stream.Collectors.toSet()),
          positionsOf(r, data));
    }
  }

  @Test
  void otherImageTriggersDrawUniformlyUnlessAsked() {
    Dataset data = images();
    for (Carriers asked : new Carriers[] {null, Carriers.FAINT}) {
      PoisonResult r =
          Attacks.named(
                  "blend",
                  new Attacks.Args(
                      Budget.ofCount(4),
                      null,
                      "1",
                      null,
                      null,
                      false,
                      null,
                      null,
                      asked,
                      AttackerSources.defaults()))
              .apply(data, 1);
      assertEquals(asked == null ? "uniform" : "faint", r.spec().get("carriers"));
    }
  }

  @Test
  void textBackdoorsDrawUniformlyAndRefuseFaintCarriers() {
    Dataset mail = Fixtures.mail(40, 20);
    PoisonResult r = Attacks.backdoor(Budget.ofCount(6), null, "ham").apply(mail, 3);
    assertEquals("uniform", r.spec().get("carriers"));
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Attacks.backdoor(
                        Budget.ofCount(6), null, "ham", AttackerSources.defaults(), Carriers.FAINT)
                    .apply(mail, 3));
    assertTrue(e.getMessage().contains("needs image data"), e.getMessage());
  }

  @Test
  void drawsAreNamedAsOnTheCommandLine() {
    for (Carriers c : Carriers.values()) {
      assertEquals(c, Carriers.parse(c.jsonName()));
    }
    BadInputException e = assertThrows(BadInputException.class, () -> Carriers.parse("hardest"));
    assertTrue(e.getMessage().contains("uniform, faint"), e.getMessage());
  }

  @Test
  void sameSeedSameCarriers() {
    Dataset data = images();
    Trigger patch = Trigger.parse("patch:3x3@2,1", Dataset.Kind.IMAGE);
    PoisonResult a = Attacks.backdoor(Budget.ofCount(9), patch, "0").apply(data, 11);
    PoisonResult b = Attacks.backdoor(Budget.ofCount(9), patch, "0").apply(data, 11);
    assertEquals(a.ids(), b.ids());
    assertEquals(TruthFiles.toJson(a), TruthFiles.toJson(b));
  }

  /** The positions in {@code clean} whose example the attack replaced. */
  private static Set<Integer> positionsOf(PoisonResult r, Dataset clean) {
    Set<String> ids = new HashSet<>(r.ids());
    Set<Integer> out = new HashSet<>();
    for (int i = 0; i < clean.size(); i++) {
      if (ids.contains(r.poisoned().get(i).id())) {
        out.add(i);
      }
    }
    return out;
  }
}
