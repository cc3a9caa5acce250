package org.poisonlab.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Downloader;

/**
 * Fetches an artifact from one fixed https URL (a Maven Central file, say) with the registry's
 * download limits. The caller verifies the file against its pin.
 */
final class UrlRoute implements FetchRoute {
  private final URI url;
  private final String fileName;
  private final Downloader.Limits limits;

  UrlRoute(String url, String fileName, Downloader.Limits limits) {
    this.url = URI.create(url);
    this.fileName = fileName;
    this.limits = limits;
  }

  @Override
  public Path fetchInto(Path workDir, Consumer<String> progress) throws IOException {
    progress.accept("downloading " + url);
    Path target = workDir.resolve(fileName);
    Downloader.Outcome o = new Downloader(Downloader.client(limits), limits).fetch(url, target);
    if (o.received() == null) {
      throw new BadInputException(url + ": " + o.detail());
    }
    return target;
  }

  @Override
  public String describe() {
    return "download " + url;
  }
}
