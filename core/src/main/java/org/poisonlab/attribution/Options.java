package org.poisonlab.attribution;

import java.util.List;
import java.util.Map;
import org.poisonlab.io.BadInputException;

/** A method's options, checked as user input: unknown names and bad values are rejected. */
final class Options {
  private final String method;
  private final Map<String, String> given;

  Options(String method, Map<String, String> given, List<String> known) {
    this.method = method;
    this.given = given;
    for (String name : given.keySet()) {
      if (!known.contains(name)) {
        throw new BadInputException(
            method + " has no option '" + name + "'; its options are " + known);
      }
    }
  }

  boolean has(String name) {
    return given.containsKey(name);
  }

  int integer(String name, int fallback, int min, int max) {
    String v = given.get(name);
    if (v == null) {
      return fallback;
    }
    int x;
    try {
      x = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException(method + " option " + name + "=" + v + " is not an integer");
    }
    if (x < min || x > max) {
      throw new BadInputException(
          method + " option " + name + "=" + x + " is not in [" + min + ", " + max + "]");
    }
    return x;
  }

  double real(String name, double fallback, double min, boolean minOpen) {
    String v = given.get(name);
    if (v == null) {
      return fallback;
    }
    double x;
    try {
      x = Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException(method + " option " + name + "=" + v + " is not a number");
    }
    if (!Double.isFinite(x) || x < min || (minOpen && x == min)) {
      throw new BadInputException(
          method
              + " option "
              + name
              + "="
              + v
              + " must be finite and "
              + (minOpen ? "> " : "≥ ")
              + min);
    }
    return x;
  }

  String choice(String name, String fallback, List<String> allowed) {
    String v = given.get(name);
    if (v == null) {
      return fallback;
    }
    v = v.strip().toLowerCase(java.util.Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new BadInputException(
          method + " option " + name + "=" + v + " is not one of " + allowed);
    }
    return v;
  }
}
