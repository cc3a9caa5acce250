package org.poisonlab.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PinnedDatasets#list} tells about one pinned dataset.
 *
 * @param name the name to fetch or load it by, e.g. {@code fashion-mnist}
 * @param summary what it is, in a sentence
 * @param size its size in words, e.g. {@code "60,000 train + 10,000 test images"}
 * @param artifactBytes the size of the pinned artifact in bytes
 * @param pin the pinned digest: {@code sha256:HEX} or {@code sha512-BASE64}
 * @param route how it is fetched when no {@code --from} is given
 * @param splits the split names
 * @param artifact where the artifact is (or would be) cached
 * @param cached true when the cached artifact is present with the pinned size (its digest is
 *     checked again before any use)
 */
public record DatasetDescription(
    String name,
    String summary,
    String size,
    long artifactBytes,
    String pin,
    String route,
    List<String> splits,
    Path artifact,
    boolean cached) {
  public DatasetDescription {
    splits = List.copyOf(splits);
  }
}
