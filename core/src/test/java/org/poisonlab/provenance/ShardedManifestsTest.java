package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.BadInputException;
import org.poisonlab.provenance.ManifestVerification.ChangeKind;
import org.poisonlab.provenance.ManifestVerification.SignatureStatus;
import org.poisonlab.provenance.ShardedVerification.ShardResult;
import org.poisonlab.provenance.ShardedVerification.ShardStatus;

/** Per-shard manifests under one signed top root. */
class ShardedManifestsTest {
  private static final Consumer<String> QUIET = s -> {};
  private static final KeyPair KEYS = Signatures.generate();

  @TempDir Path dir;
  private Path corpus;
  private Path top;

  /** Three shards of 5, 7 and 4 examples, one in a subfolder, and a hidden file that is not one. */
  @BeforeEach
  void corpus() throws Exception {
    corpus = dir.resolve("corpus");
    List<Example> all = ManifestsTest.mails(16);
    ExampleJsonl.write(corpus.resolve("a.jsonl"), all.subList(0, 5));
    Files.createDirectories(corpus.resolve("more"));
    ExampleJsonl.write(corpus.resolve("more/b.jsonl"), all.subList(5, 12));
    ExampleJsonl.write(corpus.resolve("c.jsonl"), all.subList(12, 16));
    Files.writeString(corpus.resolve(".d.jsonl"), "not a shard");
    Files.writeString(corpus.resolve("notes.txt"), "not a shard");
    top = dir.resolve("corpus.manifest.json");
  }

  private ShardedVerification verify() {
    return ShardedManifests.verify(top, ShardedManifests.folder(corpus), KEYS.getPublic(), QUIET);
  }

  private static ShardResult shard(ShardedVerification v, String name) {
    return v.shards().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aFolderRoundTripsUnderASignedRootOverTheShardRoots() throws Exception {
    List<ShardedManifests.Shard> shards = ShardedManifests.folder(corpus);
    assertEquals(
        List.of("a.jsonl", "c.jsonl", "more/b.jsonl"),
        shards.stream().map(ShardedManifests.Shard::name).toList());
    ManifestHeader h = ShardedManifests.write(top, "corpus", shards, KEYS.getPrivate(), QUIET);
    assertEquals(16, h.count());
    assertTrue(h.isSigned());

    ShardedManifests.ShardedManifest m = ShardedManifests.read(top);
    assertEquals(h, m.header());
    assertEquals(3, m.shards().size());
    // each shard's manifest is an ordinary manifest of that shard
    List<ShardedManifests.ShardEntry> recomputed = new ArrayList<>();
    for (ShardedManifests.ShardEntry e : m.shards()) {
      Manifest shardManifest = Manifests.read(dir.resolve(e.manifest()));
      assertEquals(e.name(), shardManifest.dataset());
      assertFalse(shardManifest.isSigned(), "the top signature covers the shards");
      String root = Manifests.root(shardManifest.entries());
      assertEquals(e.root(), root);
      recomputed.add(new ShardedManifests.ShardEntry(e.position(), e.name(), e.count(), root, ""));
    }
    assertEquals(h.root(), Manifests.hex(ShardedManifests.root(recomputed)));
    assertEquals(List.of(5L, 4L, 7L), m.shards().stream().map(e -> e.count()).toList());

    ShardedVerification v = verify();
    assertTrue(v.ok(), v.toString());
    assertEquals(SignatureStatus.VALID, v.signature());
    assertEquals(3, v.count(ShardStatus.OK));

    // writing again gives the same bytes (Ed25519 is deterministic)
    byte[] before = Files.readAllBytes(top);
    ShardedManifests.write(top, "corpus", shards, KEYS.getPrivate(), QUIET);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(top)));
  }

  @Test
  void aChangedExampleIsNamedByShardAndPosition() {
    ShardedManifests.write(
        top, "corpus", ShardedManifests.folder(corpus), KEYS.getPrivate(), QUIET);
    Path b = corpus.resolve("more/b.jsonl");
    List<Example> es = new ArrayList<>(ExampleJsonl.read(b).examples());
    es.set(2, es.get(2).withLabel(es.get(2).label().equals("spam") ? "ham" : "spam"));
    ExampleJsonl.write(b, es);

    ShardedVerification v = verify();
    assertFalse(v.ok());
    assertFalse(v.rootMatches());
    assertTrue(v.manifestIntact());
    assertEquals(SignatureStatus.VALID, v.signature(), "the signed top manifest is untouched");
    assertEquals(ShardStatus.OK, shard(v, "a.jsonl").status());
    assertEquals(ShardStatus.OK, shard(v, "c.jsonl").status());
    ShardResult changed = shard(v, "more/b.jsonl");
    assertEquals(ShardStatus.CHANGED, changed.status());
    List<ManifestVerification.Change> cs = changed.verification().changes();
    assertEquals(1, cs.size());
    assertEquals(ChangeKind.CHANGED, cs.get(0).kind());
    assertEquals(2, cs.get(0).actual().position());
    assertEquals(List.of("label"), cs.get(0).fields());
    assertEquals("changed", v.asJson().shards().get(2).status());
  }

  @Test
  void aShardManifestRewrittenForEditedDataIsCaughtByTheTopRoot() {
    ShardedManifests.write(
        top, "corpus", ShardedManifests.folder(corpus), KEYS.getPrivate(), QUIET);
    Path a = corpus.resolve("a.jsonl");
    List<Example> es = new ArrayList<>(ExampleJsonl.read(a).examples());
    es.add(Example.ofText("inserted poison", "ham", "evil.example"));
    ExampleJsonl.write(a, es);
    // the attacker also rewrites that shard's manifest, consistently
    Manifests.write(
        ShardedManifests.shardFolder(top).resolve("shard-00000.json"),
        ExampleJsonl.source(a),
        null);

    ShardedVerification v = verify();
    assertFalse(v.ok());
    ShardResult r = shard(v, "a.jsonl");
    assertEquals(ShardStatus.MANIFEST_EDITED, r.status());
    assertTrue(r.verification().ok(), "the shard agrees with its rewritten manifest");
    assertNotEquals(r.recorded().root(), r.actualRoot());
  }

  @Test
  void anEditedTopManifestFailsItsSignatureOrIntegrity() throws Exception {
    ShardedManifests.write(
        top, "corpus", ShardedManifests.folder(corpus), KEYS.getPrivate(), QUIET);
    String text = Files.readString(top);
    String root = ShardedManifests.read(top).header().root();
    String other =
        root.substring(0, 20) + (root.charAt(20) == '0' ? '1' : '0') + root.substring(21);

    Files.writeString(
        top, text.replace("\"root\": \"" + root + "\"", "\"root\": \"" + other + "\""));
    ShardedVerification v = verify();
    assertFalse(v.ok());
    assertEquals(SignatureStatus.INVALID, v.signature());
    assertFalse(v.manifestIntact());

    // a shard's recorded count edited: the signature over the header still verifies, the shard
    // list no longer hashes to the signed root
    Files.writeString(top, text.replaceFirst("\"count\": 5,", "\"count\": 6,"));
    v = verify();
    assertFalse(v.ok());
    assertEquals(SignatureStatus.VALID, v.signature());
    assertFalse(v.manifestIntact());

    Files.writeString(top, text.replace("\"dataset\": \"corpus\"", "\"dataset\": \"corpus2\""));
    assertEquals(SignatureStatus.INVALID, verify().signature());

    Files.writeString(top, text);
    KeyPair other2 = Signatures.generate();
    assertEquals(
        SignatureStatus.INVALID,
        ShardedManifests.verify(top, ShardedManifests.folder(corpus), other2.getPublic(), QUIET)
            .signature());
    assertEquals(
        SignatureStatus.NOT_CHECKED,
        ShardedManifests.verify(top, ShardedManifests.folder(corpus), null, QUIET).signature());
  }

  @Test
  void missingAndAddedShardsAreNamed() throws Exception {
    ShardedManifests.write(
        top, "corpus", ShardedManifests.folder(corpus), KEYS.getPrivate(), QUIET);
    Files.delete(corpus.resolve("c.jsonl"));
    ExampleJsonl.write(corpus.resolve("z.jsonl"), ManifestsTest.mails(2));
    ShardedVerification v = verify();
    assertFalse(v.ok());
    assertEquals(ShardStatus.MISSING, shard(v, "c.jsonl").status());
    assertNull(shard(v, "c.jsonl").verification());
    assertEquals(ShardStatus.ADDED, shard(v, "z.jsonl").status());
    assertEquals(2, shard(v, "z.jsonl").actualCount());
    assertEquals(14, v.actualCount());
    assertEquals(2, v.count(ShardStatus.OK));
  }

  @Test
  void badInputNamesTheFile() throws Exception {
    assertThrows(
        BadInputException.class,
        () ->
            ShardedManifests.write(
                top,
                "x",
                List.of(
                    new ShardedManifests.Shard(
                        "same", ExampleJsonl.source(corpus.resolve("a.jsonl"))),
                    new ShardedManifests.Shard(
                        "same", ExampleJsonl.source(corpus.resolve("c.jsonl")))),
                null,
                QUIET));
    assertFalse(Files.exists(top));
    Files.createDirectories(dir.resolve("empty"));
    assertThrows(BadInputException.class, () -> ShardedManifests.folder(dir.resolve("empty")));

    ShardedManifests.write(top, "corpus", ShardedManifests.folder(corpus), null, QUIET);
    assertTrue(ShardedManifests.isSharded(top));
    assertFalse(
        ShardedManifests.isSharded(ShardedManifests.shardFolder(top).resolve("shard-00000.json")));
    Files.writeString(top, Files.readString(top).replace("\"position\": 1,", "\"position\": 7,"));
    BadInputException e = assertThrows(BadInputException.class, () -> ShardedManifests.read(top));
    assertEquals(top, e.file());
    assertEquals(10, e.line(), e.getMessage());
  }

  @Test
  void fewerShardsOnARewriteLeaveNoStaleShardManifest() throws Exception {
    ShardedManifests.write(top, "corpus", ShardedManifests.folder(corpus), null, QUIET);
    Files.delete(corpus.resolve("c.jsonl"));
    ShardedManifests.write(top, "corpus", ShardedManifests.folder(corpus), null, QUIET);
    try (var files = Files.list(ShardedManifests.shardFolder(top))) {
      assertEquals(
          List.of("shard-00000.json", "shard-00001.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(verify().manifestIntact());
  }
}
