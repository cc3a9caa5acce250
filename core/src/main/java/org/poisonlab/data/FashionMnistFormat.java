package org.poisonlab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.tukaani.xz.XZInputStream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking
 * Machine Learning Algorithms", arXiv:1708.07747, 2017) from its Debian package: the {@code .deb}
 * is an {@code ar} archive whose {@code data.tar.xz} holds the four gzipped IDX files under {@code
 * usr/share/datasets/fashion-mnist/}. The derived cache holds them decompressed, with the ids
 * (content digests) of the images precomputed, so a load reads and hashes nothing twice.
 *
 * <p>{@code train} is the 60,000 training images, {@code test} the 10,000 test images, in file
 * order; 28×28 pixels; label {@code "0"}..{@code "9"}. Each image's source is a simulated
 * contributor {@code contributor-NNN}, {@code NNN = u64(first 8 bytes of the sha256 digest in the
 * example id) mod 200}: a fixed, content-derived assignment that gives provenance tools 200 units
 * to trace and purge.
 */
final class FashionMnistFormat implements ArtifactFormat {
  static final String DIR = "usr/share/datasets/fashion-mnist/";
  static final int SIDE = 28;
  static final int CONTRIBUTORS = 200;

  /** Per split, the sha256 digest of each image's canonical content (its id), 32 bytes each. */
  static final String IDS_SUFFIX = "-ids.sha256";

  static final int DIGEST = 32;

  /** The shape of every image, shared by all examples (none modifies it). */
  private static final int[] SHAPE = {SIDE, SIDE};

  private static final String[] FILES = {
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"
  };
  private static final String[] LABELS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  private static final String[] CONTRIBUTOR_NAMES = new String[CONTRIBUTORS];

  static {
    for (int i = 0; i < CONTRIBUTORS; i++) {
      CONTRIBUTOR_NAMES[i] = String.format("contributor-%03d", i);
    }
  }

  @Override
  public String id() {
    return "fashion-mnist-idx/1";
  }

  @Override
  public List<String> splits() {
    return List.of("train", "test");
  }

  @Override
  public void derive(Path artifact, Path outDir, Consumer<String> progress) throws IOException {
    Map<String, byte[]> found = new HashMap<>();
    boolean sawData = false;
    try (ArArchiveInputStream ar =
        new ArArchiveInputStream(
            new BufferedInputStream(Files.newInputStream(artifact), 1 << 16))) {
      ArArchiveEntry e;
      while ((e = ar.getNextEntry()) != null) {
        String name =
            e.getName().endsWith("/")
                ? e.getName().substring(0, e.getName().length() - 1)
                : e.getName();
        if (!name.startsWith("data.tar")) {
          continue;
        }
        sawData = true;
        InputStream tarStream;
        if (name.equals("data.tar.xz")) {
          tarStream = new XZInputStream(ar);
        } else if (name.equals("data.tar.gz")) {
          tarStream = new GZIPInputStream(ar, 1 << 16);
        } else if (name.equals("data.tar")) {
          tarStream = ar;
        } else {
          throw new BadInputException(
              artifact, 0, "unsupported compression of " + name + " (expected data.tar.xz)");
        }
        progress.accept("unpacking " + name);
        TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
        TarArchiveEntry t;
        while ((t = tar.getNextEntry()) != null) {
          String path = t.getName().startsWith("./") ? t.getName().substring(2) : t.getName();
          for (String f : FILES) {
            if (path.equals(DIR + f + ".gz")) {
              try (GZIPInputStream gz = new GZIPInputStream(new NonClosing(tar), 1 << 16)) {
                found.put(f, gz.readAllBytes());
              }
            }
          }
        }
        break;
      }
    } catch (java.io.EOFException | java.util.zip.ZipException | org.tukaani.xz.XZIOException e) {
      throw new BadInputException(artifact, 0, "corrupt archive: " + e.getMessage());
    }
    if (!sawData) {
      throw new BadInputException(artifact, 0, "no data.tar.* member: not a Debian package");
    }
    for (String f : FILES) {
      if (!found.containsKey(f)) {
        throw new BadInputException(artifact, 0, "no " + DIR + f + ".gz in the package");
      }
    }
    for (String prefix : new String[] {"train", "t10k"}) {
      IdxArray images =
          Idx.read(
              new ByteArrayInputStream(found.get(prefix + "-images-idx3-ubyte")),
              Path.of(DIR + prefix + "-images-idx3-ubyte.gz"));
      IdxArray labels =
          Idx.read(
              new ByteArrayInputStream(found.get(prefix + "-labels-idx1-ubyte")),
              Path.of(DIR + prefix + "-labels-idx1-ubyte.gz"));
      check(artifact, images, labels, prefix);
    }
    for (String f : FILES) {
      byte[] bytes = found.get(f);
      AtomicFiles.write(outDir.resolve(f), out -> out.write(bytes));
    }
    for (String prefix : new String[] {"train", "t10k"}) {
      byte[][] images = Idx.readItems(outDir.resolve(prefix + "-images-idx3-ubyte"), SIDE, SIDE);
      byte[] ids = new byte[DIGEST * images.length];
      int[] shape = {SIDE, SIDE};
      for (int i = 0; i < images.length; i++) {
        String id = Example.deriveId(null, null, null, images[i], shape);
        System.arraycopy(
            HexFormat.of().parseHex(id, "sha256:".length(), id.length()),
            0,
            ids,
            i * DIGEST,
            DIGEST);
      }
      AtomicFiles.write(outDir.resolve(prefix + IDS_SUFFIX), out -> out.write(ids));
    }
  }

  private static void check(Path where, IdxArray images, IdxArray labels, String prefix) {
    int[] d = images.dims();
    if (d.length != 3 || d[1] != SIDE || d[2] != SIDE) {
      throw new BadInputException(
          where,
          0,
          prefix
              + " images have dimensions "
              + java.util.Arrays.toString(d)
              + ", expected [N, 28, 28]");
    }
    if (labels.dims().length != 1 || labels.count() != images.count()) {
      throw new BadInputException(
          where,
          0,
          prefix
              + " has "
              + images.count()
              + " images but labels of dimensions "
              + java.util.Arrays.toString(labels.dims()));
    }
    for (int i = 0; i < labels.count(); i++) {
      if (labels.value(i) > 9) {
        throw new BadInputException(
            where, 0, prefix + " label " + i + " is " + labels.value(i) + ", expected 0..9");
      }
    }
  }

  @Override
  public Dataset load(Path derivedDir, String split, String datasetName) throws IOException {
    String prefix = split.equals("train") ? "train" : "t10k";
    byte[][] images = Idx.readItems(derivedDir.resolve(prefix + "-images-idx3-ubyte"), SIDE, SIDE);
    IdxArray labels = Idx.read(derivedDir.resolve(prefix + "-labels-idx1-ubyte"));
    Path idsFile = derivedDir.resolve(prefix + IDS_SUFFIX);
    byte[] ids = Files.readAllBytes(idsFile);
    if (labels.count() != images.length || ids.length != DIGEST * images.length) {
      throw new BadInputException(
          derivedDir,
          0,
          "derived cache is inconsistent ("
              + images.length
              + " images, "
              + labels.count()
              + " labels, "
              + ids.length / DIGEST
              + " ids): delete the folder to rebuild it");
    }
    List<Example> examples = new ArrayList<>(images.length);
    for (int i = 0; i < images.length; i++) {
      examples.add(example(derivedDir, prefix, i, images[i], labels.value(i), ids, i * DIGEST));
    }
    return new Dataset(datasetName, examples);
  }

  /** Reads the split record by record; the same examples as {@link #load}. */
  @Override
  public ExampleSource source(Path derivedDir, String split, String datasetName)
      throws IOException {
    return new FashionMnistSource(
        derivedDir, split.equals("train") ? "train" : "t10k", datasetName);
  }

  /**
   * Item {@code i} of a split: its pixels (owned by the example from now on), its label number and
   * the digest at {@code ids[off..off+32)}.
   *
   * @throws BadInputException if the label is not 0..9
   */
  static Example example(
      Path derivedDir, String prefix, int i, byte[] pixels, int label, byte[] ids, int off) {
    if (label >= LABELS.length) {
      throw new BadInputException(
          derivedDir, 0, prefix + " label " + i + " is " + label + ", expected 0..9");
    }
    return Example.ofImageOwned(
        idOf(ids, off), pixels, SHAPE, LABELS[label], contributor(ids, off));
  }

  /**
   * {@code contributor-NNN} for an id {@code sha256:HEX}: the first 16 hex digits, unsigned, mod
   * 200.
   */
  static String contributor(String id) {
    byte[] digest = HexFormat.of().parseHex(id, "sha256:".length(), "sha256:".length() + 16);
    return contributor(digest, 0);
  }

  /**
   * {@code contributor-NNN} for the digest at {@code digests[off..off+8)}: big-endian u64 mod 200.
   */
  static String contributor(byte[] digests, int off) {
    long head = 0;
    for (int i = 0; i < 8; i++) {
      head = (head << 8) | (digests[off + i] & 0xFF);
    }
    return CONTRIBUTOR_NAMES[unsignedMod(head, CONTRIBUTORS)];
  }

  /**
   * {@code x} read as an unsigned 64-bit number, mod {@code d > 0}; the same as {@link
   * Long#remainderUnsigned} without its BigInteger path for negative inputs on JDK 17.
   */
  static int unsignedMod(long x, int d) {
    return (int) ((((x >>> 1) % d) * 2 + (x & 1)) % d);
  }

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * {@code "sha256:" + hex} of the 32-byte digest at {@code off}; a table loop, cheap even before
   * JIT.
   */
  private static String idOf(byte[] digests, int off) {
    byte[] s = new byte[7 + 2 * DIGEST];
    System.arraycopy(SHA256_PREFIX, 0, s, 0, 7);
    for (int i = 0; i < DIGEST; i++) {
      int b = digests[off + i] & 0xFF;
      s[7 + 2 * i] = HEX[b >>> 4];
      s[8 + 2 * i] = HEX[b & 0xF];
    }
    return new String(s, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static final byte[] SHA256_PREFIX =
      "sha256:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Keeps an inner decompressor from closing the archive stream it reads. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
