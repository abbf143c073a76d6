package dev.backchannel.store;

import java.time.Instant;

/**
 * One staff action in a room's audit log (PROTOCOL.md v2, moderation).
 *
 * @param role who acted: {@code organizer}, {@code moderator} or {@code speaker}
 * @param action {@code approve}, {@code reject}, {@code hide}, {@code unhide}, {@code merge},
 *     {@code ban}, {@code settings}, {@code close}, {@code reopen} or {@code keys}
 * @param post the post acted on, or null
 * @param participant the participant acted on, or null
 * @param detail what else there is to say (for settings: the names of the fields changed), or null
 */
public record AuditEntry(Instant at, String role, String action, String post, String participant, String detail) {

  /** Entries kept per room: staff act a few hundred times in an event, not tens of thousands. */
  public static final int LIMIT = 10_000;
}
