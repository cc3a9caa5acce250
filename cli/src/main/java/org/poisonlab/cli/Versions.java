package org.poisonlab.cli;

import picocli.CommandLine;

/** Version string from the jar manifest, with the Java runtime. */
final class Versions implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = PoisonLab.class.getPackage().getImplementationVersion();
    return new String[] {
      "poisonlab " + (v == null ? "dev" : v),
      "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
      System.getProperty("os.name")
          + " "
          + System.getProperty("os.arch")
          + ", "
          + Runtime.getRuntime().availableProcessors()
          + " cores"
    };
  }
}
