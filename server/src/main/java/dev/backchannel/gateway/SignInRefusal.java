package dev.backchannel.gateway;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;

/**
 * Why a sign-in was refused: the error a user sees ({@link #failure}) and a short {@link #reason}
 * for the event log. Neither ever holds the state, the code or a token.
 */
final class SignInRefusal extends RuntimeException {

  private final Failure failure;
  private final String reason;

  private SignInRefusal(ErrorCode code, String reason, String message) {
    super(message, null, false, false);
    this.failure = code.failure(message);
    this.reason = reason;
  }

  /** Refused (403 {@code forbidden}) for {@code reason}, with {@code message} for the user. */
  static SignInRefusal forbidden(String reason, String message) {
    return new SignInRefusal(ErrorCode.FORBIDDEN, reason, message);
  }

  /** The provider cannot be used now (503 {@code unavailable}). */
  static SignInRefusal unavailable(String reason, String message) {
    return new SignInRefusal(ErrorCode.UNAVAILABLE, reason, message);
  }

  Failure failure() {
    return failure;
  }

  String reason() {
    return reason;
  }
}
