package org.poisonlab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An immutable, ordered list of examples of one kind (all text or all images) with a name.
 *
 * <p>{@link #labels()} is the sorted set of labels present; {@link #labelIndex(String)} maps a
 * label to its position there. {@link #contentHash()} identifies the data in provenance records.
 *
 * <p>A dataset is the in-memory {@link ExampleSource}: methods that need every example at once take
 * a {@code Dataset}; methods that read once take a source, and a dataset can be passed to them.
 */
public final class Dataset implements Iterable<Example>, ExampleSource {
  /** What the examples hold. */
  public enum Kind {
    TEXT,
    IMAGE
  }

  private final String name;
  private final List<Example> examples;
  private final Kind kind;
  private final List<String> labels;
  private final Map<String, Integer> labelIndex;
  private volatile String contentHash;

  /**
   * @param name a short name for messages and provenance (a file name, {@code fashion-mnist:train})
   * @param examples not modified; copied
   * @throws IllegalArgumentException if the examples mix text and images
   */
  public Dataset(String name, List<Example> examples) {
    this.name = name;
    this.examples = List.copyOf(examples);
    Kind k = null;
    TreeSet<String> ls = new TreeSet<>();
    for (Example e : this.examples) {
      Kind ek = e.isImage() ? Kind.IMAGE : Kind.TEXT;
      if (k == null) {
        k = ek;
      } else if (k != ek) {
        throw new IllegalArgumentException(name + ": mixes text and image examples");
      }
      ls.add(e.label());
    }
    this.kind = k == null ? Kind.TEXT : k;
    this.labels = List.copyOf(ls);
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      idx.put(labels.get(i), i);
    }
    this.labelIndex = Collections.unmodifiableMap(idx);
  }

  @Override
  public String name() {
    return name;
  }

  public int size() {
    return examples.size();
  }

  public boolean isEmpty() {
    return examples.isEmpty();
  }

  public Example get(int i) {
    return examples.get(i);
  }

  /** Unmodifiable. */
  public List<Example> examples() {
    return examples;
  }

  public Kind kind() {
    return kind;
  }

  /** Always present: {@link #kind()}. */
  @Override
  public Optional<Kind> knownKind() {
    return Optional.of(kind);
  }

  /** Always present: {@link #size()}. */
  @Override
  public OptionalLong knownSize() {
    return OptionalLong.of(examples.size());
  }

  /** The examples in order; nothing to close, though closing does no harm. */
  @Override
  public Stream<Example> open() {
    return examples.stream();
  }

  @Override
  public void forEach(Consumer<? super Example> action) {
    examples.forEach(action);
  }

  /** This dataset itself. */
  @Override
  public Dataset load() {
    return this;
  }

  /** The sorted distinct labels present. */
  public List<String> labels() {
    return labels;
  }

  /** Position of {@code label} in {@link #labels()}, or -1. */
  public int labelIndex(String label) {
    Integer i = labelIndex.get(label);
    return i == null ? -1 : i;
  }

  /** The same examples under another name. */
  public Dataset withName(String newName) {
    return new Dataset(newName, examples);
  }

  /** Other examples under the same name. */
  public Dataset withExamples(List<Example> newExamples) {
    return new Dataset(name, newExamples);
  }

  /** The examples at the given positions, in that order. */
  public Dataset subset(int[] positions) {
    List<Example> out = new ArrayList<>(positions.length);
    for (int p : positions) {
      out.add(examples.get(p));
    }
    return new Dataset(name, out);
  }

  /**
   * {@code sha256:} + hex over every example's id and label, in order: two datasets with the same
   * hash hold the same content with the same labels in the same order.
   */
  public String contentHash() {
    String h = contentHash;
    if (h == null) {
      ContentHash sha = new ContentHash();
      examples.forEach(sha);
      h = sha.value();
      contentHash = h;
    }
    return h;
  }

  @Override
  public Iterator<Example> iterator() {
    return examples.iterator();
  }

  @Override
  public String toString() {
    return "Dataset{"
        + name
        + ", "
        + examples.size()
        + " "
        + kind.name().toLowerCase()
        + " examples, labels="
        + labels
        + "}";
  }
}
