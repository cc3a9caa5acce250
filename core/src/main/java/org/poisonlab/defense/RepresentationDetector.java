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
  public final Shared shared(Dataset train, ScanContext context) {
    return Representations.sharedRepresentations(train, context, name());
  }

  @Override
  public final Detection scan(Dataset train, ScanContext context) {
    Representations.Prepared p = Representations.prepare(train, context, name());
    Dataset ref = context.reference();
    List<Representations.ClassBlock> refBlocks =
        ref != null
                && !ref.isEmpty()
                && ref.kind() == train.kind()
                && train.labels().containsAll(ref.labels())
            ? Representations.reference(p, ref)
            : null;
    return Representations.withRepresentation(
        detect(p.blocks(), refBlocks, train.size(), context.seed()), p.representation());
  }

  /** The detection on given per-class representations covering {@code n} examples. */
  Detection detect(List<Representations.ClassBlock> blocks, int n, long seed) {
    return detect(blocks, null, n, seed);
  }

  /**
   * The detection on given per-class representations covering {@code n} examples; {@code reference}
   * (null: none) holds a clean reference's representations, made the same way, for a detector that
   * calibrates its finding on them.
   */
  abstract Detection detect(
      List<Representations.ClassBlock> blocks,
      List<Representations.ClassBlock> reference,
      int n,
      long seed);
}
