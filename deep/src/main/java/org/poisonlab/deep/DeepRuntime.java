package org.poisonlab.deep;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points DJL and its PyTorch engine at a local cache and keeps them offline.
 *
 * <p>DJL reads its settings from system properties when the engine first loads: {@code
 * DJL_CACHE_DIR} and {@code ENGINE_CACHE_DIR} name where the native library is unpacked (about 430
 * MB for the CPU build), and {@code ai.djl.offline=true} forbids any download. The native library
 * comes from the {@code pytorch-native-cpu} jar on the class path, so no network is needed. The
 * cache directory is {@code $POISONLAB_HOME/djl} when that variable is set, otherwise {@code
 * ~/.cache/poisonlab/djl}.
 */
public final class DeepRuntime {
  private DeepRuntime() {}

  /**
   * Held while PyTorch records gradients: DJL lets one gradient collector run at a time in a
   * process, so training and input gradients take turns; inference runs concurrently.
   */
  static final Object AUTOGRAD = new Object();

  /** Whether this thread is recording gradients through a model (set by {@link Body}). */
  static final ThreadLocal<Boolean> RECORDING = ThreadLocal.withInitial(() -> false);

  /**
   * Sets the DJL cache and offline properties, unless a caller already set them; call before the
   * first DJL engine use. Modifies: system properties {@code DJL_CACHE_DIR}, {@code
   * ENGINE_CACHE_DIR}, {@code ai.djl.offline}. Idempotent.
   *
   * @return the cache directory in effect
   */
  public static Path configure() {
    Path dir = defaultCacheDir(System.getenv(), System.getProperty("user.home"));
    System.setProperty("DJL_CACHE_DIR", System.getProperty("DJL_CACHE_DIR", dir.toString()));
    System.setProperty("ENGINE_CACHE_DIR", System.getProperty("ENGINE_CACHE_DIR", dir.toString()));
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    return Path.of(System.getProperty("DJL_CACHE_DIR"));
  }

  /**
   * Sets how many threads PyTorch's operators split their work over in this process (its intra-op
   * threads; by default one per core), loading the engine first if need be. Results can differ in
   * the last bits between thread counts (sums are split differently); one count gives the same
   * results run after run.
   *
   * @throws IllegalArgumentException if {@code threads} is below 1
   */
  public static void useThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    configure();
    Engine.getEngine("PyTorch");
    JniUtils.setNumThreads(threads);
  }

  /** PyTorch's intra-op thread count in this process (loading the engine if need be). */
  public static int threads() {
    configure();
    Engine.getEngine("PyTorch");
    return JniUtils.getNumThreads();
  }

  /** The cache directory for the given environment and home directory; neither is modified. */
  static Path defaultCacheDir(Map<String, String> env, String userHome) {
    String home = env.get("POISONLAB_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home, "djl");
    }
    return Path.of(userHome, ".cache", "poisonlab", "djl");
  }
}
