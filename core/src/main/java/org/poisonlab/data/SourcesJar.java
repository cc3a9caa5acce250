package org.poisonlab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Maven {@code -sources.jar} of a code corpus, pinned by its size and sha256.
 *
 * @param bytes the jar's size
 * @param sha256 the jar's sha256 in hex
 */
record SourcesJar(String groupId, String artifactId, String version, long bytes, String sha256) {
  /** {@code groupId:artifactId:version}. */
  String coordinates() {
    return groupId + ":" + artifactId + ":" + version;
  }

  /**
   * Its path in a Maven repository: {@code
   * com/google/guava/guava/33.3.1-jre/guava-33.3.1-jre-sources.jar}.
   */
  String repositoryPath() {
    return groupId.replace('.', '/')
        + "/"
        + artifactId
        + "/"
        + version
        + "/"
        + artifactId
        + "-"
        + version
        + "-sources.jar";
  }

  /** As a pinned artifact fetched with Maven's own resolution. */
  PinnedArtifact pinned() {
    return new PinnedArtifact(
        repositoryPath(),
        bytes,
        Pin.sha256Hex(sha256),
        new MavenRoute(groupId, artifactId, version, "sources"));
  }

  /**
   * Reads a list resource beside this class: one jar a line, {@code groupId:artifactId:version TAB
   * bytes TAB sha256}; blank lines and lines starting with {@code #} are skipped.
   *
   * @throws IllegalStateException if the resource is missing or a line is malformed (a build
   *     defect, not user input)
   */
  static List<SourcesJar> list(String resource) {
    List<SourcesJar> out = new ArrayList<>();
    try (InputStream in = SourcesJar.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int lineNo = 0;
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        String[] gav = f[0].split(":");
        if (f.length != 3 || gav.length != 3) {
          throw new IllegalStateException(resource + ":" + lineNo + ": malformed line: " + line);
        }
        out.add(new SourcesJar(gav[0], gav[1], gav[2], Long.parseLong(f[1]), f[2]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return List.copyOf(out);
  }
}
