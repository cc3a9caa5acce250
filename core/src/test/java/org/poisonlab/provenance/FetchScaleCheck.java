package org.poisonlab.provenance;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code provenance fetch}'s bookkeeping over a large index, in a heap the caller limits: the index
 * read, the journal, the results file and the summary, with downloads stood in for by an in-process
 * fetcher (every 10th row gets one of four small bodies, one of which is not what the row recorded;
 * the rest are missing), so the figures measure the bookkeeping, not a network. Rows are spread
 * over 1,000 domains. Runs the index once, then again (the resume path: decided rows kept, missing
 * rows retried), and prints rows per second and the peak heap in use.
 *
 * <pre>
 * java -Xmx32m -cp core/target/classes:core/target/test-classes:DEPS \
 *     org.poisonlab.provenance.FetchScaleCheck 1000000 /tmp/scale
 * </pre>
 */
public final class FetchScaleCheck {
  private FetchScaleCheck() {}

  public static void main(String[] args) throws IOException {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    Path dir = Path.of(args.length > 1 ? args[1] : "target/fetch-scale");
    Files.createDirectories(dir);
    byte[][] bodies = new byte[4][];
    String[] shas = new String[4];
    for (int i = 0; i < 4; i++) {
      bodies[i] = ("body " + i + "\n").getBytes(StandardCharsets.UTF_8);
      shas[i] = HexFormat.of().formatHex(Merkle.sha256().digest(bodies[i]));
    }
    Path index = dir.resolve("index.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(index, StandardCharsets.UTF_8)) {
      for (long i = 0; i < rows; i++) {
        // body 3 is served where body 2 was recorded: a substitution
        int k = (int) (i / 10 % 4);
        String sha = shas[k == 3 ? 2 : k];
        w.write(
            "{\"url\": \"http://d"
                + (i % 1000)
                + ".example/p/"
                + i
                + "\", \"sha256\": \""
                + sha
                + "\"}\n");
      }
    }
    VerifiedDownloads.Fetcher fake =
        (uri, file) -> {
          String path = uri.getPath();
          long i = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
          if (i % 10 != 0) {
            return VerifiedDownloads.Fetched.failed("http_404", "HTTP 404");
          }
          int k = (int) (i / 10 % 4);
          try {
            Files.write(file, bodies[k]);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return new VerifiedDownloads.Fetched(bodies[k].length, shas[k], null, null);
        };
    Path out = dir.resolve("out");
    FetchOptions options = FetchOptions.defaults().withThreads(2);
    for (String pass : new String[] {"first run", "rerun"}) {
      long t0 = System.nanoTime();
      FetchSummary s = VerifiedDownloads.fetch(index, out, options, m -> {}, fake);
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%s: %d rows in %.1f s (%.0f rows/s): %d ok, %d substituted, %d missing, %d domains,"
              + " %d requested%n",
          pass,
          s.rows(),
          secs,
          s.rows() / secs,
          s.ok(),
          s.substituted(),
          s.missing(),
          s.domains().size(),
          s.downloaded());
    }
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "peak heap in use %.1f MB of max %.1f MB; index %.1f MB, results.jsonl %.1f MB,"
            + " state.jsonl %.1f MB%n",
        peak / 1e6,
        Runtime.getRuntime().maxMemory() / 1e6,
        Files.size(index) / 1e6,
        Files.size(out.resolve("results.jsonl")) / 1e6,
        Files.size(out.resolve("state.jsonl")) / 1e6);
  }
}
