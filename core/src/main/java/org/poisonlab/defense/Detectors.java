package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.poisonlab.data.BadInputException;
import org.poisonlab.data.Dataset;

/** The built-in detectors, by name. */
public final class Detectors {
  private Detectors() {}

  /** Every built-in detector, in a fixed order. */
  public static List<Detector> all() {
    List<Detector> all = new ArrayList<>();
    // filtering
    // trigger scanning in data
    all.add(new NgramAssociationDetector(5, 1e-4));
    all.add(new PixelAssociationDetector(5, 0.01));
    // representations of a trained model
    return all;
  }

  /** The built-in detectors that apply to {@code train}, in a fixed order. */
  public static List<Detector> applicable(Dataset train) {
    return all().stream().filter(d -> d.appliesTo(train)).collect(Collectors.toList());
  }

  /**
   * The built-in detector called {@code name}.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static Detector byName(String name) {
    for (Detector d : all()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new BadInputException(
        "unknown detector '"
            + name
            + "'; known: "
            + all().stream().map(Detector::name).collect(Collectors.joining(", ")));
  }
}
