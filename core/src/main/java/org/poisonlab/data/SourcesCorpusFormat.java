package org.poisonlab.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.io.JsonlShardWriter;
import org.poisonlab.io.Sha1;

/**
 * A list of Maven {@code -sources.jar}s as a document corpus: one document per text file in each
 * jar, written as JSONL shards of about 64 MiB ({@code shard-00000.jsonl}, …) in list order and,
 * within a jar, in archive order, so the same pinned jars always give the same bytes. Each line
 * holds {@code id} ({@code groupId:artifactId:version!/path}), {@code text} (the file as written),
 * {@code source} (the groupId: the unit a user trusts or removes), {@code url} ({@code
 * maven:groupId:artifactId:version:sources!/path}, naming the artifact, not a host) and {@code
 * digest} ({@code sha1:} + base32 of the text's UTF-8 bytes). Files of other kinds (class files,
 * images), files over 1 MiB, empty files and files that are not valid UTF-8 are skipped and counted
 * in {@code stats.json}. Jar entries are streamed: memory holds one file.
 */
final class SourcesCorpusFormat implements ArtifactFormat {
  static final int MAX_FILE_BYTES = 1 << 20;
  static final String STATS = "stats.json";

  private static final Set<String> TEXT_ENDINGS =
      Set.of(
          "java",
          "kt",
          "kts",
          "scala",
          "groovy",
          "gradle",
          "clj",
          "js",
          "mjs",
          "ts",
          "py",
          "rb",
          "go",
          "rs",
          "c",
          "h",
          "cc",
          "cpp",
          "hpp",
          "cs",
          "swift",
          "sh",
          "bat",
          "sql",
          "proto",
          "thrift",
          "avsc",
          "avdl",
          "g4",
          "jj",
          "jjt",
          "md",
          "markdown",
          "txt",
          "adoc",
          "rst",
          "properties",
          "xml",
          "xsd",
          "xsl",
          "xslt",
          "wsdl",
          "dtd",
          "json",
          "yaml",
          "yml",
          "toml",
          "conf",
          "cfg",
          "ini",
          "html",
          "htm",
          "xhtml",
          "css",
          "jsp",
          "vm",
          "ftl",
          "mustache",
          "tex",
          "csv",
          "tsv",
          "mf",
          "policy",
          "jsonld",
          "graphql",
          "gql",
          "ddl",
          "stg",
          "st");
  private static final Set<String> TEXT_NAMES =
      Set.of("LICENSE", "NOTICE", "README", "COPYING", "AUTHORS", "CHANGES", "DEPENDENCIES");

  private final String listName;
  private final List<SourcesJar> jars;
  private final long shardBytes;

  SourcesCorpusFormat(String listName, List<SourcesJar> jars, long shardBytes) {
    this.listName = listName;
    this.jars = List.copyOf(jars);
    this.shardBytes = shardBytes;
  }

  @Override
  public String id() {
    return "sources-corpus-jsonl/1 " + listName;
  }

  /** None: a document corpus is exported as a whole, as shards. */
  @Override
  public List<String> splits() {
    return List.of();
  }

  /**
   * What a derived corpus holds, written to {@code stats.json}.
   *
   * @param textBytes the UTF-8 bytes of all documents' text
   * @param skippedOther files of other kinds (class files, images, archives)
   */
  @JsonPropertyOrder({
    "artifacts",
    "jar_bytes",
    "documents",
    "text_bytes",
    "sources",
    "shards",
    "skipped_other",
    "skipped_large",
    "skipped_empty",
    "skipped_not_utf8"
  })
  record Stats(
      int artifacts,
      @JsonProperty("jar_bytes") long jarBytes,
      long documents,
      @JsonProperty("text_bytes") long textBytes,
      int sources,
      int shards,
      @JsonProperty("skipped_other") long skippedOther,
      @JsonProperty("skipped_large") long skippedLarge,
      @JsonProperty("skipped_empty") long skippedEmpty,
      @JsonProperty("skipped_not_utf8") long skippedNotUtf8) {}

  static boolean isText(String entryName) {
    int slash = entryName.lastIndexOf('/');
    String file = entryName.substring(slash + 1);
    int dot = file.lastIndexOf('.');
    if (dot < 0) {
      return TEXT_NAMES.contains(file.toUpperCase(Locale.ROOT));
    }
    return TEXT_ENDINGS.contains(file.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  @Override
  public void derive(Path artifactDir, Path outDir, Consumer<String> progress) throws IOException {
    long jarBytes = 0;
    long textBytes = 0;
    long other = 0;
    long large = 0;
    long empty = 0;
    long notUtf8 = 0;
    Set<String> sources = new HashSet<>();
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
    try (JsonlShardWriter w = new JsonlShardWriter(outDir, shardBytes)) {
      for (int i = 0; i < jars.size(); i++) {
        SourcesJar jar = jars.get(i);
        Path file = artifactDir.resolve(jar.repositoryPath());
        progress.accept(
            String.format(
                Locale.ROOT,
                "building shards: artifact %d of %d: %s (%,d documents so far)",
                i + 1,
                jars.size(),
                jar.coordinates(),
                w.records()));
        jarBytes += Files.size(file);
        String coordinates = jar.coordinates();
        try (ZipInputStream zip =
            new ZipInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
          for (ZipEntry z; (z = zip.getNextEntry()) != null; ) {
            String name = z.getName();
            if (z.isDirectory()) {
              continue;
            }
            if (!isText(name)) {
              other++;
              continue;
            }
            if (!readAtMost(zip, buf, MAX_FILE_BYTES)) {
              large++;
              continue;
            }
            byte[] bytes = buf.toByteArray();
            String text;
            try {
              text = utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
              notUtf8++;
              continue;
            }
            if (text.isBlank()) {
              empty++;
              continue;
            }
            String id = coordinates + "!/" + name;
            String url = "maven:" + coordinates + ":sources!/" + name;
            String digest = Sha1.base32(bytes);
            String source = jar.groupId();
            w.write(
                g -> {
                  g.writeStringField("id", id);
                  g.writeStringField("text", text);
                  g.writeStringField("source", source);
                  g.writeStringField("url", url);
                  g.writeStringField("digest", digest);
                });
            textBytes += bytes.length;
            sources.add(source);
          }
        } catch (ZipException | java.io.EOFException e) {
          throw new BadInputException(file, 0, "corrupt archive: " + e.getMessage());
        }
      }
      w.close();
      Stats s =
          new Stats(
              jars.size(),
              jarBytes,
              w.records(),
              textBytes,
              sources.size(),
              w.shards().size(),
              other,
              large,
              empty,
              notUtf8);
      Json.write(outDir.resolve(STATS), s);
      progress.accept(
          String.format(
              Locale.ROOT,
              "%,d documents (%,d bytes of text) from %d artifacts of %d sources in %d shards;"
                  + " skipped %,d other files, %,d over 1 MiB, %,d empty, %,d not UTF-8",
              s.documents(),
              s.textBytes(),
              s.artifacts(),
              s.sources(),
              s.shards(),
              other,
              large,
              empty,
              notUtf8));
    }
  }

  /**
   * Reads the current entry into {@code buf} (reset first); false, with the rest of the entry
   * skipped, when it holds more than {@code max} bytes.
   */
  private static boolean readAtMost(InputStream in, ByteArrayOutputStream buf, int max)
      throws IOException {
    buf.reset();
    byte[] chunk = new byte[1 << 16];
    for (int n; (n = in.read(chunk)) > 0; ) {
      if (buf.size() + n > max) {
        while (in.read(chunk) > 0) {
          // skip the rest of a file too large to keep
        }
        return false;
      }
      buf.write(chunk, 0, n);
    }
    return true;
  }

  @Override
  public Dataset load(Path derivedDir, String split, String datasetName) {
    throw new BadInputException(
        datasetName
            + " is a document corpus without splits: export its shards with"
            + " 'poisonlab data export NAME --out DIR'");
  }
}
