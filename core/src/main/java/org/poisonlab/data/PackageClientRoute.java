package org.poisonlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.poisonlab.io.BadInputException;

/**
 * Fetches an artifact with one of the machine's own package clients ({@code npm pack}, {@code
 * apt-get download}), which already know their mirrors: the command runs in a fresh folder and
 * leaves exactly one file there. Output is captured and shown only when the command fails.
 *
 * <p>For apt, a package the client does not know yet (stale package lists) is retried once after
 * {@code apt-get update -qq}, when running as root.
 */
final class PackageClientRoute implements FetchRoute {
  private final List<String> command;
  private final String suffix;
  private final List<String> refresh;
  private final List<String> unknownMarkers;
  private final Duration timeout;

  /**
   * @param command the command that leaves the artifact in its working folder
   * @param suffix the artifact's file name ending, e.g. {@code .tgz}
   * @param refresh a command to run once (as root only) before retrying when the output shows an
   *     unknown package; null for none
   * @param unknownMarkers output fragments meaning "unknown package"
   */
  PackageClientRoute(
      List<String> command,
      String suffix,
      List<String> refresh,
      List<String> unknownMarkers,
      Duration timeout) {
    this.command = List.copyOf(command);
    this.suffix = suffix;
    this.refresh = refresh == null ? null : List.copyOf(refresh);
    this.unknownMarkers = List.copyOf(unknownMarkers);
    this.timeout = timeout;
  }

  static PackageClientRoute npmPack(String packageAtVersion) {
    return new PackageClientRoute(
        List.of("npm", "pack", packageAtVersion), ".tgz", null, List.of(), Duration.ofMinutes(20));
  }

  static PackageClientRoute aptDownload(String packageEqVersion) {
    return new PackageClientRoute(
        List.of("apt-get", "download", packageEqVersion),
        ".deb",
        List.of("apt-get", "update", "-qq"),
        List.of(
            "Unable to locate package",
            "was not found",
            "Can't select",
            "has no installation candidate"),
        Duration.ofMinutes(20));
  }

  @Override
  public String describe() {
    return String.join(" ", command);
  }

  @Override
  public Path fetchInto(Path workDir, Consumer<String> progress) throws IOException {
    progress.accept("running: " + describe());
    Result r = run(command, workDir);
    if (r.exit != 0
        && refresh != null
        && isRoot()
        && unknownMarkers.stream().anyMatch(r.output::contains)) {
      progress.accept("package unknown to the local lists; running: " + String.join(" ", refresh));
      Result u = run(refresh, workDir);
      if (u.exit != 0) {
        throw failure(refresh, u);
      }
      progress.accept("retrying: " + describe());
      r = run(command, workDir);
    }
    if (r.exit != 0) {
      throw failure(command, r);
    }
    List<Path> made;
    try (Stream<Path> s = Files.list(workDir)) {
      made =
          s.filter(p -> p.getFileName().toString().endsWith(suffix)).collect(Collectors.toList());
    }
    if (made.size() != 1) {
      throw new BadInputException(
          "'"
              + describe()
              + "' left "
              + made.size()
              + " files ending in "
              + suffix
              + ", expected 1");
    }
    return made.get(0);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static BadInputException failure(List<String> cmd, Result r) {
    String out = r.output.strip();
    String[] lines = out.split("\n");
    String tail = lines.length == 0 ? "" : lines[lines.length - 1].strip();
    return new BadInputException(
        "'"
            + String.join(" ", cmd)
            + "' failed (exit "
            + r.exit
            + ")"
            + (tail.isEmpty() ? "" : ": " + tail)
            + "; or fetch with --from PATH|URL");
  }

  /** A finished command: its exit code and its output (standard error included). */
  record Result(int exit, String output) {}

  private Result run(List<String> cmd, Path dir) throws IOException {
    return run(cmd, dir, timeout);
  }

  /**
   * Runs {@code cmd} in {@code dir} with no input, capturing its output, within {@code timeout}.
   */
  static Result run(List<String> cmd, Path dir, Duration timeout) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new BadInputException(
          "cannot run '"
              + cmd.get(0)
              + "' ("
              + e.getMessage()
              + "): install "
              + cmd.get(0)
              + ", or fetch with --from PATH|URL");
    }
    p.getOutputStream().close();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                in.transferTo(captured);
              } catch (IOException ignored) {
                // the process ended or was killed; what was captured is enough
              }
            },
            "drain-" + cmd.get(0));
    drain.setDaemon(true);
    drain.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new BadInputException(
            "'"
                + String.join(" ", cmd)
                + "' did not finish within "
                + timeout.toMinutes()
                + " min");
      }
      drain.join(10_000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + cmd.get(0), e);
    }
    String out;
    synchronized (captured) {
      out = captured.toString(StandardCharsets.UTF_8);
    }
    return new Result(p.exitValue(), out);
  }
}
