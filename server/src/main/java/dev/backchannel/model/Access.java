package dev.backchannel.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who may join a room: anyone with the link, with the room's code, by invitation, or by signing in. */
public enum Access {
  OPEN,
  CODE,
  INVITE,
  SIGNIN;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The access a wire name stands for; null for an unknown name. */
  public static Access parse(String wire) {
    for (Access a : values()) {
      if (a.wire().equals(wire)) {
        return a;
      }
    }
    return null;
  }
}
