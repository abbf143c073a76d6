package dev.backchannel.bench.load;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scenario's command-line parameters ({@code --name=value}, {@code --flag}), read with defaults;
 * every parameter a scenario read (or defaulted) is kept, so reports show the exact settings.
 */
final class Options {

  private final Map<String, String> given = new LinkedHashMap<>();
  private final Map<String, String> used = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();

  Options(List<String> args) {
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      given.put(name, eq < 0 ? "true" : arg.substring(eq + 1));
    }
  }

  String string(String name, String fallback) {
    read.add(name);
    String value = given.getOrDefault(name, fallback);
    if (value != null) {
      used.put(name, value);
    }
    return value;
  }

  int integer(String name, int fallback) {
    return (int) number(name, fallback);
  }

  long number(String name, long fallback) {
    String v = string(name, Long.toString(fallback));
    try {
      return Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  double decimal(String name, double fallback) {
    String v = string(name, Double.toString(fallback));
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
    }
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(string(name, "false"));
  }

  boolean has(String name) {
    return given.containsKey(name);
  }

  /** Fails on parameters no scenario read: a typo must not silently run the defaults. */
  void requireAllRead() {
    for (String name : given.keySet()) {
      if (!read.contains(name)) {
        throw new IllegalArgumentException("unknown parameter --" + name);
      }
    }
  }

  /** The settings the run used, secrets left out. */
  Map<String, String> used() {
    Map<String, String> out = new LinkedHashMap<>(used);
    out.remove("organizer-key");
    return out;
  }
}
