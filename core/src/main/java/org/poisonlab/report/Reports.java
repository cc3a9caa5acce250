package org.poisonlab.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;

/**
 * The HTML report of a run folder (docs/report.md): one self-contained {@code report.html}, its
 * charts inline SVG drawn by this package, image thumbnails as data-URI PNGs; no script and no
 * network when viewed. Each {@link Section} is drawn from the run-folder files present; a section
 * whose files are absent says "Not in this run". Every string from the inputs is HTML-escaped and
 * every number formatted with {@link java.util.Locale#ROOT}. The same folder gives the same bytes.
 *
 * <p>Files read, all optional: {@code table.json}, {@code run.json}, {@code detection.json}, {@code
 * scans/*.json} and {@code traces/*.json} (scan-file format, docs/reference.md), their truths
 * ({@code scans/NAME.truth.json} or {@code truth/NAME.json}, truth-file format), {@code
 * examples/*.jsonl} (Example JSONL: the content of the examples shown), {@code verify*.json} (the
 * output of {@code poisonlab provenance verify --json}).
 */
public final class Reports {
  /** The report's file name in a run folder. */
  public static final String FILE_NAME = "report.html";

  private Reports() {}

  /**
   * What {@link #write} wrote.
   *
   * @param file the report
   * @param bytes its size
   * @param rendered the sections drawn from files present (unmodifiable)
   * @param absent the sections that say "Not in this run" (unmodifiable)
   */
  public record Result(Path file, long bytes, Set<Section> rendered, Set<Section> absent) {
    public Result {
      rendered = Collections.unmodifiableSet(copy(rendered));
      absent = Collections.unmodifiableSet(copy(absent));
    }

    private static Set<Section> copy(Set<Section> s) {
      EnumSet<Section> e = EnumSet.noneOf(Section.class);
      e.addAll(s);
      return e;
    }
  }

  /**
   * Writes {@code runDir/examples/NAME.jsonl} (Example JSONL, atomically): the examples of {@code
   * data} whose ids are in {@code ids}, in data order, once each. These are what the report shows
   * as text or thumbnails for the scan or trace file {@code NAME.json}; pass at least the top
   * {@value ReportRenderer#TOP_EXAMPLES} ids of that file. Modifies only that file; {@code data}
   * and {@code ids} are not modified.
   *
   * @return the file written
   * @throws IllegalArgumentException if {@code name} is not a plain file name
   * @throws java.io.UncheckedIOException if it cannot be written; it is then untouched
   */
  public static Path writeExamples(Path runDir, String name, Dataset data, Collection<String> ids) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("not a plain file name: " + name);
    }
    Set<String> wanted = new HashSet<>(ids);
    Set<String> seen = new HashSet<>();
    List<Example> shown = new ArrayList<>();
    for (Example e : data) {
      if (wanted.contains(e.id()) && seen.add(e.id())) {
        shown.add(e);
      }
    }
    Path file = runDir.resolve("examples").resolve(name + ".jsonl");
    ExampleJsonl.write(file, shown);
    return file;
  }

  /**
   * The report of {@code runDir} as HTML text. Reads the run folder; modifies nothing.
   *
   * @throws BadInputException naming the file (and line) if the folder does not exist, holds none
   *     of the files a report is drawn from, or a file is malformed
   */
  public static String render(Path runDir) {
    return page(runDir).html();
  }

  /**
   * Writes the report of {@code runDir} to {@code out} (default {@code runDir/report.html}),
   * atomically (temporary file, then rename). Modifies only {@code out}.
   *
   * @param out the file to write, or null for the default
   * @throws BadInputException as {@link #render}
   * @throws java.io.UncheckedIOException if {@code out} cannot be written; it is then untouched
   */
  public static Result write(Path runDir, Path out) {
    ReportRenderer.Page page = page(runDir);
    Path file = out == null ? runDir.resolve(FILE_NAME) : out;
    byte[] bytes = page.html().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, o -> o.write(bytes));
    EnumSet<Section> absent = EnumSet.allOf(Section.class);
    absent.removeAll(page.rendered());
    return new Result(file, bytes.length, page.rendered(), absent);
  }

  private static ReportRenderer.Page page(Path runDir) {
    RunFolder folder = RunFolder.read(runDir);
    if (folder.isEmpty()) {
      throw new BadInputException(
          runDir,
          0,
          "not a run folder: none of table.json, run.json, detection.json, verify*.json, scans/,"
              + " traces/");
    }
    return ReportRenderer.render(folder);
  }
}
