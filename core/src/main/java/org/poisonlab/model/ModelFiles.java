package org.poisonlab.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * Reads and writes trained models.
 *
 * <p>Format (version 1), big-endian: the 8 magic bytes {@code 89 'P' 'L' 'M' 0D 0A 1A 0A}; the
 * format version as a 4-byte integer; the length of a UTF-8 JSON header and the header ({@code
 * kind}, {@code labels}, {@code features}, {@code sizes}, {@code l2}, {@code provenance}); the
 * number of parameters and the parameters as IEEE-754 doubles; a CRC-32 of everything before it as
 * an 8-byte integer. Parameters survive a round trip bit for bit.
 */
public final class ModelFiles {
  static final byte[] MAGIC = {(byte) 0x89, 'P', 'L', 'M', 0x0D, 0x0A, 0x1A, 0x0A};
  static final int VERSION = 1;
  private static final ObjectMapper JSON = Json.mapper();

  private ModelFiles() {}

  /**
   * Writes {@code model} to {@code file} atomically (temporary file, then rename); parent folders
   * are created.
   *
   * @param model not modified; a model trained by {@link Trainers} or loaded by {@link #load}
   * @throws IllegalArgumentException if the model was not made by PoisonLab
   * @throws java.io.UncheckedIOException if the file cannot be written; it is then untouched
   */
  public static void save(Classifier model, Path file) {
    if (!(model instanceof Network net)) {
      throw new IllegalArgumentException(
          "cannot save a " + model.kind() + " model that PoisonLab did not make");
    }
    byte[] header;
    try {
      header = JSON.writeValueAsBytes(header(net));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the model header", e);
    }
    double[] w = net.parametersView();
    ByteBuffer body = ByteBuffer.allocate(MAGIC.length + 12 + header.length + 8 * w.length);
    body.put(MAGIC).putInt(VERSION).putInt(header.length).put(header).putInt(w.length);
    body.asDoubleBuffer().put(w);
    byte[] bytes = body.array();
    CRC32 crc = new CRC32();
    crc.update(bytes);
    AtomicFiles.write(
        file,
        out -> {
          out.write(bytes);
          new DataOutputStream(out).writeLong(crc.getValue());
        });
  }

  /**
   * Reads a model written by {@link #save}.
   *
   * @throws BadInputException {@code (file, 0, message)} if the file cannot be read, is not a
   *     PoisonLab model, has an unknown version, is truncated or corrupt
   */
  public static DifferentiableClassifier load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read model file: " + e.getMessage());
    }
    if (bytes.length < MAGIC.length + 4
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new BadInputException(file, 0, "not a PoisonLab model file (bad magic bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.position(MAGIC.length);
    int version = in.getInt();
    if (version != VERSION) {
      throw new BadInputException(
          file,
          0,
          "model file format version "
              + version
              + " is not supported (this build reads "
              + VERSION
              + ")");
    }
    if (in.remaining() < 4) {
      throw truncated(file);
    }
    int headerLength = in.getInt();
    if (headerLength < 0 || (long) headerLength + 4 > in.remaining()) {
      throw truncated(file);
    }
    byte[] header = new byte[headerLength];
    in.get(header);
    int count = in.getInt();
    if (count < 0 || (long) count * 8 + 8 != in.remaining()) {
      throw in.remaining() < (long) count * 8 + 8 || count < 0
          ? truncated(file)
          : new BadInputException(
              file,
              0,
              "corrupt model file: "
                  + in.remaining()
                  + " bytes where "
                  + ((long) count * 8 + 8)
                  + " were expected");
    }
    double[] w = new double[count];
    in.asDoubleBuffer().get(w);
    in.position(in.position() + 8 * count);
    long stored = in.getLong();
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    if (crc.getValue() != stored) {
      throw new BadInputException(file, 0, "corrupt model file (checksum mismatch)");
    }
    try {
      JsonNode h = JSON.readTree(new String(header, StandardCharsets.UTF_8));
      String kind = h.get("kind").asText();
      List<String> labels = new ArrayList<>();
      h.get("labels").forEach(l -> labels.add(l.asText()));
      JsonNode f = h.get("features");
      FeatureKind fk;
      if (f.get("type").asText().equals("hashed-ngrams")) {
        fk = new FeatureKind.HashedNgrams(f.get("buckets").asInt());
      } else {
        List<Integer> shape = new ArrayList<>();
        f.get("shape").forEach(d -> shape.add(d.asInt()));
        fk = new FeatureKind.Pixels(shape);
      }
      int[] sizes = JSON.treeToValue(h.get("sizes"), int[].class);
      double l2 = h.get("l2").asDouble();
      ModelProvenance prov = JSON.treeToValue(h.get("provenance"), ModelProvenance.class);
      return new Network(kind, labels, Featurizers.of(fk), sizes, w, l2, prov);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file, 0, "corrupt model header: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code kind} named in the header of a model file written by {@link #save}, or null when
   * {@code file} is not such a file (other magic bytes, unreadable, or a damaged header).
   */
  static String kindOf(Path file) {
    try (java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC) || in.readInt() != VERSION) {
        return null;
      }
      int length = in.readInt();
      if (length < 0 || length > (1 << 26)) {
        return null;
      }
      byte[] header = new byte[length];
      in.readFully(header);
      JsonNode kind = JSON.readTree(header).get("kind");
      return kind == null ? null : kind.asText();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static BadInputException truncated(Path file) {
    return new BadInputException(file, 0, "truncated model file");
  }

  private static ObjectNode header(Network net) {
    ObjectNode h = JSON.createObjectNode();
    h.put("kind", net.kind());
    ArrayNode labels = h.putArray("labels");
    net.labels().forEach(labels::add);
    ObjectNode f = h.putObject("features");
    FeatureKind fk = net.featurizer().kind();
    if (fk instanceof FeatureKind.HashedNgrams hn) {
      f.put("type", "hashed-ngrams");
      f.put("buckets", hn.buckets());
    } else {
      f.put("type", "pixels");
      ArrayNode shape = f.putArray("shape");
      ((FeatureKind.Pixels) fk).shape().forEach(shape::add);
    }
    ArrayNode sizes = h.putArray("sizes");
    for (int s : net.layerSizes()) {
      sizes.add(s);
    }
    h.put("l2", net.l2());
    h.set("provenance", JSON.valueToTree(net.provenance()));
    return h;
  }
}
