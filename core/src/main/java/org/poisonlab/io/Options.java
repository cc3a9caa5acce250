package org.poisonlab.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of a detector or attribution method ({@code name=value} pairs from the command line
 * or a recipe), checked as user input: unknown names and bad values are rejected with one line
 * naming the method, the option and the value.
 *
 * <p>Option names are kebab-case ({@code min-docs}, {@code match-alpha}). A name written with
 * underscores ({@code match_alpha}) is read as its kebab-case form, with a one-line deprecation
 * note on standard error.
 */
public final class Options {
  private final String method;
  private final Map<String, String> given;

  /**
   * Checks {@code given} against the option names a method knows.
   *
   * @param method how messages name the method, e.g. {@code "tracin"} or {@code "detector knn"}
   * @param given not modified; option name to value as the user wrote it
   * @param known the method's option names, kebab-case
   * @throws BadInputException for a name the method does not know, listing those it does
   */
  public Options(String method, Map<String, String> given, List<String> known) {
    this.method = method;
    this.given = kebab(given);
    for (String name : this.given.keySet()) {
      if (!known.contains(name)) {
        throw new BadInputException(
            method
                + " has no option '"
                + name
                + "'; "
                + (known.isEmpty() ? "it takes none" : "its options are " + known));
      }
    }
  }

  private static Map<String, String> kebab(Map<String, String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = e.getKey();
      if (name.indexOf('_') >= 0) {
        String renamed = name.replace('_', '-');
        System.err.println(
            "poisonlab: option '" + name + "' is deprecated; write '" + renamed + "'");
        name = renamed;
      }
      out.put(name, e.getValue());
    }
    return out;
  }

  /** Whether the user gave option {@code name}. */
  public boolean has(String name) {
    return given.containsKey(name);
  }

  /**
   * A whole number in {@code [min, max]}, or {@code fallback} when absent.
   *
   * @throws BadInputException if the value does not parse or is out of range
   */
  public int integer(String name, int fallback, int min, int max) {
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

  /**
   * A finite number at least {@code min} (above it when {@code minOpen}), or {@code fallback}.
   *
   * @throws BadInputException if the value does not parse, is not finite or is out of range
   */
  public double real(String name, double fallback, double min, boolean minOpen) {
    String v = given.get(name);
    if (v == null) {
      return fallback;
    }
    double x = number(name, v);
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

  /**
   * A finite number in {@code [lo, hi]}, each end open when its flag says so, or {@code fallback}.
   *
   * @throws BadInputException if the value does not parse, is not finite or is out of range
   */
  public double between(
      String name, double fallback, double lo, boolean loOpen, double hi, boolean hiOpen) {
    String v = given.get(name);
    if (v == null) {
      return fallback;
    }
    double x = number(name, v);
    boolean ok = Double.isFinite(x) && (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi);
    if (!ok) {
      throw new BadInputException(
          method
              + " option "
              + name
              + "="
              + v
              + " is not in "
              + (loOpen ? "(" : "[")
              + number(lo)
              + ", "
              + number(hi)
              + (hiOpen ? ")" : "]"));
    }
    return x;
  }

  private double number(String name, String v) {
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new BadInputException(method + " option " + name + "=" + v + " is not a number");
    }
  }

  private static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }

  /**
   * One of {@code allowed} (compared in lower case), or {@code fallback} when absent.
   *
   * @throws BadInputException if the value is not allowed
   */
  public String choice(String name, String fallback, List<String> allowed) {
    String v = given.get(name);
    if (v == null) {
      return fallback;
    }
    v = v.strip().toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new BadInputException(
          method + " option " + name + "=" + v + " is not one of " + allowed);
    }
    return v;
  }
}
