package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Downloader;

/** A pinned dataset of several artifacts: each verified on its own, fetched once, resumable. */
class DatasetManyArtifactsTest {
  private static final byte[] ONE = "first artifact\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TWO =
      "second artifact, a little longer\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path home;
  @TempDir Path elsewhere;
  private final List<String> fetched = new ArrayList<>();

  /** A route that writes fixed bytes and records that it ran. */
  private FetchRoute writing(String name, byte[] bytes) {
    return new FetchRoute() {
      @Override
      public Path fetchInto(Path workDir, Consumer<String> progress) throws java.io.IOException {
        fetched.add(name);
        return Files.write(workDir.resolve(name + ".jar"), bytes);
      }

      @Override
      public String describe() {
        return "write " + name;
      }
    };
  }

  private DatasetRegistry registry(byte[] servedForTwo) throws Exception {
    PinnedArtifact a =
        new PinnedArtifact(
            "org/example/one/1.0/one-1.0-sources.jar",
            ONE.length,
            Pin.sha256Hex(PinnedFetchTest.sha256(ONE)),
            writing("one", ONE));
    PinnedArtifact b =
        new PinnedArtifact(
            "org/example/two/2.0/two-2.0-sources.jar",
            TWO.length,
            Pin.sha256Hex(PinnedFetchTest.sha256(TWO)),
            writing("two", servedForTwo));
    PinnedEntry e =
        new PinnedEntry(
            "pair", "two artifacts", "2 files", List.of(a, b), new SpamAssassinFormat());
    return new DatasetRegistry(
        List.of(e),
        new Downloader.Limits(1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(5), 1));
  }

  private Path cached(String path) {
    return home.resolve("datasets/pair/artifacts").resolve(path);
  }

  @Test
  void eachArtifactIsFetchedOnceAndAnInterruptedFetchResumes() throws Exception {
    DatasetRegistry r = registry(TWO);
    Path dir = r.fetch("pair", null, home, null);
    assertEquals(home.resolve("datasets/pair/artifacts"), dir);
    assertEquals(List.of("one", "two"), fetched);
    assertArrayEquals(TWO, Files.readAllBytes(cached("org/example/two/2.0/two-2.0-sources.jar")));
    assertTrue(r.list(home).get(0).cached());

    Files.delete(cached("org/example/two/2.0/two-2.0-sources.jar"));
    assertFalse(r.list(home).get(0).cached());
    r.fetch("pair", null, home, null);
    assertEquals(List.of("one", "two", "two"), fetched, "only the missing artifact is fetched");
  }

  @Test
  void anArtifactWithTheWrongHashIsRejectedAndTheVerifiedOnesStay() throws Exception {
    DatasetRegistry r = registry("not the pinned bytes\n".getBytes(StandardCharsets.UTF_8));
    BadInputException e =
        assertThrows(BadInputException.class, () -> r.fetch("pair", null, home, null));
    assertTrue(
        e.getMessage().startsWith("'write two': sha256 mismatch: expected "), e.getMessage());
    assertTrue(Files.isRegularFile(cached("org/example/one/1.0/one-1.0-sources.jar")));
    assertFalse(Files.exists(cached("org/example/two/2.0/two-2.0-sources.jar")));
    assertFalse(r.list(home).get(0).cached());
  }

  @Test
  void aCachedArtifactThatNoLongerVerifiesIsFetchedAgain() throws Exception {
    DatasetRegistry r = registry(TWO);
    r.fetch("pair", null, home, null);
    Files.write(cached("org/example/one/1.0/one-1.0-sources.jar"), TWO);
    List<String> lines = new ArrayList<>();
    r.fetch("pair", null, home, lines::add);
    assertEquals(List.of("one", "two", "one"), fetched);
    assertTrue(lines.stream().anyMatch(l -> l.contains("does not verify")), lines.toString());
    assertArrayEquals(ONE, Files.readAllBytes(cached("org/example/one/1.0/one-1.0-sources.jar")));
  }

  @Test
  void fromAFolderTakesRepositoryLayoutOrPlainFileNames() throws Exception {
    Path layout = elsewhere.resolve("org/example/one/1.0/one-1.0-sources.jar");
    Files.createDirectories(layout.getParent());
    Files.write(layout, ONE);
    Files.write(elsewhere.resolve("two-2.0-sources.jar"), TWO);
    registry(TWO).fetch("pair", elsewhere.toString(), home, null);
    assertEquals(List.of(), fetched, "no default route runs when --from is given");
    assertArrayEquals(ONE, Files.readAllBytes(cached("org/example/one/1.0/one-1.0-sources.jar")));
    assertArrayEquals(TWO, Files.readAllBytes(cached("org/example/two/2.0/two-2.0-sources.jar")));
  }

  @Test
  void fromAFolderWithAWrongFileNamesTheFile() throws Exception {
    Files.write(elsewhere.resolve("one-1.0-sources.jar"), TWO);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> registry(TWO).fetch("pair", elsewhere.toString(), home, null));
    assertTrue(e.getMessage().contains("one-1.0-sources.jar"), e.getMessage());
    assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
  }

  @Test
  void routesThatShareABatchKeyRunTogetherOnce() throws Exception {
    List<Integer> batches = new ArrayList<>();
    class Batched implements FetchRoute {
      final byte[] bytes;

      Batched(byte[] bytes) {
        this.bytes = bytes;
      }

      @Override
      public Path fetchInto(Path workDir, Consumer<String> progress) throws java.io.IOException {
        return fetchAllInto(List.of(this), workDir, progress).get(0);
      }

      @Override
      public String describe() {
        return "batched";
      }

      @Override
      public String batchKey() {
        return "test";
      }

      @Override
      public List<Path> fetchAllInto(
          List<? extends FetchRoute> routes, Path workDir, Consumer<String> progress)
          throws java.io.IOException {
        batches.add(routes.size());
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
          out.add(Files.write(workDir.resolve(i + ".jar"), ((Batched) routes.get(i)).bytes));
        }
        return out;
      }
    }
    List<PinnedArtifact> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] b = ("artifact " + i + "\n").getBytes(StandardCharsets.UTF_8);
      three.add(
          new PinnedArtifact(
              "g/a" + i + "/1/a" + i + "-1.jar",
              b.length,
              Pin.sha256Hex(PinnedFetchTest.sha256(b)),
              new Batched(b)));
    }
    DatasetRegistry r =
        new DatasetRegistry(
            List.of(new PinnedEntry("trio", "", "", three, new SpamAssassinFormat())),
            new Downloader.Limits(1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(5), 1));
    r.fetch("trio", null, home, null);
    assertEquals(List.of(3), batches);
    assertTrue(r.list(home).get(0).cached());
    Files.delete(home.resolve("datasets/trio/artifacts/g/a1/1/a1-1.jar"));
    r.fetch("trio", null, home, null);
    assertEquals(List.of(3, 1), batches, "only the missing artifact is fetched again");
    assertTrue(r.list(home).get(0).cached());
  }

  @Test
  void theListPinChangesWhenAnyArtifactPinChanges() throws Exception {
    PinnedEntry e = registry(TWO).entry("pair");
    PinnedEntry changed =
        new PinnedEntry(
            "pair",
            "",
            "",
            List.of(
                e.artifacts().get(0),
                new PinnedArtifact(
                    e.artifacts().get(1).path(),
                    TWO.length,
                    Pin.sha256Hex(PinnedFetchTest.sha256(ONE)),
                    e.artifacts().get(1).route())),
            e.format());
    assertFalse(e.pin().display().equals(changed.pin().display()));
    assertEquals(e.pin().display(), registry(ONE).entry("pair").pin().display());
  }
}
