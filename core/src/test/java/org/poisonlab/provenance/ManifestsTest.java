package org.poisonlab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.provenance.ManifestVerification.Change;
import org.poisonlab.provenance.ManifestVerification.ChangeKind;
import org.poisonlab.provenance.ManifestVerification.SignatureStatus;

class ManifestsTest {
  @TempDir Path dir;

  static List<Example> mails(int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          Example.ofText(
              "mail number " + i, i % 3 == 0 ? "spam" : "ham", i % 2 == 0 ? "a.example" : null));
    }
    return out;
  }

  private static Dataset data(List<Example> es) {
    return new Dataset("train.jsonl", es);
  }

  private static ManifestVerification verifyAgainst(List<Example> now) {
    Manifest m = Manifests.of(data(mails(10)));
    return Manifests.verify(data(now), m, null);
  }

  private static Change only(ManifestVerification v) {
    assertEquals(1, v.changes().size(), v.changes().toString());
    return v.changes().get(0);
  }

  @Test
  void unchangedDatasetVerifies() {
    ManifestVerification v = verifyAgainst(mails(10));
    assertTrue(v.ok());
    assertTrue(v.rootMatches());
    assertTrue(v.manifestIntact());
    assertEquals(SignatureStatus.UNSIGNED, v.signature());
    assertTrue(v.changes().isEmpty());
  }

  @Test
  void editedTextIsAChangedIdAtItsPosition() {
    List<Example> now = mails(10);
    now.set(3, now.get(3).withText("mail number 3, now with a link"));
    Change c = only(verifyAgainst(now));
    assertEquals(ChangeKind.CHANGED, c.kind());
    assertEquals(3, c.expected().position());
    assertEquals(3, c.actual().position());
    assertEquals(List.of("id"), c.fields());
  }

  @Test
  void editingOneOfTwoDuplicatesBlamesTheEditedOneOnly() {
    // the same mail kept under two file names: one id, two digests (the extra field differs)
    List<Example> before = mails(6);
    before.add(2, withFile(Example.ofText("same words", "spam", null), "00326"));
    before.add(3, withFile(Example.ofText("same words", "spam", null), "00327"));
    Manifest m = Manifests.of(data(before));
    List<Example> now = new ArrayList<>(before);
    now.set(2, now.get(2).withText("same words DEPLOYMENT=2024").withLabel("ham"));
    now.add(0, Example.ofText("injected", "ham", "evil.example"));
    ManifestVerification v = Manifests.verify(data(now), m, null);
    assertEquals(2, v.changes().size(), v.changes().toString());
    assertEquals(1, v.count(ChangeKind.ADDED));
    Change c =
        v.changes().stream().filter(x -> x.kind() == ChangeKind.CHANGED).findFirst().orElseThrow();
    assertEquals(2, c.expected().position());
    assertEquals(3, c.actual().position());
    assertEquals(List.of("id", "label", "content"), c.fields());
  }

  private static Example withFile(Example e, String file) {
    return Example.of(
        null,
        e.text(),
        null,
        null,
        null,
        null,
        e.label(),
        e.source(),
        java.util.Map.of("file", com.fasterxml.jackson.databind.node.TextNode.valueOf(file)));
  }

  @Test
  void flippedLabelAndNewSourceAreNamedFields() {
    List<Example> now = mails(10);
    now.set(4, now.get(4).withLabel("spam").withSource("evil.example"));
    Change c = only(verifyAgainst(now));
    assertEquals(ChangeKind.CHANGED, c.kind());
    assertEquals(List.of("label", "source"), c.fields());
    assertEquals("ham", c.expected().label());
    assertEquals("spam", c.actual().label());
  }

  @Test
  void appendedExampleIsAdded() {
    List<Example> now = mails(10);
    now.add(Example.ofText("injected", "ham", "evil.example"));
    ManifestVerification v = verifyAgainst(now);
    Change c = only(v);
    assertEquals(ChangeKind.ADDED, c.kind());
    assertNull(c.expected());
    assertEquals(10, c.actual().position());
    assertEquals(11, v.actualCount());
    assertFalse(v.ok());
  }

  @Test
  void insertionAtTheStartIsOneAdditionNotTenMoves() {
    List<Example> now = mails(10);
    now.add(0, Example.ofText("injected", "ham", "evil.example"));
    ManifestVerification v = verifyAgainst(now);
    assertEquals(ChangeKind.ADDED, only(v).kind());
    assertEquals(0, only(v).actual().position());
  }

  @Test
  void deletedExampleIsRemoved() {
    List<Example> now = mails(10);
    Example gone = now.remove(6);
    Change c = only(verifyAgainst(now));
    assertEquals(ChangeKind.REMOVED, c.kind());
    assertEquals(6, c.expected().position());
    assertEquals(gone.id(), c.expected().id());
  }

  @Test
  void relocatedExampleIsMoved() {
    List<Example> now = mails(10);
    Example e = now.remove(1);
    now.add(8, e);
    Change c = only(verifyAgainst(now));
    assertEquals(ChangeKind.MOVED, c.kind());
    assertEquals(1, c.expected().position());
    assertEquals(8, c.actual().position());
    assertTrue(c.fields().isEmpty());
  }

  @Test
  void everyKindAtOnceIsCountedByKind() {
    List<Example> now = mails(10);
    now.set(2, now.get(2).withLabel("spam")); // changed
    Example moved = now.remove(5); // moved to the end
    now.remove(7); // removed (was position 8)
    now.add(moved);
    now.add(3, Example.ofText("brand new", "ham", null)); // added
    ManifestVerification v = verifyAgainst(now);
    assertEquals(1, v.count(ChangeKind.CHANGED), v.changes().toString());
    assertEquals(1, v.count(ChangeKind.ADDED), v.changes().toString());
    assertEquals(1, v.count(ChangeKind.REMOVED), v.changes().toString());
    assertEquals(1, v.count(ChangeKind.MOVED), v.changes().toString());
  }

  @Test
  void writeThenReadGivesTheSameManifestAndTheSameBytes() throws Exception {
    List<Example> es = mails(7);
    es.set(1, es.get(1).withSource("quote\" and \\ and ünïcode\n"));
    Manifest m = Manifests.sign(Manifests.of(data(es)), Signatures.generate().getPrivate());
    Path f = dir.resolve("m.json");
    Manifests.write(f, m);
    Manifest back = Manifests.read(f);
    assertEquals(m, back);
    Path g = dir.resolve("again.json");
    Manifests.write(g, back);
    assertEquals(Files.readString(f), Files.readString(g));
    Manifest empty = Manifests.of(data(List.of()));
    Manifests.write(g, empty);
    assertEquals(empty, Manifests.read(g));
  }

  @Test
  void editedEntryInsideTheManifestIsCaughtByItsOwnRoot() throws Exception {
    KeyPair kp = Signatures.generate();
    Manifest m = Manifests.sign(Manifests.of(data(mails(10))), kp.getPrivate());
    Path f = dir.resolve("m.json");
    Manifests.write(f, m);
    // an attacker relabels example 3 in both the data and the manifest, keeping the signed root
    Files.writeString(
        f,
        Files.readString(f)
            .replaceFirst(
                "\"position\": 3, (\"id\": \"[^\"]+\"), \"label\": \"spam\"",
                "\"position\": 3, $1, \"label\": \"ham\""));
    Manifest edited = Manifests.read(f);
    assertEquals("ham", edited.entries().get(3).label());
    List<Example> now = mails(10);
    now.set(3, now.get(3).withLabel("ham"));
    ManifestVerification v = Manifests.verify(data(now), edited, kp.getPublic());
    assertEquals(SignatureStatus.VALID, v.signature());
    assertFalse(v.manifestIntact());
    assertFalse(v.rootMatches());
    assertFalse(v.ok());
  }

  @Test
  void signatureOutcomesFollowTheKeyGiven() {
    KeyPair kp = Signatures.generate();
    Dataset d = data(mails(4));
    Manifest unsigned = Manifests.of(d);
    Manifest signed = Manifests.sign(unsigned, kp.getPrivate());
    assertEquals(SignatureStatus.VALID, Manifests.verify(d, signed, kp.getPublic()).signature());
    assertEquals(SignatureStatus.NOT_CHECKED, Manifests.verify(d, signed, null).signature());
    assertTrue(Manifests.verify(d, signed, null).ok());
    ManifestVerification missing = Manifests.verify(d, unsigned, kp.getPublic());
    assertEquals(SignatureStatus.MISSING, missing.signature());
    assertFalse(missing.ok());
    ManifestVerification wrong = Manifests.verify(d, signed, Signatures.generate().getPublic());
    assertEquals(SignatureStatus.INVALID, wrong.signature());
    assertFalse(wrong.ok());
  }

  @Test
  void malformedManifestNamesFileAndLine() throws Exception {
    Path f = dir.resolve("m.json");
    Manifests.write(f, Manifests.of(data(mails(3))));
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    int entryLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"position\": 1")) {
        lines.set(i, lines.get(i).replace("\"label\"", "\"lable\""));
        entryLine = i + 1;
      }
    }
    Files.write(f, lines);
    BadInputException e = assertThrows(BadInputException.class, () -> Manifests.read(f));
    assertEquals(entryLine, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("lable"), e.getMessage());

    Files.writeString(
        f, "{\"format\": \"poisonlab-manifest\", \"version\": 1,\n  \"root\": \"sha256:xyz\"}");
    BadInputException r = assertThrows(BadInputException.class, () -> Manifests.read(f));
    assertEquals(2, r.line());
    assertTrue(r.getMessage().contains("root"), r.getMessage());

    Files.writeString(f, "{\"format\": \"poisonlab-manifest\",\n \"version\": ");
    BadInputException t = assertThrows(BadInputException.class, () -> Manifests.read(f));
    assertTrue(t.getMessage().startsWith(f + ":2: malformed JSON"), t.getMessage());
  }
}
