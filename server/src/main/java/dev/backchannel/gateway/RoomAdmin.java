package dev.backchannel.gateway;

import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.SettingsPatch;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;

/**
 * A room's settings ({@code PATCH /api/rooms/{slug}}, organizer or moderator) and its audit log
 * ({@code GET /api/rooms/{slug}/audit}, moderator).
 */
final class RoomAdmin {

  private final Gateway gateway;
  private final Callers callers;
  private final Replies replies;
  private final RoomDescriptions descriptions;
  private final SettingsRequest settings;
  private final Clock clock;

  RoomAdmin(Gateway gateway, Callers callers, Replies replies, RoomDescriptions descriptions, SettingsRequest settings,
      Clock clock) {
    this.gateway = gateway;
    this.callers = callers;
    this.replies = replies;
    this.descriptions = descriptions;
    this.settings = settings;
    this.clock = clock;
  }

  void mount(Router router, BodyHandler body) {
    router.patch("/api/rooms/:slug").handler(body).handler(this::configure);
    router.get("/api/rooms/:slug/audit").handler(this::audit);
  }

  record Entries(List<AuditEntry> entries) {}

  private void configure(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    var req = Requests.body(gateway, ctx);
    replies.respond(ctx, 200, callers.organizerOrModerator(ctx, slug).compose(caller -> {
      SettingsPatch patch = settings.parse(req, caller.room());
      if (patch.fields().isEmpty()) {
        return descriptions.describe(caller.room(), true);
      }
      return gateway.store().configure(slug, patch)
          .compose(room -> gateway.store().audit(slug, new AuditEntry(clock.instant(), caller.role(), "settings", null,
              null, SettingsRequest.detail(patch))).map(v -> room))
          .compose(room -> {
            gateway.log().event("room.configured", "room", slug, "by", caller.role(), "fields",
                SettingsRequest.detail(patch));
            return descriptions.describe(room, true);
          });
    }));
  }

  private void audit(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    replies.respond(ctx, 200, callers.organizerOrModerator(ctx, slug)
        .compose(caller -> gateway.store().auditLog(slug))
        .map(Entries::new));
  }
}
