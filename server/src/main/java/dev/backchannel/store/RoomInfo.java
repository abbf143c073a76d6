package dev.backchannel.store;

import dev.backchannel.model.RoomStatus;
import java.time.Instant;

/**
 * A room as the store knows it: names, status, key hashes and how many posts are not hidden.
 */
public record RoomInfo(
    String slug,
    String hashtag,
    String title,
    RoomStatus status,
    Instant createdAt,
    byte[] speakerKeyHash,
    byte[] moderatorKeyHash,
    int posts) {}
