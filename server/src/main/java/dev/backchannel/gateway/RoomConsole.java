package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.backchannel.model.Access;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.RoomPage;
import dev.backchannel.store.RotatedKeys;
import dev.backchannel.store.SettingsPatch;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The organizer's console (PROTOCOL.md v2): the list of rooms, a room's staff links at any time,
 * new keys, reopening and deleting. Staff keys are kept sealed with the server secret next to
 * their hashes, so the organizer can always get them again and a leaked one can be replaced.
 */
final class RoomConsole {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;
  static final String SEAL_KEY = "staff key";

  private final Gateway gateway;
  private final Callers callers;
  private final Replies replies;
  private final RoomDescriptions descriptions;
  private final Clock clock;

  RoomConsole(Gateway gateway, Callers callers, Replies replies, RoomDescriptions descriptions, Clock clock) {
    this.gateway = gateway;
    this.callers = callers;
    this.replies = replies;
    this.descriptions = descriptions;
    this.clock = clock;
  }

  void mount(Router router, BodyHandler body) {
    router.get("/api/rooms").handler(this::list);
    router.get("/api/rooms/:slug/links").handler(this::links);
    router.post("/api/rooms/:slug/keys").handler(body).handler(this::rotate);
    router.post("/api/rooms/:slug/reopen").handler(this::reopen);
    router.delete("/api/rooms/:slug").handler(this::delete);
  }

  /** A room's staff links; {@code screen} is the stage screen's. */
  record Links(String audience, String dashboard, String moderate, String screen) {

    static Links of(String slug, String speakerKey, String moderatorKey) {
      return new Links("/r/" + slug, speakerKey == null ? null : "/r/" + slug + "/dashboard#key=" + speakerKey,
          moderatorKey == null ? null : "/r/" + slug + "/moderate#key=" + moderatorKey,
          speakerKey == null ? null : "/r/" + slug + "/screen#key=" + speakerKey);
    }
  }

  record StaffLinks(String speakerKey, String moderatorKey, Links links) {}

  record Listed(String slug, String hashtag, String title, RoomStatus status, String language, Access access,
      int online, int posts, int ratings, Instant createdAt, Instant closedAt) {}

  record Listing(List<Listed> rooms, String next) {}

  /** The settings fields that keep a room's new staff keys sealed: part of a room's creation. */
  SettingsPatch sealedKeys(String speakerKey, String moderatorKey) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    fields.put("speakerKeySealed", TextNode.valueOf(gateway.sealer().seal(SEAL_KEY, speakerKey)));
    fields.put("moderatorKeySealed", TextNode.valueOf(gateway.sealer().seal(SEAL_KEY, moderatorKey)));
    return new SettingsPatch(fields);
  }

  private void list(RoutingContext ctx) {
    if (!callers.organizer(ctx)) {
      replies.fail(ctx, ErrorCode.UNAUTHORIZED.failure("organizer key required"));
      return;
    }
    int limit = Requests.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    String cursor = ctx.queryParams().get("cursor");
    replies.respond(ctx, 200, gateway.store().rooms(limit, cursor == null || cursor.isEmpty() ? null : cursor)
        .compose(page -> Future.all(page.rooms().stream().map(this::listed).toList())
            .map(all -> new Listing(all.<Listed>list(), page.next()))));
  }

  private Future<Listed> listed(RoomPage.Summary s) {
    RoomInfo r = s.room();
    return gateway.rooms().online(r.slug()).otherwise(0).map(online -> new Listed(r.slug(), r.hashtag(), r.title(),
        r.status(), r.settings().language(), r.settings().access(), online, r.posts(), s.ratings(), r.createdAt(),
        s.closedAt()));
  }

  private void links(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    replies.respond(ctx, 200, callers.organizerOf(ctx, slug).map(this::staffLinks));
  }

  /** The links of a room from its sealed keys; a room made before keys were kept has none until rotated. */
  StaffLinks staffLinks(RoomInfo room) {
    String speaker = open(room.settings().speakerKeySealed());
    String moderator = open(room.settings().moderatorKeySealed());
    return new StaffLinks(speaker, moderator, Links.of(room.slug(), speaker, moderator));
  }

  private String open(String sealed) {
    return sealed == null ? null : gateway.sealer().open(SEAL_KEY, sealed).orElse(null);
  }

  private void rotate(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    JsonNode roles = Requests.body(gateway, ctx).get("roles");
    Set<String> named = new LinkedHashSet<>();
    if (roles == null || !roles.isArray() || roles.isEmpty()) {
      throw ErrorCode.INVALID.failure("roles must list speaker, moderator or both");
    }
    for (JsonNode role : roles) {
      if (!role.isTextual() || !List.of("speaker", "moderator").contains(role.textValue())) {
        throw ErrorCode.INVALID.failure("roles must list speaker, moderator or both");
      }
      named.add(role.textValue());
    }
    String speaker = named.contains("speaker") ? Secrets.newKey() : null;
    String moderator = named.contains("moderator") ? Secrets.newKey() : null;
    RotatedKeys keys = new RotatedKeys(speaker == null ? null : Secrets.hash(speaker),
        speaker == null ? null : gateway.sealer().seal(SEAL_KEY, speaker),
        moderator == null ? null : Secrets.hash(moderator),
        moderator == null ? null : gateway.sealer().seal(SEAL_KEY, moderator));
    replies.respond(ctx, 200, callers.organizerOf(ctx, slug)
        .compose(room -> gateway.store().rotateKeys(slug, keys))
        .compose(room -> gateway.store().audit(slug, new AuditEntry(clock.instant(), "organizer", "keys", null, null,
            String.join(",", named))).map(v -> room))
        .map(room -> {
          gateway.log().event("room.keys_rotated", "room", slug, "roles", String.join(",", named));
          return staffLinks(room);
        }));
  }

  private void reopen(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    replies.respond(ctx, 200, callers.organizerOrModerator(ctx, slug).compose(caller ->
        gateway.store().reopen(slug)
            .compose(room -> gateway.store().audit(slug, new AuditEntry(clock.instant(), caller.role(), "reopen", null,
                null, null)).map(v -> room))
            .compose(room -> {
              gateway.log().event("room.reopened", "room", slug, "by", caller.role());
              return descriptions.describe(room, true);
            })));
  }

  private void delete(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    callers.organizerOf(ctx, slug)
        .compose(room -> gateway.store().delete(slug))
        .onSuccess(v -> {
          gateway.log().event("room.deleted", "room", slug);
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(e -> replies.fail(ctx, e));
  }
}
