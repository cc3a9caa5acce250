package org.poisonlab.deep;

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
import org.poisonlab.model.ModelProvenance;

/**
 * The file format of deep models: 8 magic bytes, a format version, a JSON header (family, labels,
 * architecture with its vocabulary or image shape, L2 strength, provenance), the body's tensors as
 * float32, the softmax layer as float64, and a CRC-32 of everything before it. Big-endian.
 */
final class DeepFiles {
  static final byte[] MAGIC = {(byte) 0x89, 'P', 'L', 'D', 0x0D, 0x0A, 0x1A, 0x0A};
  static final int VERSION = 1;
  private static final ObjectMapper JSON = Json.mapper();

  private DeepFiles() {}

  static void save(DeepClassifier model, Path file) {
    ObjectNode h = JSON.createObjectNode();
    h.put("kind", model.kind());
    ArrayNode labels = h.putArray("labels");
    model.labels().forEach(labels::add);
    model.body().architecture().describe(h.putObject("architecture"));
    h.put("l2", model.l2());
    h.set("provenance", JSON.valueToTree(model.provenance()));
    byte[] header;
    try {
      header = JSON.writeValueAsBytes(h);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the model header", e);
    }
    float[][] body = model.body().view();
    double[] head = model.parameters();
    long size = MAGIC.length + 12L + header.length + 4 + 4L * head.length + 8L * head.length;
    for (float[] t : body) {
      size += 4 + 4L * t.length;
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("model too large to save: " + size + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.put(MAGIC).putInt(VERSION).putInt(header.length).put(header).putInt(body.length);
    for (float[] t : body) {
      out.putInt(t.length);
      out.asFloatBuffer().put(t);
      out.position(out.position() + 4 * t.length);
    }
    out.putInt(head.length);
    out.asDoubleBuffer().put(head);
    out.position(out.position() + 8 * head.length);
    byte[] bytes = Arrays.copyOf(out.array(), out.position());
    CRC32 crc = new CRC32();
    crc.update(bytes);
    AtomicFiles.write(
        file,
        o -> {
          o.write(bytes);
          new DataOutputStream(o).writeLong(crc.getValue());
        });
  }

  static boolean reads(Path file) {
    try (var in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The kind named in a deep model file's header, read without the tensors; null when the header
   * cannot be read.
   */
  static String kindOf(Path file) {
    try (var in =
        new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC) || in.readInt() != VERSION) {
        return null;
      }
      int length = in.readInt();
      if (length < 0 || length > (1 << 28)) {
        return null;
      }
      JsonNode kind = JSON.readTree(in.readNBytes(length)).get("kind");
      return kind == null ? null : kind.asText();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static DeepClassifier load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException(file, 0, "cannot read model file: " + e.getMessage());
    }
    if (bytes.length < MAGIC.length + 16
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new BadInputException(file, 0, "not a PoisonLab deep model file (bad magic bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
      throw new BadInputException(file, 0, "corrupt or truncated model file (checksum mismatch)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 8);
    in.position(MAGIC.length);
    int version = in.getInt();
    if (version != VERSION) {
      throw new BadInputException(
          file,
          0,
          "deep model format version "
              + version
              + " is not supported (this build reads "
              + VERSION
              + ")");
    }
    try {
      byte[] header = new byte[in.getInt()];
      in.get(header);
      int tensors = in.getInt();
      float[][] body = new float[tensors][];
      for (int t = 0; t < tensors; t++) {
        body[t] = new float[in.getInt()];
        in.asFloatBuffer().get(body[t]);
        in.position(in.position() + 4 * body[t].length);
      }
      double[] head = new double[in.getInt()];
      in.asDoubleBuffer().get(head);
      JsonNode h = JSON.readTree(new String(header, StandardCharsets.UTF_8));
      List<String> labels = new ArrayList<>();
      h.get("labels").forEach(l -> labels.add(l.asText()));
      Architecture arch = architecture(h.get("architecture"));
      ModelProvenance prov = JSON.treeToValue(h.get("provenance"), ModelProvenance.class);
      return new DeepClassifier(new Body(arch, body), labels, head, h.get("l2").asDouble(), prov);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file, 0, "corrupt deep model: " + e.getMessage(), e);
    }
  }

  /** The architecture a header describes. */
  static Architecture architecture(JsonNode a) {
    switch (a.get("architecture").asText()) {
      case "cnn":
        {
          int[] shape = new int[a.get("shape").size()];
          for (int i = 0; i < shape.length; i++) {
            shape[i] = a.get("shape").get(i).asInt();
          }
          // a header without the pixel statistics: a network that does not standardise
          int c = shape.length == 3 ? shape[2] : 1;
          float[] mean = new float[c];
          float[] deviation = new float[c];
          for (int k = 0; k < c; k++) {
            mean[k] = a.has("mean") ? (float) a.get("mean").get(k).asDouble() : 0f;
            deviation[k] = a.has("deviation") ? (float) a.get("deviation").get(k).asDouble() : 1f;
          }
          return new ConvNet(
              shape,
              a.get("channels1").asInt(),
              a.get("channels2").asInt(),
              a.get("dense").asInt(),
              mean,
              deviation);
        }
      case "textcnn":
        {
          return new TextConvNet(
              Vocabulary.read(a),
              a.get("embedding").asInt(),
              a.get("filters").asInt(),
              a.get("kernel").asInt(),
              a.get("max_tokens").asInt());
        }
      case "transformer":
        {
          return new TransformerNet(
              Vocabulary.read(a),
              a.get("width").asInt(),
              a.get("feed_forward").asInt(),
              a.get("layers").asInt(),
              a.get("heads").asInt(),
              a.get("window").asInt(),
              a.get("max_tokens").asInt());
        }
      default:
        throw new IllegalArgumentException("unknown architecture " + a.get("architecture"));
    }
  }
}
