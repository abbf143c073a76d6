package dev.backchannel.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a room still takes posts and ratings. */
public enum RoomStatus {
  OPEN, CLOSED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
