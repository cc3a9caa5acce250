package org.poisonlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.poisonlab.io.BadInputException;

/**
 * A Maven {@code -sources.jar} as a code corpus: one text example per {@code .java} file, label
 * {@code java}, source = the file's package ({@code com.google.common.collect}), in archive path
 * order. Leading comments other than Javadoc (the licence header every file repeats) are dropped;
 * the rest of the file is kept as written. Files that are not valid UTF-8 are skipped and counted.
 * The split is fixed and seed-independent, as for SpamAssassin: a file is in {@code test} iff the
 * first 8 bytes of sha256 of its id's hex part, unsigned, mod 100 are below 10.
 */
final class JavaSourcesFormat implements ArtifactFormat {
  static final int TEST_PERCENT = 10;

  @Override
  public String id() {
    return "java-sources-jsonl/1";
  }

  @Override
  public List<String> splits() {
    return List.of("train", "test");
  }

  @Override
  public void derive(Path artifact, Path outDir, Consumer<String> progress) throws IOException {
    TreeMap<String, byte[]> files = new TreeMap<>();
    try (ZipInputStream zip =
        new ZipInputStream(new BufferedInputStream(Files.newInputStream(artifact), 1 << 16))) {
      ZipEntry z;
      while ((z = zip.getNextEntry()) != null) {
        if (!z.isDirectory() && z.getName().endsWith(".java")) {
          files.put(z.getName(), zip.readAllBytes());
        }
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new BadInputException(artifact, 0, "corrupt archive: " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new BadInputException(artifact, 0, "no .java files in the archive");
    }
    List<Example> train = new ArrayList<>();
    List<Example> test = new ArrayList<>();
    int skipped = 0;
    long chars = 0;
    for (var f : files.entrySet()) {
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(f.getValue()))
                .toString();
      } catch (CharacterCodingException e) {
        skipped++;
        continue;
      }
      String body = withoutHeader(text);
      if (body.isBlank()) {
        continue;
      }
      Example e = Example.ofText(body, "java", packageOf(f.getKey()));
      chars += body.length();
      (SpamAssassinFormat.isTest(e.id(), TEST_PERCENT) ? test : train).add(e);
    }
    ExampleJsonl.write(outDir.resolve("train.jsonl"), train);
    ExampleJsonl.write(outDir.resolve("test.jsonl"), test);
    progress.accept(
        String.format(
            "%d Java files (%,d characters): %d train, %d test; %d not UTF-8, skipped",
            train.size() + test.size(), chars, train.size(), test.size(), skipped));
  }

  /**
   * The text after its leading comments other than Javadoc: line comments and {@code /* … *}{@code
   * /} blocks (licence headers, "generated file" notes), with the blank lines around them.
   */
  static String withoutHeader(String text) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    int at = 0;
    while (true) {
      while (at < t.length() && Character.isWhitespace(t.charAt(at))) {
        at++;
      }
      if (t.startsWith("//", at)) {
        int end = t.indexOf('\n', at);
        at = end < 0 ? t.length() : end + 1;
      } else if (t.startsWith("/*", at) && !t.startsWith("/**", at)) {
        int end = t.indexOf("*/", at + 2);
        if (end < 0) {
          return t.substring(at);
        }
        at = end + 2;
      } else {
        return t.substring(at);
      }
    }
  }

  /** {@code com/google/common/base/Strings.java} → {@code com.google.common.base}. */
  static String packageOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "(default)" : path.substring(0, slash).replace('/', '.');
  }

  @Override
  public Dataset load(Path derivedDir, String split, String datasetName) {
    return ExampleJsonl.read(derivedDir.resolve(split + ".jsonl")).withName(datasetName);
  }
}
