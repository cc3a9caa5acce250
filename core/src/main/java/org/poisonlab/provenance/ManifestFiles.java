package org.poisonlab.provenance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;

/**
 * The manifest's JSON text: a fixed layout on write, a strict streaming read with line numbers.
 * Entries can be written from a source and read into a consumer without holding them.
 */
final class ManifestFiles {
  private static final Pattern ROOT = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ManifestFiles() {}

  static boolean isRoot(String s) {
    return s != null && ROOT.matcher(s).matches();
  }

  static void write(Path file, Manifest m) {
    AtomicFiles.write(
        file,
        os -> {
          Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
          writeHeader(w, ManifestHeader.of(m));
          List<ManifestEntry> es = m.entries();
          for (int i = 0; i < es.size(); i++) {
            writeEntry(w, es.get(i));
          }
          writeEnd(w, es.size());
          w.flush();
        });
  }

  /**
   * Writes the manifest of a source, reading it once: the entries go to a spool file beside {@code
   * file} as they are made, the root is folded as they go (O(log n) hashes), then the header and
   * the spooled entries are written to {@code file} atomically. The spool is deleted in any case.
   */
  static ManifestHeader write(Path file, ExampleSource source, PrivateKey key) {
    return write(file, source.name(), source, key);
  }

  /** {@link #write(Path, ExampleSource, PrivateKey)} under another dataset name. */
  static ManifestHeader write(Path file, String name, ExampleSource source, PrivateKey key) {
    Path dir = file.toAbsolutePath().getParent();
    Path spool = null;
    try {
      Files.createDirectories(dir);
      spool = Files.createTempFile(dir, "." + file.getFileName(), ".entries");
      Merkle.Builder root = new Merkle.Builder();
      try (Writer w = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
          Stream<Example> examples = source.open()) {
        for (Iterator<Example> it = examples.iterator(); it.hasNext(); ) {
          ManifestEntry e = Manifests.entry(root.count(), it.next());
          root.add(e);
          writeEntry(w, e);
        }
      }
      ManifestHeader h =
          new ManifestHeader(
              Manifests.FORMAT_VERSION,
              name,
              root.count(),
              "sha256:" + HexFormat.of().formatHex(root.root()),
              null);
      ManifestHeader header = key == null ? h : Manifests.sign(h, key);
      Path entries = spool;
      AtomicFiles.write(
          file,
          os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            writeHeader(w, header);
            w.flush();
            Files.copy(entries, os);
            writeEnd(w, header.count());
            w.flush();
          });
      return header;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (spool != null) {
        try {
          Files.deleteIfExists(spool);
        } catch (IOException ignored) {
          // a leftover hidden spool file is harmless
        }
      }
    }
  }

  /** Everything before the first entry, ending with the entries' opening bracket. */
  private static void writeHeader(Writer w, ManifestHeader m) throws IOException {
    w.write("{\n");
    w.write("  \"format\": " + quote(Manifests.FORMAT) + ",\n");
    w.write("  \"version\": " + m.version() + ",\n");
    w.write("  \"dataset\": " + quote(m.dataset()) + ",\n");
    w.write("  \"count\": " + m.count() + ",\n");
    w.write("  \"root\": " + quote(m.root()) + ",\n");
    if (m.signature() == null) {
      w.write("  \"signature\": null,\n");
    } else {
      w.write(
          "  \"signature\": {\"algorithm\": "
              + quote(Signatures.ALGORITHM)
              + ", \"value\": "
              + quote(m.signature())
              + "},\n");
    }
    w.write("  \"entries\": [");
  }

  /** One entry on its own line, preceded by a comma unless it is the first. */
  private static void writeEntry(Writer w, ManifestEntry e) throws IOException {
    w.write(e.position() == 0 ? "\n    " : ",\n    ");
    w.write("{\"position\": " + e.position());
    w.write(", \"id\": " + quote(e.id()));
    w.write(", \"label\": " + quote(e.label()));
    w.write(", \"source\": " + (e.source() == null ? "null" : quote(e.source())));
    w.write(e.digest() == null ? "}" : ", \"digest\": " + quote(e.digest()) + "}");
  }

  private static void writeEnd(Writer w, long count) throws IOException {
    w.write(count == 0 ? "]\n}\n" : "\n  ]\n}\n");
  }

  static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  static Manifest read(Path file) {
    List<ManifestEntry> entries = new ArrayList<>();
    ManifestHeader h = read(file, entries::add);
    return new Manifest(h.version(), h.dataset(), h.count(), h.root(), h.signature(), entries);
  }

  /**
   * Reads a manifest strictly, as {@link #read(Path)}, handing each entry to {@code entries} as it
   * is read instead of holding them: when the file turns out bad, some entries may have been handed
   * over already.
   */
  static ManifestHeader read(Path file, Consumer<ManifestEntry> entries) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file, 0, "no such file");
    }
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = FACTORY.createParser(in)) {
      return parse(file, p, entries);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new BadInputException(file, line, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static long line(JsonParser p) {
    return p.currentLocation().getLineNr();
  }

  private static ManifestHeader parse(Path file, JsonParser p, Consumer<ManifestEntry> sink)
      throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new BadInputException(file, line(p), "expected a JSON object (a manifest)");
    }
    String format = null;
    Integer version = null;
    String dataset = null;
    Long count = null;
    String root = null;
    String signature = null;
    boolean sawSignature = false;
    Long entries = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      long at = line(p);
      switch (field) {
        case "format" -> format = string(file, p, field, v, false);
        case "version" -> {
          if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new BadInputException(file, at, "field \"version\" must be an integer");
          }
          version = p.getIntValue();
        }
        case "dataset" -> dataset = string(file, p, field, v, false);
        case "count" -> {
          if (v != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              || p.getLongValue() < 0) {
            throw new BadInputException(file, at, "field \"count\" must be a non-negative integer");
          }
          count = p.getLongValue();
        }
        case "root" -> {
          root = string(file, p, field, v, false);
          if (!isRoot(root)) {
            throw new BadInputException(
                file, at, "field \"root\" must be sha256: and 64 lower-case hex digits");
          }
        }
        case "signature" -> {
          sawSignature = true;
          signature = signature(file, p, v);
        }
        case "entries" -> entries = entries(file, p, v, sink);
        default -> throw new BadInputException(file, at, "unknown field \"" + field + "\"");
      }
    }
    long end = line(p);
    if (p.nextToken() != null) {
      throw new BadInputException(file, line(p), "content after the manifest object");
    }
    if (format == null) {
      throw new BadInputException(file, end, "missing field \"format\"");
    }
    if (!format.equals(Manifests.FORMAT)) {
      throw new BadInputException(
          file, 0, "field \"format\" is \"" + format + "\", not \"" + Manifests.FORMAT + "\"");
    }
    for (var req :
        List.of(
            new Object[] {"version", version},
            new Object[] {"dataset", dataset},
            new Object[] {"count", count},
            new Object[] {"root", root},
            new Object[] {"entries", entries})) {
      if (req[1] == null) {
        throw new BadInputException(file, end, "missing field \"" + req[0] + "\"");
      }
    }
    if (!sawSignature) {
      throw new BadInputException(file, end, "missing field \"signature\" (null when unsigned)");
    }
    if (version != Manifests.FORMAT_VERSION) {
      throw new BadInputException(
          file,
          0,
          "manifest version "
              + version
              + " is not supported (this is version "
              + Manifests.FORMAT_VERSION
              + ")");
    }
    return new ManifestHeader(version, dataset, count, root, signature);
  }

  private static String string(Path file, JsonParser p, String field, JsonToken v, boolean nullable)
      throws IOException {
    if (v == JsonToken.VALUE_NULL && nullable) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw new BadInputException(file, line(p), "field \"" + field + "\" must be a string");
    }
    return p.getText();
  }

  private static String signature(Path file, JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.START_OBJECT) {
      throw new BadInputException(file, line(p), "field \"signature\" must be an object or null");
    }
    String algorithm = null;
    String value = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String f = p.currentName();
      JsonToken x = p.nextToken();
      switch (f) {
        case "algorithm" -> algorithm = string(file, p, "signature.algorithm", x, false);
        case "value" -> value = string(file, p, "signature.value", x, false);
        default ->
            throw new BadInputException(file, line(p), "unknown field \"signature." + f + "\"");
      }
    }
    if (!Signatures.ALGORITHM.equals(algorithm)) {
      throw new BadInputException(
          file, line(p), "field \"signature.algorithm\" must be \"" + Signatures.ALGORITHM + "\"");
    }
    if (value == null) {
      throw new BadInputException(file, line(p), "missing field \"signature.value\"");
    }
    return value;
  }

  /** Hands each entry to {@code sink}; returns how many there were. */
  private static long entries(Path file, JsonParser p, JsonToken v, Consumer<ManifestEntry> sink)
      throws IOException {
    if (v != JsonToken.START_ARRAY) {
      throw new BadInputException(file, line(p), "field \"entries\" must be an array");
    }
    long n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      long at = line(p);
      if (t != JsonToken.START_OBJECT) {
        throw new BadInputException(file, at, "entry " + n + " must be an object");
      }
      Long position = null;
      String id = null;
      String label = null;
      String source = null;
      String digest = null;
      for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
        String name = p.currentName();
        JsonToken x = p.nextToken();
        switch (name) {
          case "position" -> {
            if (x != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              throw new BadInputException(file, at, "field \"position\" must be an integer");
            }
            position = p.getLongValue();
          }
          case "id" -> id = string(file, p, "id", x, false);
          case "label" -> label = string(file, p, "label", x, false);
          case "source" -> source = string(file, p, "source", x, true);
          case "digest" -> digest = string(file, p, "digest", x, false);
          default -> throw new BadInputException(file, at, "unknown field \"" + name + "\"");
        }
      }
      if (position == null || id == null || label == null) {
        throw new BadInputException(
            file,
            at,
            "missing field \""
                + (position == null ? "position" : id == null ? "id" : "label")
                + "\"");
      }
      if (position != n) {
        throw new BadInputException(file, at, "entry " + n + " has position " + position);
      }
      sink.accept(new ManifestEntry(position, id, label, source, digest));
      n++;
    }
    return n;
  }
}
