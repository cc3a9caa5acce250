package org.poisonlab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;

/**
 * How a verified artifact becomes datasets: {@link #derive} unpacks it once into a folder of files
 * that are fast to read, and {@link #load} reads one split from that folder.
 */
interface ArtifactFormat {
  /**
   * Names the format and its version in the derived cache's marker; change it to rebuild caches.
   */
  String id();

  /** The split names, e.g. {@code train} and {@code test}. */
  List<String> splits();

  /**
   * Writes the derived files for {@code artifact} into {@code outDir}, an empty folder. The
   * artifact is not modified.
   *
   * @throws BadInputException if the artifact does not hold what the format expects
   */
  void derive(Path artifact, Path outDir, Consumer<String> progress) throws IOException;

  /** Reads one split of a complete derived folder, named {@code datasetName}. */
  Dataset load(Path derivedDir, String split, String datasetName) throws IOException;

  /**
   * One split of a complete derived folder as a source. By default the split is {@link #load
   * loaded} (a dataset is a source); formats that can read record by record override this.
   */
  default ExampleSource source(Path derivedDir, String split, String datasetName)
      throws IOException {
    return load(derivedDir, split, datasetName);
  }
}
