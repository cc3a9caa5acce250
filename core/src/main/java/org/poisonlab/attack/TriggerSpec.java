package org.poisonlab.attack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.poisonlab.io.BadInputException;

/**
 * The parameters of a family trigger written as {@code NAME:key=value,key=value}: a spec's name and
 * its values, read strictly (an unknown key, a repeated key or a value that does not parse is named
 * in the message).
 */
record TriggerSpec(String name, Map<String, String> values) {

  /** Reads {@code name:k=v,...}; {@code allowed} are the keys the family knows. */
  static TriggerSpec parse(String spec, String name, Set<String> allowed, String form) {
    String body = spec.strip().substring(name.length() + 1);
    Map<String, String> values = new LinkedHashMap<>();
    if (!body.isEmpty()) {
      for (String part : body.split(",", -1)) {
        int eq = part.indexOf('=');
        if (eq <= 0 || eq == part.length() - 1) {
          throw bad(spec, "'" + part + "' is not key=value", form);
        }
        String key = part.substring(0, eq).strip();
        if (!allowed.contains(key)) {
          throw bad(spec, "unknown key '" + key + "'", form);
        }
        if (values.put(key, part.substring(eq + 1).strip()) != null) {
          throw bad(spec, "key '" + key + "' is repeated", form);
        }
      }
    }
    return new TriggerSpec(name, values);
  }

  double real(String key, double dflt, double min, double max, String form) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw bad(name + ":…", key + "=" + v + " is not a number", form);
    }
    if (!(d >= min && d <= max)) {
      throw bad(name + ":…", key + "=" + v + " is not in [" + min + ", " + max + "]", form);
    }
    return d;
  }

  int integer(String key, int dflt, int min, int max, String form) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    int i;
    try {
      i = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw bad(name + ":…", key + "=" + v + " is not an integer", form);
    }
    if (i < min || i > max) {
      throw bad(name + ":…", key + "=" + v + " is not in " + min + ".." + max, form);
    }
    return i;
  }

  long key(String form) {
    String v = values.get("key");
    if (v == null) {
      throw bad(name + ":…", "key=K (the pattern's seed) is required", form);
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(name + ":…", "key=" + v + " is not an integer", form);
    }
  }

  static BadInputException bad(String spec, String problem, String form) {
    return new BadInputException(
        "trigger spec '" + spec + "' does not parse: " + problem + "; expected " + form);
  }

  /** A number as written in a spec: the shortest form that reads back to it. */
  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
