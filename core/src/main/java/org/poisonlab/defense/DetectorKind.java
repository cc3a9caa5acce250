package org.poisonlab.defense;

import java.util.List;
import org.poisonlab.io.Options;

/**
 * A detector that PoisonLab can run by name: what {@code scan --detector NAME[:k=v,...]}, recipes,
 * help and completion read. The built-in ones are listed in {@link Detectors}; another module adds
 * one by implementing this interface (with a public no-argument constructor) and naming the class
 * in its {@code META-INF/services/org.poisonlab.defense.DetectorKind} file. See {@code
 * docs/contributing.md}, "Adding a detector".
 */
public interface DetectorKind {
  /** The name users type, equal to the {@link Detector#name()} of what {@link #make} builds. */
  String name();

  /** The option names, kebab-case, in a fixed order; empty for none. */
  List<String> options();

  /**
   * The detector with these options; absent options keep their defaults.
   *
   * @param options checked against {@link #options()} already; read values with its getters
   * @throws org.poisonlab.io.BadInputException for a value that does not parse or is out of range
   */
  Detector make(Options options);
}
