package dev.backchannel.store;

/**
 * The messages of a refused join, shared by the engines (the Redis scripts say the same words) so
 * that the gateway can tell a wrong code or invitation, which counts against the network, from the
 * rest.
 */
public final class Refusals {

  public static final String CODE_MISSING = "this room asks for its code";
  public static final String CODE_WRONG = "this is not the room's code";
  public static final String INVITE_MISSING = "this room is by invitation: use the link or code of yours";
  public static final String INVITE_WRONG = "this is not one of this room's invitations";
  public static final String SIGNIN_ONLY = "this room is for signed-in participants: sign in to join";

  private Refusals() {}

  /** Whether a refusal says the code or invitation given was wrong (not missing). */
  public static boolean wrongGuess(String message) {
    return CODE_WRONG.equals(message) || INVITE_WRONG.equals(message);
  }
}
