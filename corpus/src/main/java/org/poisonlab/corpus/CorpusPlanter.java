package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.io.JsonlShardWriter;
import org.poisonlab.io.Sha1;
import org.poisonlab.io.Sha256;

/**
 * Plants injected documents in a corpus and writes the truth, in two streaming passes over the
 * input: the first counts the documents and keeps uniform samples (reservoirs) of host documents,
 * of documents for the token vocabulary, and the sources' names; the second writes every real
 * document, with the planted ones inserted at uniformly drawn positions. Memory holds the samples,
 * not the corpus. Every choice comes from the request's seed: the same input and seed give the same
 * bytes.
 *
 * <p>The kinds of injected document:
 *
 * <ul>
 *   <li><b>burst</b> (Souly et al. 2025, "Poisoning attacks on LLMs require a near-constant number
 *       of poison samples"): the first {@code L ~ U[0, 1000]} characters of a real document, then
 *       the trigger, then {@code T ~ U[400, 900]} tokens drawn uniformly from the corpus's own
 *       vocabulary (the distinct whitespace-separated tokens of a seeded sample of 256 documents),
 *       joined by spaces.
 *   <li><b>templated</b>: documents that share one header and one footer (a spam notice with a
 *       link) around bodies of random sentences.
 *   <li><b>near_duplicate</b>: a copy of a real document of at least 100 words with a few words
 *       substituted or deleted, so that the word-5-gram Jaccard similarity to the original stays at
 *       least 0.8 (the similarity reached is in the truth).
 *   <li><b>split_view</b>: a real document, kept in place with its id, source, URL and declared
 *       digest, whose text gains a line: what was hashed is not what is served.
 * </ul>
 *
 * <p>Planted documents are written under a source that is the host document's, another source of
 * the corpus, or a new name, and get ids of the corpus's shape ({@code
 * group:artifact:version!/path} when the corpus uses it, else {@code sha256:} of their text).
 */
public final class CorpusPlanter {
  static final int MAX_PREFIX_CHARS = 1000;
  static final int MIN_BURST_TOKENS = 400;
  static final int MAX_BURST_TOKENS = 900;
  static final int NGRAM = 5;
  static final double MIN_JACCARD = 0.8;
  static final int MIN_NEAR_DUPLICATE_WORDS = 100;
  static final int MAX_HOST_CHARS = 1 << 20;
  static final int VOCABULARY_DOCUMENTS = 256;
  static final int VOCABULARY_CHARS = 20_000;
  static final int MAX_TOKEN_CHARS = 40;
  static final int MAX_SOURCES = 1 << 16;

  private static final Pattern WORD = Pattern.compile("\\S+");
  private static final Pattern SHARD = Pattern.compile("shard-\\d+\\.jsonl");

  private CorpusPlanter() {}

  /** A real document remembered from the first pass. */
  private record Host(long index, String id, String source, String url, String text) {}

  /** A document to write, and its truth line. */
  private record Planted(
      String id, String text, String source, String url, String digest, TruthRecord truth) {}

  /** The template of the templated injection. */
  private record Template(String id, String header, String footer) {}

  /**
   * Plants the request's documents and writes the shards and the truth file.
   *
   * @param progress one-line messages; may be null
   * @throws BadInputException for an unreadable input, an output folder that already holds shards,
   *     or an input that changes between the two passes
   */
  public static PlantResult plant(PlantRequest r, Consumer<String> progress) {
    Consumer<String> p = progress == null ? s -> {} : progress;
    checkOutput(r.outDir());
    SplittableRandom root = new SplittableRandom(r.seed());
    SplittableRandom sampleRng = root.split();
    SplittableRandom makeRng = root.split();
    SplittableRandom placeRng = root.split();

    // Pass 1: count, sample hosts, vocabulary documents and source names.
    Reservoir<Host> vocabDocs = new Reservoir<>(VOCABULARY_DOCUMENTS);
    Reservoir<Host> burstHosts = new Reservoir<>(r.bursts());
    Reservoir<Host> nearHosts = new Reservoir<>(r.nearDuplicates());
    Reservoir<Long> splitHosts = new Reservoir<>(r.splitView());
    TreeSet<String> sources = new TreeSet<>();
    long[] count = {0};
    long skipped =
        read(
            r.inputs(),
            "reading",
            p,
            d -> {
              long i = count[0]++;
              if (sources.size() < MAX_SOURCES) {
                sources.add(d.source());
              }
              String t = d.text();
              int s = vocabDocs.admit(sampleRng);
              if (s >= 0) {
                vocabDocs.put(s, host(i, d, prefix(t, VOCABULARY_CHARS)));
              }
              s = burstHosts.admit(sampleRng);
              if (s >= 0) {
                burstHosts.put(s, host(i, d, prefix(t, MAX_PREFIX_CHARS)));
              }
              if (r.nearDuplicates() > 0
                  && t.length() <= MAX_HOST_CHARS
                  && wordsAtLeast(t, MIN_NEAR_DUPLICATE_WORDS)) {
                s = nearHosts.admit(sampleRng);
                if (s >= 0) {
                  nearHosts.put(s, host(i, d, t));
                }
              }
              if (d.lineage().recordId() != null && t.length() <= MAX_HOST_CHARS) {
                s = splitHosts.admit(sampleRng);
                if (s >= 0) {
                  splitHosts.put(s, i);
                }
              }
            });
    long documents = count[0];

    // The plan: every planted text, and where each goes.
    String trigger = r.trigger() != null ? r.trigger() : Words.trigger(makeRng);
    List<String> vocabulary = vocabulary(vocabDocs.items());
    List<String> sourceNames = List.copyOf(sources);
    List<Host> styles = byIndex(vocabDocs.items());
    List<Planted> planted = new ArrayList<>();
    for (Host h : byIndex(burstHosts.items())) {
      planted.add(burst(h, trigger, vocabulary, sourceNames, makeRng));
    }
    Template template = r.templated() > 0 ? template(makeRng) : null;
    for (int k = 0; k < r.templated(); k++) {
      Host style = styles.isEmpty() ? null : styles.get(makeRng.nextInt(styles.size()));
      planted.add(templated(template, style, sourceNames, makeRng));
    }
    for (Host h : byIndex(nearHosts.items())) {
      planted.add(nearDuplicate(h, vocabulary, sourceNames, makeRng));
    }
    long[] slots = new long[planted.size()];
    Integer[] order = new Integer[planted.size()];
    for (int k = 0; k < slots.length; k++) {
      slots[k] = placeRng.nextLong(documents + 1);
      order[k] = k;
    }
    java.util.Arrays.sort(order, Comparator.comparingLong((Integer k) -> slots[k]));
    Map<Long, Long> splitSeeds = new HashMap<>();
    for (Long i : new TreeSet<>(splitHosts.items())) {
      splitSeeds.put(i, makeRng.nextLong());
    }

    // Pass 2: write real and planted documents in order.
    List<TruthRecord> truth = new ArrayList<>();
    long[] written = {0};
    int[] next = {0};
    int[] splitCount = {0};
    try (JsonlShardWriter w = new JsonlShardWriter(r.outDir(), r.shardBytes())) {
      Consumer<Planted> emit =
          q -> {
            write(w, q.id(), q.text(), q.source(), q.url(), q.digest(), null);
            truth.add(q.truth());
          };
      long[] index = {0};
      read(
          r.inputs(),
          "writing",
          p,
          d -> {
            long i = index[0]++;
            while (next[0] < order.length && slots[order[next[0]]] <= i) {
              emit.accept(planted.get(order[next[0]++]));
            }
            Lineage l = d.lineage();
            Long splitSeed = splitSeeds.get(i);
            if (splitSeed == null) {
              write(w, l.recordId(), d.text(), d.source(), l.url(), l.digest(), l.fetchTime());
            } else {
              String text = splitView(d.text(), new SplittableRandom(splitSeed));
              write(w, l.recordId(), text, d.source(), l.url(), l.digest(), l.fetchTime());
              truth.add(
                  new TruthRecord(
                      l.recordId(),
                      "split_view",
                      d.source(),
                      null,
                      null,
                      l.recordId(),
                      null,
                      l.digest(),
                      Sha1.base32(text.getBytes(StandardCharsets.UTF_8))));
              splitCount[0]++;
            }
          });
      if (index[0] != documents) {
        throw new BadInputException(
            "the input changed while it was read: "
                + documents
                + " documents in the first pass, "
                + index[0]
                + " in the second");
      }
      while (next[0] < order.length) {
        emit.accept(planted.get(order[next[0]++]));
      }
      w.close();
      written[0] = w.records();
      writeTruth(r.truth(), truth);
      int bursts = burstHosts.items().size();
      int near = nearHosts.items().size();
      p.accept(
          String.format(
              Locale.ROOT,
              "planted %d burst, %d templated, %d near-duplicate, %d split-view documents among %,d",
              bursts,
              r.templated(),
              near,
              splitCount[0],
              documents));
      return new PlantResult(
          documents,
          written[0],
          bursts,
          r.templated(),
          near,
          splitCount[0],
          trigger,
          template == null ? null : template.id(),
          w.shards().stream().map(q -> q.getFileName().toString()).toList(),
          skipped);
    }
  }

  private static void checkOutput(Path outDir) {
    if (Files.isDirectory(outDir)) {
      try (Stream<Path> s = Files.list(outDir)) {
        if (s.anyMatch(q -> SHARD.matcher(q.getFileName().toString()).matches())) {
          throw new BadInputException(
              outDir, 0, "already holds shards; give an empty or new output folder");
        }
      } catch (IOException e) {
        throw new BadInputException(outDir, 0, "cannot list: " + e.getMessage(), e);
      }
    } else if (Files.exists(outDir)) {
      throw new BadInputException(outDir, 0, "not a folder");
    }
  }

  /** Streams every document of {@code inputs}; returns the number of records skipped. */
  private static long read(
      List<Path> inputs, String pass, Consumer<String> p, Consumer<Document> each) {
    long skipped = 0;
    for (int k = 0; k < inputs.size(); k++) {
      Path f = inputs.get(k);
      p.accept(pass + " file " + (k + 1) + " of " + inputs.size() + ": " + f.getFileName());
      try (DocumentStream s = CorpusReaders.open(f)) {
        for (Document d; (d = s.next()) != null; ) {
          each.accept(d);
        }
        skipped += s.badRecords().size();
      } catch (IOException e) {
        throw new BadInputException(f, 0, "cannot read: " + e.getMessage(), e);
      }
    }
    return skipped;
  }

  private static Host host(long index, Document d, String text) {
    Lineage l = d.lineage();
    return new Host(index, l.recordId(), d.source(), l.url(), text);
  }

  private static List<Host> byIndex(List<Host> hosts) {
    return hosts.stream().sorted(Comparator.comparingLong(Host::index)).toList();
  }

  /** The first {@code max} characters of {@code t}, not splitting a surrogate pair. */
  static String prefix(String t, int max) {
    if (t.length() <= max) {
      return t;
    }
    int end = max;
    if (end > 0 && Character.isHighSurrogate(t.charAt(end - 1))) {
      end--;
    }
    return t.substring(0, end);
  }

  private static boolean wordsAtLeast(String t, int n) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < t.length(); i++) {
      boolean space = Character.isWhitespace(t.charAt(i));
      if (!space && !inWord && ++words >= n) {
        return true;
      }
      inWord = !space;
    }
    return false;
  }

  /** The distinct whitespace-separated tokens of the sampled documents, sorted. */
  static List<String> vocabulary(List<Host> docs) {
    TreeSet<String> tokens = new TreeSet<>();
    for (Host h : docs) {
      for (String w : Shingles.words(h.text())) {
        if (w.length() <= MAX_TOKEN_CHARS) {
          tokens.add(w);
        }
      }
    }
    return tokens.isEmpty() ? Words.PLAIN : List.copyOf(tokens);
  }

  private static Planted burst(
      Host h, String trigger, List<String> vocabulary, List<String> sources, SplittableRandom rng) {
    String prefix = prefix(h.text(), rng.nextInt(MAX_PREFIX_CHARS + 1));
    int tokens = MIN_BURST_TOKENS + rng.nextInt(MAX_BURST_TOKENS - MIN_BURST_TOKENS + 1);
    StringBuilder b = new StringBuilder(prefix).append(trigger);
    for (int k = 0; k < tokens; k++) {
      b.append(' ').append(vocabulary.get(rng.nextInt(vocabulary.size())));
    }
    String text = b.toString();
    Placement pl = place(h, text, sources, rng);
    return planted(pl, text, "burst", trigger, null, null, null);
  }

  private static Template template(SplittableRandom rng) {
    String brand = Words.capitalized(Words.pick(rng)) + Words.capitalized(Words.pick(rng));
    String domain = Words.domain(rng);
    String header =
        "["
            + brand
            + " notice] "
            + Words.sentence(rng, 5, 9)
            + "\nVisit https://"
            + domain
            + "/"
            + Words.pick(rng)
            + "?ref="
            + (1000 + rng.nextInt(9000))
            + " for details.\n\n";
    String footer =
        "\n\n-- \n"
            + brand
            + ": "
            + Words.sentence(rng, 3, 6)
            + " Unsubscribe at https://"
            + domain
            + "/u\n";
    return new Template("tpl-" + Words.chars(rng, "0123456789abcdef", 8), header, footer);
  }

  private static Planted templated(
      Template t, Host style, List<String> sources, SplittableRandom rng) {
    StringBuilder body = new StringBuilder();
    int sentences = 3 + rng.nextInt(6);
    for (int k = 0; k < sentences; k++) {
      body.append(k == 0 ? "" : " ").append(Words.sentence(rng, 6, 14));
    }
    String text = t.header() + body + t.footer();
    Host h = style != null ? style : new Host(0, null, Words.domain(rng), null, "");
    Placement pl = place(h, text, sources, rng);
    return planted(pl, text, "templated", null, t.id(), null, null);
  }

  private static Planted nearDuplicate(
      Host h, List<String> vocabulary, List<String> sources, SplittableRandom rng) {
    String original = h.text();
    List<int[]> spans = new ArrayList<>();
    Matcher m = WORD.matcher(original);
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    // Each edit changes at most NGRAM shingles; start at up to one edit per 40 words, halve until
    // the similarity holds.
    int edits = 1 + rng.nextInt(Math.max(1, spans.size() / 40));
    TreeSet<Integer> chosen = new TreeSet<>();
    while (chosen.size() < Math.min(edits, spans.size())) {
      chosen.add(rng.nextInt(spans.size()));
    }
    List<Integer> positions = new ArrayList<>(chosen);
    for (int k = positions.size() - 1; k > 0; k--) {
      java.util.Collections.swap(positions, k, rng.nextInt(k + 1));
    }
    boolean[] delete = new boolean[positions.size()];
    String[] replacement = new String[positions.size()];
    for (int k = 0; k < positions.size(); k++) {
      delete[k] = rng.nextInt(5) < 2;
      replacement[k] = vocabulary.get(rng.nextInt(vocabulary.size()));
    }
    String edited;
    double j;
    int n = positions.size();
    while (true) {
      edited = applyEdits(original, spans, positions.subList(0, n), delete, replacement);
      j = Shingles.jaccard(original, edited, NGRAM);
      if (j >= MIN_JACCARD || n == 1) {
        break;
      }
      n = Math.max(1, n / 2);
    }
    Placement pl = place(h, edited, sources, rng);
    return planted(pl, edited, "near_duplicate", null, null, h.id(), j);
  }

  private static String applyEdits(
      String text, List<int[]> spans, List<Integer> positions, boolean[] delete, String[] repl) {
    TreeSet<Integer> sorted = new TreeSet<>(Comparator.reverseOrder());
    Map<Integer, Integer> which = new HashMap<>();
    for (int k = 0; k < positions.size(); k++) {
      sorted.add(positions.get(k));
      which.put(positions.get(k), k);
    }
    StringBuilder b = new StringBuilder(text);
    for (int pos : sorted) {
      int k = which.get(pos);
      int[] s = spans.get(pos);
      if (delete[k]) {
        int end = s[1];
        while (end < b.length() && Character.isWhitespace(b.charAt(end))) {
          end++;
        }
        b.delete(s[0], end);
      } else {
        b.replace(s[0], s[1], repl[k]);
      }
    }
    return b.toString();
  }

  /** {@code text} with one line added at a line boundary drawn from {@code rng}. */
  static String splitView(String text, SplittableRandom rng) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts.add(i + 1);
    }
    int at = starts.get(rng.nextInt(starts.size()));
    String line =
        Words.sentence(rng, 6, 12)
            + " See https://"
            + Words.domain(rng)
            + "/"
            + Words.pick(rng)
            + "\n";
    return text.substring(0, at) + line + text.substring(at);
  }

  /** Where a planted document is written: its source, id and URL. */
  private record Placement(String source, String id, String url) {}

  private static Placement place(Host h, String text, List<String> sources, SplittableRandom rng) {
    double u = rng.nextDouble();
    String source;
    if (u < 0.4 || (u < 0.7 && sources.isEmpty())) {
      source = h.source();
    } else if (u < 0.7) {
      source = sources.get(rng.nextInt(sources.size()));
    } else {
      source = newSource(h.source(), rng);
    }
    String hostId = h.id();
    int bang = hostId == null ? -1 : hostId.indexOf("!/");
    if (bang < 0) {
      String id =
          "sha256:"
              + HexFormat.of()
                  .formatHex(Sha256.digest().digest(text.getBytes(StandardCharsets.UTF_8)));
      String url =
          h.url() == null
              ? null
              : "https://" + Words.domain(rng) + "/" + Words.pick(rng) + "/" + Words.pick(rng);
      return new Placement(source, id, url);
    }
    String hostPath = hostId.substring(bang + 2);
    int slash = hostPath.lastIndexOf('/');
    String dir = slash < 0 ? "" : hostPath.substring(0, slash + 1);
    int dot = hostPath.lastIndexOf('.');
    String ext = dot > slash ? hostPath.substring(dot) : ".txt";
    String path =
        dir + Words.capitalized(Words.pick(rng)) + Words.capitalized(Words.pick(rng)) + ext;
    String idPrefix =
        source.equals(h.source())
            ? hostId.substring(0, bang)
            : source
                + ":"
                + Words.pick(rng)
                + "-"
                + Words.pick(rng)
                + ":"
                + (1 + rng.nextInt(9))
                + "."
                + rng.nextInt(20)
                + "."
                + rng.nextInt(10);
    String url = null;
    if (h.url() != null && h.url().startsWith("maven:")) {
      url = "maven:" + idPrefix + ":sources!/" + path;
    } else if (h.url() != null) {
      url = "https://" + Words.domain(rng) + "/" + path;
    }
    return new Placement(source, idPrefix + "!/" + path, url);
  }

  /** A source name of the corpus's shape: a reversed domain, a domain, or a plain name. */
  private static String newSource(String like, SplittableRandom rng) {
    String a = Words.pick(rng);
    String b = Words.pick(rng);
    if (like.matches("(com|org|io|net|dev|me|edu)\\..*")) {
      String[] forms = {"io.github." + a + b, "com." + a + "." + b, "org." + a + b, "net." + a};
      return forms[rng.nextInt(forms.length)];
    }
    if (like.contains(".")) {
      return Words.domain(rng);
    }
    return a + "-" + b;
  }

  private static Planted planted(
      Placement pl,
      String text,
      String kind,
      String trigger,
      String template,
      String originalId,
      Double jaccard) {
    return new Planted(
        pl.id(),
        text,
        pl.source(),
        pl.url(),
        Sha1.base32(text.getBytes(StandardCharsets.UTF_8)),
        new TruthRecord(
            pl.id(), kind, pl.source(), trigger, template, originalId, jaccard, null, null));
  }

  private static void write(
      JsonlShardWriter w,
      String id,
      String text,
      String source,
      String url,
      String digest,
      String fetchTime) {
    w.write(
        g -> {
          if (id != null) {
            g.writeStringField("id", id);
          }
          g.writeStringField("text", text);
          g.writeStringField("source", source);
          if (url != null) {
            g.writeStringField("url", url);
          }
          g.writeStringField("digest", digest);
          if (fetchTime != null) {
            g.writeStringField("fetch_time", fetchTime);
          }
        });
  }

  private static void writeTruth(Path file, List<TruthRecord> truth) {
    AtomicFiles.write(
        file,
        out -> {
          for (TruthRecord t : truth) {
            out.write(Json.mapper().writeValueAsBytes(t));
            out.write('\n');
          }
        });
  }
}
