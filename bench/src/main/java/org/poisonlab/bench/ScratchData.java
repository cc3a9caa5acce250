package org.poisonlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/**
 * Crude readers for measuring on real data that sits on this machine: gzipped IDX files of
 * Fashion-MNIST and the SpamAssassin JSON mails. Not the project's loaders; not for users.
 */
final class ScratchData {
  private ScratchData() {}

  /** Fashion-MNIST split {@code train} or {@code t10k} from a folder of gzipped IDX files. */
  static Dataset fashion(Path dir, String split) {
    try (DataInputStream img = open(dir.resolve(split + "-images-idx3-ubyte.gz"));
        DataInputStream lab = open(dir.resolve(split + "-labels-idx1-ubyte.gz"))) {
      if (img.readInt() != 0x803 || lab.readInt() != 0x801) {
        throw new IOException("bad IDX magic in " + dir);
      }
      int n = img.readInt();
      int rows = img.readInt();
      int cols = img.readInt();
      if (lab.readInt() != n) {
        throw new IOException("image and label counts differ in " + dir);
      }
      byte[] labels = lab.readNBytes(n);
      List<Example> out = new ArrayList<>(n);
      byte[] px = new byte[rows * cols];
      int[] shape = {rows, cols};
      for (int i = 0; i < n; i++) {
        img.readFully(px);
        out.add(Example.ofImage(px, shape, Integer.toString(labels[i]), "zalando"));
      }
      return new Dataset("fashion-mnist:" + split, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16);
    return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
  }

  /**
   * The SpamAssassin mails under {@code dir/<group>/*.json}, split 80/20 by id hash: {@code test}
   * true gives the fifth whose id hash is 0 modulo 5.
   */
  static Dataset spam(Path dir, boolean test) {
    ObjectMapper json = org.poisonlab.io.Json.mapper();
    List<Example> out = new ArrayList<>();
    try (Stream<Path> groups = Files.list(dir)) {
      for (Path g : groups.filter(Files::isDirectory).sorted().toList()) {
        String label = g.getFileName().toString().startsWith("spam") ? "spam" : "ham";
        try (Stream<Path> files = Files.list(g)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
            String text = json.readTree(f.toFile()).get("text").asText();
            Example e = Example.ofText(text, label, g.getFileName().toString());
            long h = Long.parseUnsignedLong(e.id().substring(7, 22), 16);
            if ((h % 5 == 0) == test) {
              out.add(e);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Dataset("spamassassin:" + (test ? "test" : "train"), out);
  }
}
