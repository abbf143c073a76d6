package dev.backchannel.store;

import dev.backchannel.model.RoomStatus;
import java.time.Instant;
import java.util.Map;

/**
 * A room as the store knows it: names, status, key hashes, how many posts are not hidden, and its
 * settings.
 */
public record RoomInfo(
    String slug,
    String hashtag,
    String title,
    RoomStatus status,
    Instant createdAt,
    byte[] speakerKeyHash,
    byte[] moderatorKeyHash,
    int posts,
    RoomSettings settings) {

  /** This room with another status. */
  public RoomInfo withStatus(RoomStatus status) {
    return new RoomInfo(slug, hashtag, title, status, createdAt, speakerKeyHash, moderatorKeyHash, posts, settings);
  }

  /** This room after a change of its public description ({@link RoomEvent#described()}). */
  public RoomInfo described(Map<String, String> changed) {
    String t = changed.getOrDefault("title", title);
    RoomSettings s = settings;
    if (changed.containsKey("language") || changed.containsKey("access")) {
      s = new RoomSettings(changed.getOrDefault("language", s.language()), s.review(), s.blockedWords(),
          s.builtinFilter(), changed.containsKey("access") ? dev.backchannel.model.Access.parse(changed.get("access"))
          : s.access(), s.joinCodeHash(), s.joinCodeSealed(), s.venueNetworks(), s.unverifiedWeight(), s.provider(),
          s.speakerKeySealed(), s.moderatorKeySealed());
    }
    RoomStatus st = changed.containsKey("status") ? RoomStatus.valueOf(changed.get("status").toUpperCase(
        java.util.Locale.ROOT)) : status;
    return new RoomInfo(slug, hashtag, t, st, createdAt, speakerKeyHash, moderatorKeyHash, posts, s);
  }
}
