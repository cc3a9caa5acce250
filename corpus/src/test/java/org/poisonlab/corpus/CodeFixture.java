package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.poisonlab.data.DatasetDescription;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.testkit.RealData;

/** Real documents for corpus tests: the Java files of the pinned {@code java-code} sources jar. */
final class CodeFixture {
  private CodeFixture() {}

  /** Each Java file as a document whose source is its package's last folder. */
  static List<Document> documents() throws IOException {
    RealData.require("java-code");
    DatasetDescription d =
        PinnedDatasets.list(PinnedDatasets.home()).stream()
            .filter(x -> x.name().equals("java-code"))
            .findFirst()
            .orElseThrow();
    List<Document> out = new ArrayList<>();
    try (ZipInputStream z = new ZipInputStream(Files.newInputStream(d.artifact()))) {
      ZipEntry e;
      while ((e = z.getNextEntry()) != null) {
        String name = e.getName();
        if (!name.endsWith(".java")) {
          continue;
        }
        String text = new String(z.readAllBytes(), StandardCharsets.UTF_8);
        String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
        String source = dir.contains("/") ? dir.substring(dir.lastIndexOf('/') + 1) : dir;
        out.add(
            new Document(new Lineage("guava", out.size(), name, null, null, null), source, text));
      }
    }
    return out;
  }

  /** Writes {@code docs} round-robin into {@code shards} JSONL files, in order. */
  static List<Path> write(List<Document> docs, Path dir, int shards) throws IOException {
    List<Path> files = new ArrayList<>();
    List<DocumentWriter> writers = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      Path f = dir.resolve(String.format("part-%02d.jsonl", i));
      files.add(f);
      writers.add(CorpusWriters.create(f));
    }
    for (int i = 0; i < docs.size(); i++) {
      writers.get(i % shards).write(docs.get(i));
    }
    for (DocumentWriter w : writers) {
      w.close();
    }
    return files;
  }
}
