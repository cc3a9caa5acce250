package org.poisonlab.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.poisonlab.data.DatasetDescription;
import org.poisonlab.data.PinnedDatasets;

/**
 * Guards for tests on the real pinned datasets: they run when the data is cached, are skipped when
 * it is not, and fail instead when {@code POISONLAB_REQUIRE_DATA=1} (as in CI, which fetches the
 * data first).
 */
public final class RealData {
  private RealData() {}

  /** Skips (or fails, when required) unless every named dataset is cached. */
  public static void require(String... names) {
    for (String name : names) {
      DatasetDescription d =
          PinnedDatasets.list(PinnedDatasets.home()).stream()
              .filter(x -> x.name().equals(name))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no pinned dataset " + name));
      if (!d.cached()) {
        String why =
            name + " is not cached at " + d.artifact() + " (poisonlab data fetch " + name + ")";
        if ("1".equals(System.getenv("POISONLAB_REQUIRE_DATA"))) {
          Assertions.fail(why);
        }
        Assumptions.abort(why);
      }
    }
  }
}
