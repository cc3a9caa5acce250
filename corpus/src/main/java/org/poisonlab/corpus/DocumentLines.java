package org.poisonlab.corpus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lines a document contributes to {@code flags.jsonl} and {@code clusters.jsonl}, written the
 * same way by every {@link ScanEngine}. A document's line in its shard's document lines (the
 * lineage key under {@code doc}, and {@code source}, as {@link ShardPasses#scan} writes them) goes
 * in; each output line is one JSON object and a newline. Serializable, so that cluster engines can
 * ship it to their tasks.
 */
public final class DocumentLines implements Serializable {
  private static final long serialVersionUID = 2L;

  private final TreeMap<Long, List<Integer>> byDoc = new TreeMap<>();
  private final String[] detectors;
  private final double[] pValues;

  DocumentLines(List<ScanFinding> findings) {
    detectors = new String[findings.size()];
    pValues = new double[findings.size()];
    for (int f = 0; f < findings.size(); f++) {
      for (long d : findings.get(f).keys()) {
        byDoc.computeIfAbsent(d, x -> new ArrayList<>()).add(f);
      }
      detectors[f] = findings.get(f).finding().detector();
      pValues[f] = findings.get(f).finding().pValue();
    }
  }

  /** One empty, sorted set per finding, for {@link #writeFlags} to fill. */
  public List<Set<String>> sourceSets() {
    List<Set<String>> out = new ArrayList<>();
    for (int f = 0; f < detectors.length; f++) {
      out.add(new TreeSet<>());
    }
    return out;
  }

  /** Whether document {@code key} has flag lines. */
  public boolean flagged(long key) {
    return byDoc.containsKey(key);
  }

  /**
   * Writes document {@code key}'s flag lines, one per finding that flags it (none if none), and
   * adds its source to those findings' sets in {@code sources} (modified).
   */
  public void writeFlags(JsonGenerator g, long key, JsonNode line, List<Set<String>> sources)
      throws IOException {
    List<Integer> fs = byDoc.get(key);
    if (fs == null) {
      return;
    }
    String source = line.get("source").asText();
    for (int f : fs) {
      sources.get(f).add(source);
      g.writeStartObject();
      g.writeFieldName("doc");
      g.writeTree(line.get("doc"));
      g.writeStringField("source", source);
      g.writeStringField("detector", detectors[f]);
      g.writeNumberField("score", -Math.log10(Math.max(pValues[f], Double.MIN_VALUE)));
      g.writeNumberField("finding", f);
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  /**
   * Writes the cluster line of a document in cluster {@code cluster} (its smallest global index) of
   * {@code size} documents.
   */
  public static void writeCluster(JsonGenerator g, JsonNode line, long cluster, long size)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName("doc");
    g.writeTree(line.get("doc"));
    g.writeNumberField("cluster", cluster);
    g.writeNumberField("cluster_size", size);
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /** A generator for output lines on {@code out} (closing it closes {@code out}). */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = ScanWork.MAPPER.getFactory().createGenerator(out);
    g.setRootValueSeparator(null);
    return g;
  }

  /** A document line as read back. */
  public static JsonNode parse(String line) throws IOException {
    return ScanWork.MAPPER.readTree(line);
  }
}
