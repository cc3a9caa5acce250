package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SharedParametersTest {

  @Test
  void buffersStartOnA64ByteBoundaryAndHoldExactlyTheirBytes() {
    for (int bytes : new int[] {4, 60, 64, 8_400, 1 << 20}) {
      ByteBuffer b = SharedParameters.aligned(bytes);
      assertTrue(b.isDirect());
      assertEquals(0, b.alignmentOffset(0, 64), bytes + " bytes");
      assertEquals(bytes, b.capacity());
    }
  }

  @Test
  void pytorchSeesTheLoadedValuesAndTheGradientsComeBack() {
    DeepRuntime.configure();
    long[][] shapes = {{3, 2}, {2}};
    SharedParameters shared = new SharedParameters(shapes);
    float[][] g = new float[2][];
    for (int round = 1; round <= 2; round++) {
      float[][] w = {{1, 2, 3, 4, 5, round}, {0.5f, -round}};
      try (NDManager manager = NDManager.newBaseManager()) {
        NDList p = shared.load(manager, w, 0);
        assertArrayEquals(w[0], p.get(0).toFloatArray());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          // d/dW sum(W²) = 2W; d/db sum(3b) = 3
          gc.backward(p.get(0).square().sum().add(p.get(1).mul(3).sum()));
        }
        SharedParameters.gradients(p, g, 0);
        float[] twice = new float[6];
        for (int i = 0; i < 6; i++) {
          twice[i] = 2 * w[0][i];
        }
        assertArrayEquals(twice, g[0]);
        assertArrayEquals(new float[] {3, 3}, g[1]);
      }
    }
    float[][] fixed = {{9, 8, 7, 6, 5, 4}, {1, 2}};
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList p = SharedParameters.of(fixed, shapes).frozen(manager);
      assertArrayEquals(fixed[0], p.get(0).toFloatArray());
      assertArrayEquals(new Shape(3, 2).getShape(), p.get(0).getShape().getShape());
    }
  }

  @Test
  void aTableGradientMadeRowByRowHasPyTorchsBits() {
    DeepRuntime.configure();
    SplittableRandom r = new SplittableRandom(11);
    int rows = 50;
    int width = 7;
    TableGradient table = new TableGradient(rows, width);
    float[] w = new float[rows * width];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    for (int batch = 0; batch < 3; batch++) {
      int positions = 40 + batch * 13;
      long[] ids = new long[positions];
      float[] upstream = new float[positions * width];
      for (int i = 0; i < positions; i++) {
        ids[i] = r.nextInt(batch == 0 ? rows : 6); // later batches repeat a few rows many times
      }
      for (int i = 0; i < upstream.length; i++) {
        upstream[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
      }
      float[] expected;
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray t = manager.create(w, new Shape(rows, width));
        t.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray looked =
              Embedding.embedding(manager.create(ids, new Shape(positions)), t, SparseFormat.DENSE)
                  .singletonOrThrow();
          gc.backward(looked.mul(manager.create(upstream, new Shape(positions, width))).sum());
        }
        expected = t.getGradient().toFloatArray();
      }
      float[] got = table.of(ids, upstream);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(
            Float.floatToRawIntBits(expected[i]),
            Float.floatToRawIntBits(got[i]),
            "batch " + batch + ", entry " + i + ": " + expected[i] + " vs " + got[i]);
      }
    }
  }
}
