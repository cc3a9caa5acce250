package org.poisonlab.defense;

import java.util.List;
import org.poisonlab.data.Dataset;

/**
 * A detector that works class by class on the representations of a trained model ({@link
 * Representations}): it prepares them once, hands each class's block to {@link #detect}, and
 * records which representation was used.
 */
abstract class RepresentationDetector implements Detector {
  @Override
  public final boolean appliesTo(Dataset train) {
    return !train.isEmpty() && train.labels().size() >= 2;
  }

  @Override
  public final Detection scan(Dataset train, ScanContext context) {
    Representations.Prepared p = Representations.prepare(train, context, name());
    return Representations.withRepresentation(
        detect(p.blocks(), train.size(), context.seed()), p.representation());
  }

  /** The detection on given per-class representations covering {@code n} examples. */
  abstract Detection detect(List<Representations.ClassBlock> blocks, int n, long seed);
}
