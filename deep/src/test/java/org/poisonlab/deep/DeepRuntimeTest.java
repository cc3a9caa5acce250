package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeepRuntimeTest {
  @Test
  void poisonLabHomeSetsTheCacheDirectory() {
    assertEquals(
        Path.of("/srv/pl", "djl"),
        DeepRuntime.defaultCacheDir(Map.of("POISONLAB_HOME", "/srv/pl"), "/h"));
    assertEquals(
        Path.of("/h", ".cache", "poisonlab", "djl"), DeepRuntime.defaultCacheDir(Map.of(), "/h"));
  }

  @Test
  void pytorchEngineMultipliesMatricesOffline() {
    DeepRuntime.configure();
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals("PyTorch", Engine.getInstance().getEngineName());
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
      assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray());
    }
  }

  @Test
  void theThreadCountIsSetForTheProcessAndRefusedBelowOne() {
    int before = DeepRuntime.threads();
    try {
      DeepRuntime.useThreads(1);
      assertEquals(1, DeepRuntime.threads());
      assertThrows(IllegalArgumentException.class, () -> DeepRuntime.useThreads(0));
      assertEquals(1, DeepRuntime.threads());
    } finally {
      DeepRuntime.useThreads(before);
    }
  }
}
