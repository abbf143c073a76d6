package dev.backchannel.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a participant proved they may join a room that is not open to anyone with the link. */
public enum Verification {
  /** They typed the room's code. */
  CODE,
  /** They used a personal invitation, which names exactly one participant. */
  INVITE,
  /** They signed in with an OpenID Connect provider; one participant per (issuer, subject). */
  SIGNIN;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The verification a wire name stands for; null for null or an unknown name. */
  public static Verification parse(String wire) {
    for (Verification v : values()) {
      if (v.wire().equals(wire)) {
        return v;
      }
    }
    return null;
  }
}
