package org.poisonlab.provenance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.provenance.ShardedVerification.ShardResult;
import org.poisonlab.provenance.ShardedVerification.ShardStatus;

/**
 * Manifests of a dataset stored as many shards: one ordinary manifest per shard ({@link Manifests})
 * and a top manifest whose Merkle root is over the shards' roots, signed once.
 *
 * <p><b>Top root.</b> RFC 6962's tree (as in {@link Manifests}) over one leaf per shard, in shard
 * order: leaf = {@code SHA-256(0x00 ‖ enc(name) ‖ u64(count) ‖ root)}, where {@code name} is the
 * shard's name, {@code count} its number of examples and {@code root} the 32 raw bytes of its
 * manifest's root. A change of any example in any shard changes that shard's root and so the top
 * root; renaming, reordering, adding or dropping a shard changes it too.
 *
 * <p><b>Signature.</b> Ed25519 over {@code "poisonlab-sharded-manifest" ‖ 0x00 ‖ u32(version) ‖
 * enc(dataset) ‖ u64(count) ‖ root}, the layout of {@link Manifests} under another format name, so
 * a top manifest's signature never passes for a shard's or the other way round. The shard manifests
 * are not signed themselves: each is bound to the signature through its root, recorded in the top
 * manifest.
 *
 * <p><b>Files.</b> The top manifest {@code M} lists each shard as {@code {position, shard, count,
 * root, manifest}}, {@code manifest} being the shard manifest's path relative to {@code M}'s
 * folder: {@code M.shards/shard-00000.json}, {@code shard-00001.json}, … .
 *
 * <p><b>Memory.</b> One shard at a time: writing streams each shard through {@link
 * Manifests#write(Path, ExampleSource, PrivateKey)} (no entries held); verifying folds each shard's
 * roots and, only for a shard whose root differs, holds that shard's entries to list its changes.
 * Beyond that, one small record per shard.
 */
public final class ShardedManifests {
  static final String FORMAT = "poisonlab-sharded-manifest";
  private static final Pattern SHARD_FILE = Pattern.compile("shard-\\d{5,}\\.json");
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper JSON = Json.mapper();

  private ShardedManifests() {}

  /**
   * One shard of a dataset.
   *
   * @param name its name in the manifest (a file name, or a path relative to the dataset's folder
   *     with {@code /} between folders); unique within a dataset
   * @param source its examples
   */
  public record Shard(String name, ExampleSource source) {
    /**
     * @throws NullPointerException if an argument is null
     */
    public Shard {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * What the top manifest records of one shard.
   *
   * @param position 0-based position among the shards
   * @param name the shard's name
   * @param count its number of examples
   * @param root its manifest's root, {@code sha256:} + hex
   * @param manifest its manifest's path, relative to the top manifest's folder
   */
  public record ShardEntry(long position, String name, long count, String root, String manifest) {}

  /**
   * A top manifest as read.
   *
   * @param header version, dataset, total count, root and signature
   * @param shards the shards in order; unmodifiable
   */
  public record ShardedManifest(ManifestHeader header, List<ShardEntry> shards) {
    public ShardedManifest {
      shards = List.copyOf(shards);
    }
  }

  /**
   * The shards of a folder: every regular {@code .jsonl} file under it, at any depth, hidden files
   * and folders skipped, in order of their relative paths, named by them ({@code /} between
   * folders).
   *
   * @throws BadInputException if {@code dir} is not a folder or holds no {@code .jsonl} file
   */
  public static List<Shard> folder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir, 0, "not a folder");
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p))
          .filter(r -> r.getFileName().toString().endsWith(".jsonl"))
          .filter(
              r -> {
                for (Path part : r) {
                  if (part.toString().startsWith(".")) {
                    return false;
                  }
                }
                return true;
              })
          .forEach(r -> names.add(r.toString().replace(r.getFileSystem().getSeparator(), "/")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (names.isEmpty()) {
      throw new BadInputException(dir, 0, "no .jsonl files in the folder");
    }
    names.sort(null);
    List<Shard> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(new Shard(n, ExampleJsonl.source(dir.resolve(n))));
    }
    return out;
  }

  /**
   * Writes one manifest per shard into {@code top}'s {@code .shards} folder, then the top manifest
   * to {@code top}, signed with {@code key} when it is not null; each file atomically, the top one
   * last. Shard manifest files of an earlier, larger write are removed.
   *
   * @param progress receives a line per shard
   * @return what the top manifest states besides its shards
   * @throws BadInputException for a bad record in a shard, two shards of one name, no shards, or a
   *     key that is not Ed25519
   */
  public static ManifestHeader write(
      Path top,
      String dataset,
      List<Shard> shards,
      PrivateKey key,
      java.util.function.Consumer<String> progress) {
    if (shards.isEmpty()) {
      throw new BadInputException(top, 0, "no shards to write a manifest of");
    }
    Set<String> seen = new HashSet<>();
    for (Shard s : shards) {
      if (!seen.add(s.name())) {
        throw new BadInputException("two shards are named " + s.name());
      }
    }
    Path dir = shardFolder(top);
    String rel = top.getFileName() + ".shards";
    List<ShardEntry> entries = new ArrayList<>(shards.size());
    long count = 0;
    for (int i = 0; i < shards.size(); i++) {
      Shard s = shards.get(i);
      String file = String.format(java.util.Locale.ROOT, "shard-%05d.json", i);
      ManifestHeader h = ManifestFiles.write(dir.resolve(file), s.name(), s.source(), null);
      entries.add(new ShardEntry(i, s.name(), h.count(), h.root(), rel + "/" + file));
      count += h.count();
      progress.accept(
          "shard " + (i + 1) + " of " + shards.size() + ": " + s.name() + ", " + h.count());
    }
    ManifestHeader h =
        new ManifestHeader(
            Manifests.FORMAT_VERSION, dataset, count, Manifests.hex(root(entries)), null);
    ManifestHeader header = key == null ? h : Manifests.sign(FORMAT, h, key);
    AtomicFiles.write(
        top,
        os -> {
          Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
          writeTop(w, header, entries);
          w.flush();
        });
    removeStale(dir, shards.size());
    return header;
  }

  /** Whether a manifest file is a top manifest of shards (reads its first field only). */
  public static boolean isSharded(Path manifest) {
    if (!Files.isRegularFile(manifest)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(manifest);
        JsonParser p = FACTORY.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      return p.nextToken() == JsonToken.FIELD_NAME
          && p.currentName().equals("format")
          && p.nextToken() == JsonToken.VALUE_STRING
          && p.getText().equals(FORMAT);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads a top manifest written by {@link #write}, strictly.
   *
   * @throws BadInputException naming file and line for malformed JSON, an unknown or missing field,
   *     another format or version, a malformed root, or a shard entry out of place
   */
  public static ShardedManifest read(Path top) {
    if (!Files.isRegularFile(top)) {
      throw new BadInputException(top, 0, "no such file");
    }
    try (InputStream in = Files.newInputStream(top);
        JsonParser p = FACTORY.createParser(in)) {
      return parse(top, p);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new BadInputException(top, line, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + top + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks the shards against a top manifest and each shard's manifest. Nothing is modified.
   *
   * <p>The top manifest's shard list must hash to its stated root and counts ({@code
   * manifest_intact}); with a key, its signature must verify. Shards are matched by name: a
   * recorded shard not given is {@code missing}, a given shard not recorded is {@code added}. Each
   * matched shard is checked against its manifest as {@link Manifests#verify(ExampleSource, Path,
   * PublicKey)} does (naming every changed, added, removed or moved example), and that manifest's
   * root and count must be the ones the top manifest records ({@code manifest_edited} otherwise).
   * The top root of the shards as given must equal the stated root.
   *
   * @param key the public key to check the signature with, or null to skip the check
   * @param progress receives a line per shard
   * @throws BadInputException for a malformed top or shard manifest, a shard manifest file that is
   *     absent, or a bad record in a shard
   */
  public static ShardedVerification verify(
      Path top, List<Shard> shards, PublicKey key, java.util.function.Consumer<String> progress) {
    ShardedManifest m = read(top);
    ManifestHeader h = m.header();
    long recordedCount = 0;
    for (ShardEntry e : m.shards()) {
      recordedCount += e.count();
    }
    boolean intact = Manifests.hex(root(m.shards())).equals(h.root()) && recordedCount == h.count();
    Map<String, Shard> given = new HashMap<>();
    for (Shard s : shards) {
      if (given.put(s.name(), s) != null) {
        throw new BadInputException("two shards are named " + s.name());
      }
    }
    Map<String, ShardResult> byName = new HashMap<>();
    List<ShardResult> results = new ArrayList<>();
    Path base = top.toAbsolutePath().getParent();
    int i = 0;
    for (ShardEntry e : m.shards()) {
      i++;
      Shard s = given.get(e.name());
      ShardResult r;
      if (s == null) {
        r = new ShardResult(e.position(), e.name(), ShardStatus.MISSING, e, null, 0, null);
      } else {
        Path file = base.resolve(e.manifest());
        ManifestVerification v = Manifests.verify(s.source(), file, null);
        boolean bound =
            v.manifestIntact()
                && v.expectedRoot().equals(e.root())
                && v.expectedCount() == e.count();
        ShardStatus status =
            !bound ? ShardStatus.MANIFEST_EDITED : v.ok() ? ShardStatus.OK : ShardStatus.CHANGED;
        r = new ShardResult(e.position(), e.name(), status, e, v.actualRoot(), v.actualCount(), v);
      }
      byName.put(e.name(), r);
      results.add(r);
      progress.accept(
          "shard " + i + " of " + m.shards().size() + ": " + e.name() + " " + r.status());
    }
    // the root of the shards as given, in the order given
    List<ShardEntry> actual = new ArrayList<>();
    long actualCount = 0;
    for (Shard s : shards) {
      ShardResult r = byName.get(s.name());
      if (r == null) {
        Merkle.Builder b = new Merkle.Builder();
        s.source().forEach(x -> b.add(Manifests.entry(b.count(), x)));
        r =
            new ShardResult(
                results.size(),
                s.name(),
                ShardStatus.ADDED,
                null,
                Manifests.hex(b.root()),
                b.count(),
                null);
        results.add(r);
      }
      actual.add(new ShardEntry(actual.size(), s.name(), r.actualCount(), r.actualRoot(), ""));
      actualCount += r.actualCount();
    }
    return new ShardedVerification(
        h.dataset(),
        h.count(),
        actualCount,
        h.root(),
        Manifests.hex(root(actual)),
        intact,
        Manifests.signatureStatus(FORMAT, h, key),
        results);
  }

  /** The top root over shard entries in order. */
  static byte[] root(List<ShardEntry> shards) {
    MessageDigest sha = Merkle.sha256();
    byte[][] leaves = new byte[shards.size()][];
    for (int i = 0; i < leaves.length; i++) {
      ShardEntry e = shards.get(i);
      ByteArrayOutputStream out = new ByteArrayOutputStream(96);
      out.write(Merkle.LEAF_PREFIX);
      Merkle.field(out, e.name());
      out.writeBytes(ByteBuffer.allocate(8).putLong(e.count()).array());
      out.writeBytes(Manifests.rootBytes(e.root()));
      leaves[i] = sha.digest(out.toByteArray());
    }
    return Merkle.rootOfLeaves(sha, leaves);
  }

  static Path shardFolder(Path top) {
    return top.toAbsolutePath().resolveSibling(top.getFileName() + ".shards");
  }

  private static void removeStale(Path dir, int count) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (SHARD_FILE.matcher(n).matches()
            && Integer.parseInt(n.substring(6, n.length() - 5)) >= count) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void writeTop(Writer w, ManifestHeader h, List<ShardEntry> shards)
      throws IOException {
    w.write("{\n");
    w.write("  \"format\": " + ManifestFiles.quote(FORMAT) + ",\n");
    w.write("  \"version\": " + h.version() + ",\n");
    w.write("  \"dataset\": " + ManifestFiles.quote(h.dataset()) + ",\n");
    w.write("  \"count\": " + h.count() + ",\n");
    w.write("  \"root\": " + ManifestFiles.quote(h.root()) + ",\n");
    if (h.signature() == null) {
      w.write("  \"signature\": null,\n");
    } else {
      w.write(
          "  \"signature\": {\"algorithm\": "
              + ManifestFiles.quote(Signatures.ALGORITHM)
              + ", \"value\": "
              + ManifestFiles.quote(h.signature())
              + "},\n");
    }
    w.write("  \"shards\": [");
    for (ShardEntry e : shards) {
      w.write(e.position() == 0 ? "\n    " : ",\n    ");
      w.write("{\"position\": " + e.position());
      w.write(", \"shard\": " + ManifestFiles.quote(e.name()));
      w.write(", \"count\": " + e.count());
      w.write(", \"root\": " + ManifestFiles.quote(e.root()));
      w.write(", \"manifest\": " + ManifestFiles.quote(e.manifest()) + "}");
    }
    w.write(shards.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
  }

  private static ShardedManifest parse(Path file, JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new BadInputException(file, p.currentLocation().getLineNr(), "expected a JSON object");
    }
    List<ShardEntry> shards = null;
    Map<String, JsonNode> fields = new HashMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      p.nextToken();
      long at = p.currentLocation().getLineNr();
      if (name.equals("shards")) {
        shards = shards(file, p);
        continue;
      }
      if (!Set.of("format", "version", "dataset", "count", "root", "signature").contains(name)) {
        throw new BadInputException(file, at, "unknown field \"" + name + "\"");
      }
      fields.put(name, JSON.readTree(p));
    }
    for (String f : List.of("format", "version", "dataset", "count", "root", "signature")) {
      if (!fields.containsKey(f)) {
        throw new BadInputException(file, 0, "missing field \"" + f + "\"");
      }
    }
    if (!FORMAT.equals(fields.get("format").textValue())) {
      throw new BadInputException(file, 0, "field \"format\" is not \"" + FORMAT + "\"");
    }
    JsonNode v = fields.get("version");
    if (!v.isInt() || v.intValue() != Manifests.FORMAT_VERSION) {
      throw new BadInputException(file, 0, "manifest version " + v + " is not supported");
    }
    JsonNode dataset = fields.get("dataset");
    JsonNode count = fields.get("count");
    String root = fields.get("root").textValue();
    if (!dataset.isTextual() || !count.canConvertToLong() || !count.isIntegralNumber()) {
      throw new BadInputException(file, 0, "field \"dataset\" or \"count\" has the wrong type");
    }
    if (!ManifestFiles.isRoot(root)) {
      throw new BadInputException(
          file, 0, "field \"root\" must be sha256: and 64 lower-case hex digits");
    }
    JsonNode sig = fields.get("signature");
    String signature = null;
    if (!sig.isNull()) {
      if (!sig.isObject()
          || !Signatures.ALGORITHM.equals(sig.path("algorithm").textValue())
          || !sig.path("value").isTextual()
          || sig.size() != 2) {
        throw new BadInputException(
            file, 0, "field \"signature\" must be {\"algorithm\": \"Ed25519\", \"value\"} or null");
      }
      signature = sig.get("value").textValue();
    }
    if (shards == null) {
      throw new BadInputException(file, 0, "missing field \"shards\"");
    }
    return new ShardedManifest(
        new ManifestHeader(v.intValue(), dataset.textValue(), count.longValue(), root, signature),
        shards);
  }

  private static List<ShardEntry> shards(Path file, JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadInputException(
          file, p.currentLocation().getLineNr(), "field \"shards\" must be an array");
    }
    List<ShardEntry> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      long at = p.currentLocation().getLineNr();
      JsonNode n = JSON.readTree(p);
      if (!n.isObject()
          || n.size() != 5
          || !n.path("position").isIntegralNumber()
          || n.path("position").longValue() != out.size()
          || !n.path("shard").isTextual()
          || !n.path("count").isIntegralNumber()
          || n.path("count").longValue() < 0
          || !ManifestFiles.isRoot(n.path("root").textValue())
          || !n.path("manifest").isTextual()) {
        throw new BadInputException(
            file,
            at,
            "shard "
                + out.size()
                + " must be {\"position\": "
                + out.size()
                + ", \"shard\", \"count\", \"root\", \"manifest\"}");
      }
      out.add(
          new ShardEntry(
              out.size(),
              n.get("shard").textValue(),
              n.get("count").longValue(),
              n.get("root").textValue(),
              n.get("manifest").textValue()));
    }
    return out;
  }
}
