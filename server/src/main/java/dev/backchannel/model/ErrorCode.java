package dev.backchannel.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The error codes of PROTOCOL.md with the HTTP status each maps to. */
public enum ErrorCode {
  BAD_JSON(400),
  INVALID(400),
  TOO_LARGE(413),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  RATE_LIMITED(429),
  ROOM_CLOSED(409),
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A failure with this code and a message fit to show a user. */
  public Failure failure(String message) {
    return new Failure(this, message);
  }
}
