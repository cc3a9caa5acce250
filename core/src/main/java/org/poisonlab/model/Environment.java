package org.poisonlab.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The software and machine a model is trained on, for its provenance. */
final class Environment {
  private static final String VERSION = readVersion();

  private Environment() {}

  static String version() {
    return VERSION;
  }

  /** {@code poisonlab}, {@code java}, {@code os}, {@code cores}, {@code vector.bits}. */
  static Map<String, String> describe() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("poisonlab", VERSION);
    env.put("java", System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    env.put("vector.bits", Integer.toString(org.poisonlab.linalg.Vectors.lanes() * 64));
    return env;
  }

  private static String readVersion() {
    try (InputStream in = Environment.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
