package org.poisonlab.defense;

import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.Options;

/**
 * The worked example of docs/contributing.md, "Adding a detector": a detector that flags texts
 * whose length is far from the median, added by one class and one line in {@code
 * META-INF/services/org.poisonlab.defense.DetectorKind}.
 */
public final class TextLengthDetectorKind implements DetectorKind {
  @Override
  public String name() {
    return "text-length";
  }

  @Override
  public List<String> options() {
    return List.of("factor");
  }

  @Override
  public Detector make(Options options) {
    double factor = options.real("factor", 4, 1, false);
    return new Detector() {
      @Override
      public String name() {
        return "text-length";
      }

      @Override
      public boolean appliesTo(Dataset train) {
        return train.kind() == Dataset.Kind.TEXT;
      }

      @Override
      public Detection scan(Dataset train, ScanContext context) {
        int n = train.size();
        double[] length = new double[n];
        for (int i = 0; i < n; i++) {
          length[i] = train.get(i).text().length();
        }
        double[] sorted = length.clone();
        java.util.Arrays.sort(sorted);
        double median = Math.max(1, sorted[n / 2]);
        double[] score = new double[n];
        boolean[] flagged = new boolean[n];
        for (int i = 0; i < n; i++) {
          score[i] = Math.abs(Math.log(Math.max(1, length[i]) / median));
          flagged[i] = score[i] > Math.log(factor);
        }
        return new Detection(name(), score, flagged, null);
      }
    };
  }
}
