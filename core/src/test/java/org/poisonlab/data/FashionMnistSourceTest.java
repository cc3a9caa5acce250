package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;

/** Fashion-MNIST and IDX read record by record against the whole-file readers. */
class FashionMnistSourceTest {
  @TempDir Path home;
  @TempDir Path elsewhere;

  private DatasetRegistry fetched(byte[] deb) throws Exception {
    Path src = Files.write(elsewhere.resolve("fm.deb"), deb);
    DatasetRegistry r = PinnedFormatsTest.registryFor("fm", deb, new FashionMnistFormat());
    r.fetch("fm", src.toString(), home, null);
    return r;
  }

  @Test
  void streamedSplitEqualsTheLoadedSplitRecordByRecord() throws Exception {
    byte[][] train = PinnedFormatsTest.images(7, 21);
    byte[][] test = PinnedFormatsTest.images(3, 22);
    DatasetRegistry r =
        fetched(
            PinnedFormatsTest.fashionDeb(
                train, new byte[] {9, 0, 3, 3, 7, 1, 2}, test, new byte[] {1, 2, 8}));
    for (String split : List.of("train", "test")) {
      ExampleSource s = r.source("fm", split, home, null);
      Dataset loaded = r.load("fm", split, home, null);
      assertEquals("fm:" + split, s.name());
      assertEquals(OptionalLong.of(loaded.size()), s.knownSize());
      assertEquals(Dataset.Kind.IMAGE, s.knownKind().orElseThrow());
      List<Example> streamed = ExampleSourceTest.stream(s);
      assertEquals(loaded.examples(), streamed, split);
      for (int i = 0; i < streamed.size(); i++) {
        Example a = streamed.get(i);
        Example b = loaded.get(i);
        assertArrayEquals(b.pixels(), a.pixels());
        assertEquals(b.source(), a.source());
        assertEquals(b.label(), a.label());
      }
      assertEquals(loaded.contentHash(), s.load().contentHash());
    }
    assertArrayEquals(
        train[6], ExampleSourceTest.stream(r.source("fm", "train", home, null)).get(6).pixels());
  }

  @Test
  void resolvedSourceOfAPinnedNameStreamsTheSplitAndAFileStreamsTheFile() throws Exception {
    DatasetRegistry r =
        fetched(
            PinnedFormatsTest.fashionDeb(
                PinnedFormatsTest.images(2, 5), new byte[] {4, 5},
                PinnedFormatsTest.images(1, 6), new byte[] {6}));
    ExampleSource pinned = r.resolveSource("fm:train", home, null);
    assertEquals(r.resolve("fm:train", home, null).examples(), ExampleSourceTest.stream(pinned));
    Path file = elsewhere.resolve("x.jsonl");
    ExampleJsonl.write(file, r.load("fm", "test", home, null));
    assertEquals(
        r.resolve(file.toString(), home, null).examples(),
        ExampleSourceTest.stream(r.resolveSource(file.toString(), home, null)));
    BadInputException e =
        assertThrows(BadInputException.class, () -> r.resolveSource("fm:dev", home, null));
    assertTrue(e.getMessage().contains("unknown split 'dev'"), e.getMessage());
  }

  @Test
  void inconsistentDerivedCacheIsRefusedWhenTheSourceIsMade() throws Exception {
    DatasetRegistry r =
        fetched(
            PinnedFormatsTest.fashionDeb(
                PinnedFormatsTest.images(2, 7), new byte[] {1, 1},
                PinnedFormatsTest.images(1, 8), new byte[] {2}));
    r.load("fm", "train", home, null);
    Path derived = DatasetRegistry.derivedDir(home, r.entry("fm"));
    Path ids = derived.resolve("train" + FashionMnistFormat.IDS_SUFFIX);
    byte[] all = Files.readAllBytes(ids);
    Files.write(ids, java.util.Arrays.copyOf(all, all.length - FashionMnistFormat.DIGEST));
    BadInputException loadError =
        assertThrows(BadInputException.class, () -> r.load("fm", "train", home, null));
    BadInputException sourceError =
        assertThrows(BadInputException.class, () -> r.source("fm", "train", home, null));
    assertEquals(loadError.getMessage(), sourceError.getMessage());
  }

  @Test
  void idxItemsReadOneByOneEqualTheWholeFile() throws Exception {
    byte[][] imgs = PinnedFormatsTest.images(5, 9);
    Path f = Files.write(elsewhere.resolve("i.idx"), PinnedFormatsTest.imageIdx(imgs));
    IdxArray whole = Idx.read(f);
    try (Idx.Items items = Idx.Items.open(f, 28, 28)) {
      assertEquals(whole.count(), items.count());
      for (int i = 0; i < whole.count(); i++) {
        assertTrue(items.hasNext());
        assertArrayEquals(whole.item(i), items.next(), "item " + i);
      }
      assertTrue(!items.hasNext());
      assertThrows(java.util.NoSuchElementException.class, items::next);
    }
    BadInputException wrongShape =
        assertThrows(BadInputException.class, () -> Idx.Items.open(f, 28, 27));
    assertEquals("item dimension 1 is 28, expected 27", wrongShape.problem());
  }
}
