package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;

class IdxTest {
  @TempDir Path dir;

  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  private static byte[] noise(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  @Test
  void readsRawAndGzippedFilesAlike() throws Exception {
    byte[] data = noise(2 * 3 * 4, 1);
    byte[] raw = idx(0x00000803, new int[] {2, 3, 4}, data);
    Path plain = Files.write(dir.resolve("a-idx3-ubyte"), raw);
    Path gz = Files.write(dir.resolve("a-idx3-ubyte.gz"), gzip(raw));
    IdxArray a = Idx.read(plain);
    assertArrayEquals(new int[] {2, 3, 4}, a.dims());
    assertArrayEquals(data, a.data());
    assertEquals(a, Idx.read(gz));
    assertEquals(2, a.count());
    assertEquals(12, a.itemSize());
    assertArrayEquals(Arrays.copyOfRange(data, 12, 24), a.item(1));
    assertEquals(data[13] & 0xFF, a.value(13));
  }

  @Test
  void readsLabelFiles() throws Exception {
    Path p =
        Files.write(
            dir.resolve("l"), idx(0x00000801, new int[] {3}, new byte[] {9, 0, (byte) 200}));
    IdxArray a = Idx.read(p);
    assertEquals(3, a.count());
    assertEquals(200, a.value(2));
  }

  @Test
  void wrongMagicIsNamed() throws Exception {
    Path p = Files.write(dir.resolve("f"), idx(0x00000d03, new int[] {1, 1, 1}, new byte[4]));
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertEquals(0, e.line());
    assertEquals(
        true,
        e.problem().startsWith("wrong IDX magic 0x00000d03; expected 0x00000801 or 0x00000803"),
        e.problem());
  }

  @Test
  void truncatedPayloadSaysHowManyBytes() throws Exception {
    byte[] raw = idx(0x00000803, new int[] {2, 2, 2}, noise(8, 2));
    Path p = Files.write(dir.resolve("t"), Arrays.copyOf(raw, raw.length - 3));
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertEquals("truncated: expected 24 bytes, found 21", e.problem());
  }

  @Test
  void extraBytesMeanTheSizesDoNotMatch() throws Exception {
    byte[] raw = idx(0x00000801, new int[] {2}, new byte[] {1, 2, 3});
    Path p = Files.write(dir.resolve("x"), raw);
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertEquals("sizes [2] do not match the bytes: expected 10 bytes, found 11", e.problem());
  }

  @Test
  void truncatedGzipStreamIsNamed() throws Exception {
    byte[] gz = gzip(idx(0x00000803, new int[] {4, 16, 16}, noise(4 * 256, 3)));
    Path p = Files.write(dir.resolve("g.gz"), Arrays.copyOf(gz, gz.length / 2));
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
    assertEquals("truncated gzip stream", e.problem());
    Path trailerCut = Files.write(dir.resolve("h.gz"), Arrays.copyOf(gz, gz.length - 4));
    assertEquals(
        "truncated gzip stream",
        assertThrows(BadInputException.class, () -> Idx.read(trailerCut)).problem());
  }

  @Test
  void missingFileIsReported() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Idx.read(dir.resolve("none")));
    assertEquals("no such file", e.problem());
  }

  @Test
  void itemReaderMatchesTheWholeArrayReader() throws Exception {
    byte[] data = noise(5 * 3 * 2, 4);
    Path p = Files.write(dir.resolve("i"), idx(0x00000803, new int[] {5, 3, 2}, data));
    byte[][] items = Idx.readItems(p, 3, 2);
    IdxArray a = Idx.read(p);
    assertEquals(5, items.length);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(a.item(i), items[i]);
    }
    BadInputException e = assertThrows(BadInputException.class, () -> Idx.readItems(p, 2, 3));
    assertEquals("item dimension 0 is 3, expected 2", e.problem());
  }
}
