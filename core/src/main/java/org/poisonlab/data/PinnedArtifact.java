package org.poisonlab.data;

/**
 * One pinned file of a dataset: where it lives, its size, the digest that decides whether a copy is
 * the right one, and the default route to obtain it.
 *
 * @param path the file's path relative to the dataset's artifact folder, and relative to a folder
 *     or base URL given with {@code --from} (for a Maven artifact its repository path, {@code
 *     com/google/guava/guava/33.3.1-jre/guava-33.3.1-jre-sources.jar})
 * @param bytes the file's size in bytes
 */
record PinnedArtifact(String path, long bytes, Pin pin, FetchRoute route) {
  /** The last part of {@link #path}: {@code guava-33.3.1-jre-sources.jar}. */
  String fileName() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
