package org.poisonlab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;

/** How a pinned artifact is obtained when the user names no source. */
interface FetchRoute {
  /**
   * Obtains the artifact into {@code workDir}, a fresh empty folder, and returns the file made
   * there. The caller verifies it.
   *
   * @throws BadInputException when the route cannot run (a missing tool, a failed command)
   */
  Path fetchInto(Path workDir, Consumer<String> progress) throws IOException;

  /** The route in words, for listings: {@code npm pack PACKAGE@VERSION}. */
  String describe();

  /** A route for entries that can only be fetched with an explicit source. */
  static FetchRoute none(String name) {
    return new FetchRoute() {
      @Override
      public Path fetchInto(Path workDir, Consumer<String> progress) {
        throw new BadInputException(name + " has no default route: fetch it with --from PATH|URL");
      }

      @Override
      public String describe() {
        return "--from PATH|URL only";
      }
    };
  }
}
