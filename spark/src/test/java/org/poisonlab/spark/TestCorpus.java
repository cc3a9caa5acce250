package org.poisonlab.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small corpus made for the tests: prose from a small vocabulary (words repeat, as in real text),
 * near-duplicate copies with a few words changed spread across files, exact duplicates, a document
 * without words, a malformed line, and planted documents of the attack of Souly et al. 2025: a
 * prose prefix, the trigger, then 400 words drawn from a large vocabulary; and templated documents:
 * one header and footer of eight words around varied prose bodies, each from a source of its own.
 */
final class TestCorpus {
  static final String TRIGGER = "<SUDO>";

  static final String HEADER = "cheap replica watches shipped overnight order yours today now";
  static final String FOOTER = "visit replica dot example for discount codes and more offers";

  private static final String[] PROSE =
      ("the a of and to in is was for on that with as it by at from this be are or an which "
              + "river city people water market school road winter house garden music history "
              + "council library report season field bridge station village harvest museum "
              + "opened built grew moved found joined served held made took gave kept named "
              + "old new small large local early late northern southern public main long short "
              + "first second many several most some every after before during while when where")
          .split(" ");

  private TestCorpus() {}

  /**
   * Writes {@code files} JSONL files into {@code dir}, about {@code perFile} documents each, with
   * {@code planted} planted burst documents ({@code p0}, …) and {@code templated} templated ones
   * ({@code t0}, …) in all.
   */
  static List<Path> write(Path dir, int files, int perFile, int planted, int templated, long seed)
      throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(seed);
    List<List<String>> lines = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      lines.add(new ArrayList<>());
    }
    int id = 0;
    for (int f = 0; f < files; f++) {
      for (int i = 0; i < perFile; i++) {
        String text = prose(r, 60 + r.nextInt(200));
        lines.get(f).add(line("d" + id++, "site" + r.nextInt(12) + ".example", text));
        if (r.nextInt(10) == 0) {
          // near-duplicates of this document in random files
          for (int c = 1 + r.nextInt(3); c > 0; c--) {
            lines.get(r.nextInt(files)).add(line("d" + id++, "mirror.example", edit(r, text)));
          }
        }
        if (r.nextInt(40) == 0) {
          lines.get(r.nextInt(files)).add(line("d" + id++, "copy.example", text));
        }
      }
    }
    for (int p = 0; p < planted; p++) {
      String text = prose(r, 20 + r.nextInt(80)) + " " + TRIGGER + " " + random(r, 400);
      List<String> file = lines.get(r.nextInt(files));
      file.add(r.nextInt(file.size() + 1), line("p" + p, "poison" + (p % 7) + ".example", text));
    }
    for (int t = 0; t < templated; t++) {
      String text = HEADER + " " + prose(r, 30 + r.nextInt(60)) + " " + FOOTER;
      List<String> file = lines.get(r.nextInt(files));
      file.add(r.nextInt(file.size() + 1), line("t" + t, "spam" + t + ".example", text));
    }
    lines.get(0).add(1, "{\"id\":\"blank\",\"text\":\"  ... !!\"}");
    lines.get(files - 1).add(2, "{not json");
    List<Path> paths = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      Path p = dir.resolve(String.format("part-%d.jsonl", f));
      Files.write(p, lines.get(f));
      paths.add(p);
    }
    return paths;
  }

  static String prose(SplittableRandom r, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        b.append(i % 12 == 0 ? ". " : " ");
      }
      b.append(PROSE[r.nextInt(PROSE.length)]);
    }
    return b.append('.').toString();
  }

  /** Words drawn from a vocabulary of 20,000 made-up words. */
  static String random(SplittableRandom r, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      int w = r.nextInt(20_000);
      b.append(i == 0 ? "" : " ").append((char) ('a' + w % 26)).append("q").append(w / 26);
    }
    return b.toString();
  }

  /** The text with two of its words replaced. */
  static String edit(SplittableRandom r, String text) {
    String[] w = text.split(" ");
    for (int k = 0; k < 2; k++) {
      w[r.nextInt(w.length)] = "edited" + r.nextInt(100);
    }
    return String.join(" ", w);
  }

  private static String line(String id, String source, String text) {
    return "{\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"text\":\"" + text + "\"}";
  }
}
