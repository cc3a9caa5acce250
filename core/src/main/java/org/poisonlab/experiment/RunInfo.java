package org.poisonlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a run ran on: software versions and machine, for {@code run.json} and model provenance. */
public final class RunInfo {
  private RunInfo() {}

  /** PoisonLab version, Java, OS and core count. */
  public static Map<String, String> environment() {
    Map<String, String> m = new LinkedHashMap<>();
    String v = RunInfo.class.getPackage().getImplementationVersion();
    m.put("poisonlab", v == null ? "dev" : v);
    m.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    return m;
  }
}
