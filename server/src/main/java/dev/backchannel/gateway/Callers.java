package dev.backchannel.gateway;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.store.RoomInfo;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Who a request's bearer key proves the caller to be, for one room. */
final class Callers {

  /** A caller allowed in, with the room as it was read and their role's wire name (for the audit log). */
  record Caller(RoomInfo room, String role) {}

  private final Gateway gateway;

  Callers(Gateway gateway) {
    this.gateway = gateway;
  }

  boolean organizer(RoutingContext ctx) {
    return Secrets.matches(Requests.bearer(ctx), gateway.organizerKeyHash());
  }

  /** Passes the organizer and the room's moderators; a speaker key is {@code forbidden}. */
  Future<Caller> organizerOrModerator(RoutingContext ctx, String slug) {
    if (organizer(ctx)) {
      return gateway.store().room(slug).map(room -> new Caller(room, "organizer"));
    }
    return moderator(ctx, slug).map(room -> new Caller(room, "moderator"));
  }

  /** Passes the organizer only; {@code not_found} for an unknown room. */
  Future<RoomInfo> organizerOf(RoutingContext ctx, String slug) {
    if (!organizer(ctx)) {
      return Future.failedFuture(ErrorCode.UNAUTHORIZED.failure("organizer key required"));
    }
    return gateway.store().room(slug);
  }

  /** Passes when the request carries the room's moderator key; a speaker key is {@code forbidden}. */
  Future<RoomInfo> moderator(RoutingContext ctx, String slug) {
    String key = Requests.bearer(ctx);
    return gateway.store().room(slug).compose(room -> {
      if (Secrets.matches(key, room.moderatorKeyHash())) {
        return Future.succeededFuture(room);
      }
      return Future.failedFuture(Secrets.matches(key, room.speakerKeyHash())
          ? ErrorCode.FORBIDDEN.failure("moderator key required")
          : ErrorCode.UNAUTHORIZED.failure("moderator key required"));
    });
  }

  /** Passes when the request carries the room's speaker or moderator key (or the organizer's). */
  Future<RoomInfo> staff(RoutingContext ctx, String slug) {
    String key = Requests.bearer(ctx);
    boolean organizer = organizer(ctx);
    return gateway.store().room(slug).compose(room -> organizer || Secrets.matches(key, room.moderatorKeyHash())
        || Secrets.matches(key, room.speakerKeyHash())
        ? Future.succeededFuture(room)
        : Future.failedFuture(ErrorCode.UNAUTHORIZED.failure("speaker or moderator key required")));
  }

  /** Whether the request carries a key that lets it see the room's settings. */
  boolean isStaff(RoutingContext ctx, RoomInfo room) {
    String key = Requests.bearer(ctx);
    return organizer(ctx) || Secrets.matches(key, room.moderatorKeyHash()) || Secrets.matches(key, room.speakerKeyHash());
  }
}
