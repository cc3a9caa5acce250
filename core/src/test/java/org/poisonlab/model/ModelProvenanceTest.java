package org.poisonlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelProvenanceTest {
  /** A model file lists the environment in key order, whatever order it was described in. */
  @Test
  void environmentIsKeptInKeyOrder() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : List.of("vector.bits", "os", "poisonlab", "cores", "java")) {
      env.put(k, k.toUpperCase());
    }
    ModelProvenance p =
        new ModelProvenance(
            "sha256:0",
            "d",
            1,
            7,
            TrainConfig.defaults("logreg", org.poisonlab.data.Dataset.Kind.TEXT),
            env,
            List.of());
    assertEquals(
        List.of("cores", "java", "os", "poisonlab", "vector.bits"),
        List.copyOf(p.environment().keySet()));
  }
}
