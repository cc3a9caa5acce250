package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.io.BadInputException;

/** The streaming manifest paths give what the in-memory paths give. */
class ManifestStreamingTest {
  @TempDir Path dir;

  /** Text examples with and without sources, one with its own id and one with an extra field. */
  private static List<Example> mails(int n) {
    List<Example> out = ManifestsTest.mails(n);
    if (n > 2) {
      Example e = out.get(1);
      out.set(1, Example.of("own-id", e.text(), null, null, null, null, "ham", null, null));
      out.set(
          2,
          Example.of(
              null,
              "mail 2",
              null,
              null,
              null,
              null,
              "ham",
              "s2",
              Map.of("score", DecimalNode.valueOf(new BigDecimal("0.50")))));
    }
    return out;
  }

  private Path jsonl(String name, List<Example> examples) {
    Path f = dir.resolve(name);
    ExampleJsonl.write(f, examples);
    return f;
  }

  @Test
  void manifestFromTheStreamEqualsManifestFromTheDatasetByteForByte() throws Exception {
    KeyPair kp = Signatures.generate();
    for (int n : new int[] {0, 1, 2, 3, 7, 64, 65}) {
      Path data = jsonl("train.jsonl", mails(n));
      Dataset d = ExampleJsonl.read(data);
      Path fromDataset = dir.resolve("a.json");
      Path fromStream = dir.resolve("b.json");

      Manifests.write(fromDataset, Manifests.of(d));
      ManifestHeader h = Manifests.write(fromStream, ExampleJsonl.source(data), null);
      assertEquals(-1, Files.mismatch(fromDataset, fromStream), "unsigned, n = " + n);
      assertEquals(ManifestHeader.of(Manifests.read(fromStream)), h);

      Manifests.write(fromDataset, Manifests.sign(Manifests.of(d), kp.getPrivate()));
      ManifestHeader signed =
          Manifests.write(fromStream, ExampleJsonl.source(data), kp.getPrivate());
      assertEquals(-1, Files.mismatch(fromDataset, fromStream), "signed, n = " + n);
      assertTrue(signed.isSigned());
      assertTrue(Manifests.signatureValid(Manifests.read(fromStream), kp.getPublic()));
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(
          List.of("a.json", "b.json", "train.jsonl"),
          left.map(p -> p.getFileName().toString()).sorted().toList(),
          "no spool file left behind");
    }
  }

  @Test
  void aBadLineInTheSourceLeavesTheManifestUntouchedAndNoSpool() throws Exception {
    Path data = dir.resolve("bad.jsonl");
    Files.writeString(
        data,
        "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\"}\n{\"text\":\"c\",\"label\":\"y\"}\n");
    Path out = dir.resolve("m.json");
    Files.writeString(out, "before");
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> Manifests.write(out, ExampleJsonl.source(data), null));
    assertEquals(2, e.line());
    assertEquals("before", Files.readString(out));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(2, left.count());
    }
  }

  @Test
  void foldedRootEqualsTheLevelByLevelRoot() {
    qt().withFixedSeed(5L)
        .withExamples(80)
        .forAll(integers().between(0, 300))
        .checkAssert(
            n -> {
              List<ManifestEntry> es = new ArrayList<>();
              Merkle.Builder b = new Merkle.Builder();
              for (int i = 0; i < n; i++) {
                ManifestEntry e =
                    new ManifestEntry(i, "id-" + i * 7919, i % 2 == 0 ? "a" : "b", null);
                es.add(e);
                b.add(e);
              }
              assertEquals((long) n, b.count());
              assertArrayEquals(Merkle.root(es), b.root(), "n = " + n);
            });
  }

  private void assertSameVerification(
      List<Example> recorded, UnaryOperator<String> editManifest, List<Example> now, boolean sign)
      throws Exception {
    KeyPair kp = Signatures.generate();
    Path m = dir.resolve("m.json");
    Manifest made = Manifests.of(new Dataset("x", recorded));
    Manifests.write(m, sign ? Manifests.sign(made, kp.getPrivate()) : made);
    Files.writeString(m, editManifest.apply(Files.readString(m)));
    Path data = jsonl("now.jsonl", now);
    for (var key : new java.security.PublicKey[] {null, kp.getPublic()}) {
      ManifestVerification inMemory =
          Manifests.verify(ExampleJsonl.read(data), Manifests.read(m), key);
      ExampleSource source = ExampleJsonl.source(data);
      ManifestVerification streamed = Manifests.verify(source, m, key);
      assertEquals(inMemory, streamed);
      assertEquals(inMemory.asJson(), streamed.asJson());
    }
  }

  @Test
  void verifyingAStreamGivesTheInMemoryVerification() throws Exception {
    List<Example> base = mails(12);
    assertSameVerification(base, s -> s, base, true);
    assertSameVerification(base, s -> s, base, false);

    List<Example> edited = new ArrayList<>(base);
    edited.set(4, Example.ofText("changed", "ham", "s4"));
    edited.add(0, Example.ofText("inserted", "spam", "new"));
    edited.remove(9);
    Example moved = edited.remove(3);
    edited.add(moved);
    assertSameVerification(base, s -> s, edited, true);

    UnaryOperator<String> relabel =
        s ->
            s.replaceFirst(
                "\"position\": 3, (\"id\": \"[^\"]+\"), \"label\": \"spam\"",
                "\"position\": 3, $1, \"label\": \"ham\"");
    assertSameVerification(base, relabel, base, true);
    List<Example> relabelled = new ArrayList<>(base);
    relabelled.set(3, relabelled.get(3).withLabel("ham"));
    assertSameVerification(base, relabel, relabelled, true);
    assertSameVerification(base, s -> s.replace("\"count\": 12", "\"count\": 11"), base, false);
    assertSameVerification(List.of(), s -> s, base, false);
  }

  @Test
  void aManifestThatDoesNotParseIsReportedBeforeTheSourceIsRead() throws Exception {
    Path m = dir.resolve("m.json");
    Files.writeString(m, "{\"format\": \"poisonlab-manifest\",\n \"version\": ");
    ExampleSource absent = ExampleJsonl.source(dir.resolve("absent.jsonl"));
    BadInputException e =
        assertThrows(BadInputException.class, () -> Manifests.verify(absent, m, null));
    assertEquals(m, e.file());
    assertFalse(Files.exists(dir.resolve("absent.jsonl")));
  }
}
