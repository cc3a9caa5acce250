package org.poisonlab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;

/**
 * Fetches Maven artifacts with Maven's own dependency resolution ({@code mvn dependency:copy}),
 * which knows the machine's mirrors and local repository and, with {@code --strict-checksums},
 * refuses a download that does not match the repository's published checksum. Several artifacts are
 * copied in one run of Maven (one JVM start instead of one per artifact). The plugin version is the
 * one the project's build pins. The caller verifies every file against its pin.
 */
final class MavenRoute implements FetchRoute {
  static final String PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private final String groupId;
  private final String artifactId;
  private final String version;
  private final String classifier;

  /** The {@code -sources.jar} of {@code groupId:artifactId:version}. */
  MavenRoute(String groupId, String artifactId, String version, String classifier) {
    this.groupId = groupId;
    this.artifactId = artifactId;
    this.version = version;
    this.classifier = classifier;
  }

  /** The equivalent command for one artifact. */
  @Override
  public String describe() {
    return "mvn -B -q --strict-checksums "
        + PLUGIN
        + ":copy -Dartifact="
        + groupId
        + ":"
        + artifactId
        + ":"
        + version
        + ":jar:"
        + classifier
        + " -DoutputDirectory=.";
  }

  @Override
  public String batchKey() {
    return "maven";
  }

  @Override
  public Path fetchInto(Path workDir, Consumer<String> progress) throws IOException {
    return fetchAllInto(List.of(this), workDir, progress).get(0);
  }

  @Override
  public List<Path> fetchAllInto(
      List<? extends FetchRoute> routes, Path workDir, Consumer<String> progress)
      throws IOException {
    StringBuilder items = new StringBuilder();
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      MavenRoute m = (MavenRoute) routes.get(i);
      Path dir = Files.createDirectory(workDir.resolve(Integer.toString(i)));
      items
          .append("<artifactItem><groupId>")
          .append(m.groupId)
          .append("</groupId><artifactId>")
          .append(m.artifactId)
          .append("</artifactId><version>")
          .append(m.version)
          .append("</version><type>jar</type><classifier>")
          .append(m.classifier)
          .append("</classifier><outputDirectory>")
          .append(dir.toAbsolutePath())
          .append("</outputDirectory></artifactItem>\n");
      out.add(dir.resolve(m.artifactId + "-" + m.version + "-" + m.classifier + ".jar"));
    }
    String[] plugin = PLUGIN.split(":");
    String pom =
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>\n"
            + "<groupId>org.poisonlab.fetch</groupId><artifactId>fetch</artifactId>"
            + "<version>1</version><packaging>pom</packaging>\n"
            + "<build><plugins><plugin><groupId>"
            + plugin[0]
            + "</groupId><artifactId>"
            + plugin[1]
            + "</artifactId><version>"
            + plugin[2]
            + "</version>\n<configuration><artifactItems>\n"
            + items
            + "</artifactItems></configuration></plugin></plugins></build></project>\n";
    Files.writeString(workDir.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
    List<String> cmd =
        List.of("mvn", "-B", "-q", "--strict-checksums", "-f", "pom.xml", PLUGIN + ":copy");
    progress.accept(
        routes.size() == 1
            ? "running: " + describe()
            : "running: mvn " + PLUGIN + ":copy for " + routes.size() + " artifacts");
    PackageClientRoute.Result r = PackageClientRoute.run(cmd, workDir, TIMEOUT);
    if (r.exit() != 0) {
      throw PackageClientRoute.failure(cmd, r);
    }
    for (Path p : out) {
      if (!Files.isRegularFile(p)) {
        throw new BadInputException(
            "'" + String.join(" ", cmd) + "' did not leave " + p.getFileName());
      }
    }
    return out;
  }
}
