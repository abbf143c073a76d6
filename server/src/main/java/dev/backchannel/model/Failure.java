package dev.backchannel.model;

/**
 * A command or request refused with one of the protocol's error codes. It is an expected outcome,
 * not a bug, so it carries no stack trace (cheap to raise on hot paths such as rate limiting).
 */
public final class Failure extends RuntimeException {

  private final ErrorCode code;

  public Failure(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
