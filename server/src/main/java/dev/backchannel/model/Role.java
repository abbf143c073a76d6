package dev.backchannel.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who is on a socket, and so what they may do (PROTOCOL.md "Roles and secrets"). */
public enum Role {
  PARTICIPANT, SPEAKER, MODERATOR;

  public boolean staff() {
    return this != PARTICIPANT;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
