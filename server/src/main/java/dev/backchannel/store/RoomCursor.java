package dev.backchannel.store;

import dev.backchannel.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;

/**
 * Where a page of the room list ends: the last room's creation instant and slug, so the next page
 * starts after it even when rooms were created or deleted meanwhile. Rooms are ordered newest
 * first, then by slug.
 */
public record RoomCursor(long createdAtMillis, String slug) {

  public static final Comparator<RoomCursor> NEWEST_FIRST = Comparator.comparingLong(RoomCursor::createdAtMillis)
      .reversed().thenComparing(RoomCursor::slug);

  public static RoomCursor of(RoomInfo room) {
    return new RoomCursor(room.createdAt().toEpochMilli(), room.slug());
  }

  public String encode() {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((createdAtMillis + ":" + slug).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent back; {@code invalid} when it is not one this server gave. */
  public static RoomCursor decode(String text) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      return new RoomCursor(Long.parseLong(plain.substring(0, colon)), plain.substring(colon + 1));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw ErrorCode.INVALID.failure("cursor must be a value a previous page gave as next");
    }
  }

  /** Whether {@code room} comes after this cursor in the list. */
  public boolean before(RoomCursor room) {
    return NEWEST_FIRST.compare(this, room) < 0;
  }

  public Instant createdAt() {
    return Instant.ofEpochMilli(createdAtMillis);
  }
}
