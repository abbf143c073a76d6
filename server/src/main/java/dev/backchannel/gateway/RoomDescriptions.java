package dev.backchannel.gateway;

import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.RoomSettings;
import dev.backchannel.wire.Frames;
import io.vertx.core.Future;

/** The Room object of the HTTP API: public fields for everyone, and the settings for staff. */
final class RoomDescriptions {

  private final Gateway gateway;

  RoomDescriptions(Gateway gateway) {
    this.gateway = gateway;
  }

  Future<Frames.Room> describe(RoomInfo room, boolean staff) {
    return gateway.rooms().online(room.slug()).map(online -> new Frames.Room(room.slug(), room.hashtag(), room.title(),
        room.status(), room.settings().language(), room.settings().access(), online, room.posts(),
        staff ? settings(room) : null));
  }

  /** The settings as staff see them: the join code opened from its sealed copy. */
  Frames.Settings settings(RoomInfo room) {
    RoomSettings s = room.settings();
    String code = s.joinCodeSealed() == null ? null
        : gateway.sealer().open(JoinCodes.SEAL_CODE, s.joinCodeSealed()).orElse(null);
    return new Frames.Settings(s.review(), s.blockedWords(), s.builtinFilter(), s.access(),
        code, s.venueNetworks(), s.unverifiedWeight(), s.provider());
  }
}
