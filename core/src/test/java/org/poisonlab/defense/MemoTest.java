package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoTest {
  @Test
  void callersAskingTogetherShareOneComputation() throws Exception {
    Memo<String, Object> memo = new Memo<>(2);
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    java.util.function.Supplier<Object> slow =
        () -> {
          runs.incrementAndGet();
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return new Object();
        };
    try {
      List<Future<Object>> got = new ArrayList<>();
      got.add(pool.submit(() -> memo.get("k", slow)));
      started.await();
      for (int i = 0; i < 3; i++) {
        got.add(pool.submit(() -> memo.get("k", slow)));
      }
      release.countDown();
      Object first = got.get(0).get();
      for (Future<Object> f : got) {
        assertSame(first, f.get());
      }
      assertEquals(1, runs.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keepsTheMostRecentlyUsedAndForgetsFailures() {
    Memo<Integer, String> memo = new Memo<>(2);
    AtomicInteger runs = new AtomicInteger();
    memo.get(1, () -> "a" + runs.incrementAndGet());
    memo.get(2, () -> "b" + runs.incrementAndGet());
    assertEquals("a1", memo.get(1, () -> "again"));
    memo.get(3, () -> "c" + runs.incrementAndGet()); // drops 2, the least recently used
    assertEquals("a1", memo.get(1, () -> "again"));
    assertEquals("b4", memo.get(2, () -> "b" + runs.incrementAndGet()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            memo.get(
                9,
                () -> {
                  throw new IllegalArgumentException("no");
                }));
    assertEquals("ok", memo.get(9, () -> "ok"));
  }
}
