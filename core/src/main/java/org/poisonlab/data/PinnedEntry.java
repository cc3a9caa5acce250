package org.poisonlab.data;

/**
 * One pinned dataset: what it is, the artifact file kept in the cache, the digest that decides
 * whether a copy is the right one, the default route to obtain it, and how to parse it.
 *
 * @param size the dataset's size in words, e.g. {@code "6,046 emails"}
 * @param artifactBytes the artifact's size in bytes
 */
record PinnedEntry(
    String name,
    String summary,
    String size,
    String artifactFile,
    long artifactBytes,
    Pin pin,
    FetchRoute route,
    ArtifactFormat format) {}
