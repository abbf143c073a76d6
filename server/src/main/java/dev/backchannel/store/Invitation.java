package dev.backchannel.store;

/**
 * A personal invitation as the store keeps it.
 *
 * @param hash SHA-256 (hex) of the invitation, what a join names it by
 * @param sealed the invitation sealed with the server secret, so the organizer can print it again
 * @param participant the participant it made, null while unused
 */
public record Invitation(String hash, String sealed, String participant) {

  /** Invitations a room may hold in all: a large conference's attendee list, a few times over. */
  public static final int LIMIT = 100_000;
}
