package dev.backchannel.model;

import java.util.Locale;
import java.util.Optional;

/** The status staff set on a post with a {@code mark} command; {@code collapsed} is computed, never set. */
public enum Mark {
  VISIBLE, ANSWERED, HIGHLIGHTED, HIDDEN;

  /** Parses a wire status, empty when it is not one staff may set. */
  public static Optional<Mark> parse(String wire) {
    for (Mark m : values()) {
      if (m.name().toLowerCase(Locale.ROOT).equals(wire)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
