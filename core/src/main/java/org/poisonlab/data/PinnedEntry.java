package org.poisonlab.data;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.poisonlab.io.Sha256;

/**
 * One pinned dataset: what it is, the artifacts kept in the cache (one file, or a list of files
 * such as a code corpus's {@code -sources.jar}s), each with the digest that decides whether a copy
 * is the right one and its default route, and how to parse them.
 *
 * @param size the dataset's size in words, e.g. {@code "6,046 emails"}
 * @param artifacts at least one
 */
record PinnedEntry(
    String name,
    String summary,
    String size,
    List<PinnedArtifact> artifacts,
    ArtifactFormat format) {
  PinnedEntry {
    artifacts = List.copyOf(artifacts);
    if (artifacts.isEmpty()) {
      throw new IllegalArgumentException(name + ": a pinned dataset needs at least one artifact");
    }
  }

  /** A dataset of one artifact, cached under its file name. */
  PinnedEntry(
      String name,
      String summary,
      String size,
      String artifactFile,
      long artifactBytes,
      Pin pin,
      FetchRoute route,
      ArtifactFormat format) {
    this(
        name,
        summary,
        size,
        List.of(new PinnedArtifact(artifactFile, artifactBytes, pin, route)),
        format);
  }

  /** True for a dataset of one artifact file. */
  boolean single() {
    return artifacts.size() == 1;
  }

  /** The artifacts' total size in bytes. */
  long artifactBytes() {
    return artifacts.stream().mapToLong(PinnedArtifact::bytes).sum();
  }

  /**
   * What identifies the dataset's content: the artifact's own pin, or for several artifacts the
   * sha256 of their list ({@code path TAB bytes TAB pin} a line, in order), which changes when any
   * pin does.
   */
  Pin pin() {
    if (single()) {
      return artifacts.get(0).pin();
    }
    StringBuilder list = new StringBuilder();
    for (PinnedArtifact a : artifacts) {
      list.append(a.path())
          .append('\t')
          .append(a.bytes())
          .append('\t')
          .append(a.pin().display())
          .append('\n');
    }
    return Pin.sha256Hex(
        HexFormat.of()
            .formatHex(Sha256.digest().digest(list.toString().getBytes(StandardCharsets.UTF_8))));
  }

  /** The default route in words; for several artifacts, the first one's and their count. */
  String routeDescription() {
    String first = artifacts.get(0).route().describe();
    return single() ? first : first + ", and so on for each of " + artifacts.size() + " artifacts";
  }
}
