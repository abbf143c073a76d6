package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Network;
import dev.backchannel.scoring.NetworkRules;
import dev.backchannel.model.Failure;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.backchannel.model.Post;
import dev.backchannel.model.TwoDecimals;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.RoomExport;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.wire.Frames;
import dev.backchannel.wire.Text;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The HTTP API of PROTOCOL.md: rooms, participants, listings, close, export and health. */
final class HttpApi {

  static final int MAX_BODY = 16 * 1024;
  private static final Pattern HASHTAG = Pattern.compile("#?[A-Za-z0-9_-]{2,64}");
  private static final int MAX_TITLE = 200;
  private static final int MAX_NICK = 32;
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final Gateway gateway;

  HttpApi(Gateway gateway) {
    this.gateway = gateway;
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    if (!gateway.config().corsOrigins().isEmpty()) {
      // Only the configured sites may call the API from a browser; without any, no CORS headers at all.
      router.route("/api/*").handler(CorsHandler.create()
          .addOrigins(gateway.config().corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
          .allowedHeaders(Set.of("Authorization", "Content-Type")));
    }
    router.post("/api/rooms").handler(body).handler(this::createRoom);
    router.get("/api/rooms/:slug").handler(this::room);
    router.post("/api/rooms/:slug/participants").handler(body).handler(this::join);
    router.get("/api/rooms/:slug/posts").handler(this::posts);
    router.get("/api/rooms/:slug/posts/:post/why").handler(this::why);
    router.post("/api/rooms/:slug/close").handler(this::close);
    router.get("/api/rooms/:slug/export").handler(this::export);
    router.get("/health").handler(this::ready);
    router.get("/health/ready").handler(this::ready);
    router.get("/health/live").handler(ctx -> json(ctx, 200, "{\"status\":\"ok\"}"));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(gateway.metrics().scrape()));
    for (String path : List.of("/api/rooms", "/api/rooms/:slug", "/api/rooms/:slug/participants",
        "/api/rooms/:slug/posts", "/api/rooms/:slug/posts/:post/why", "/api/rooms/:slug/close",
        "/api/rooms/:slug/export")) {
      router.route(path).handler(ctx -> fail(ctx, 405, ErrorCode.INVALID.failure("method not allowed here")));
    }
    router.route("/api/*").handler(ctx -> fail(ctx, ErrorCode.NOT_FOUND.failure("no such endpoint")));
    // Handlers throw Failures; this turns them (and BodyHandler's 413) into the JSON error shape.
    router.route().failureHandler(ctx -> fail(ctx, ctx.failure() != null ? ctx.failure()
        : statusFailure(ctx.statusCode())));
  }

  private void createRoom(RoutingContext ctx) {
    if (!Secrets.matches(bearer(ctx), gateway.organizerKeyHash())) {
      fail(ctx, ErrorCode.UNAUTHORIZED.failure("organizer key required"));
      return;
    }
    JsonNode req = json(ctx);
    String hashtag = text(req, "hashtag");
    if (hashtag == null || !HASHTAG.matcher(hashtag).matches()) {
      throw ErrorCode.INVALID.failure("hashtag must be an optional # and 2-64 of A-Z a-z 0-9 _ -");
    }
    String tag = hashtag.startsWith("#") ? hashtag.substring(1) : hashtag;
    String title = text(req, "title");
    title = title == null ? "" : Text.clean(title);
    if (Text.length(title) > MAX_TITLE) {
      throw ErrorCode.INVALID.failure("title must be at most " + MAX_TITLE + " characters");
    }
    String slug = tag.toLowerCase(Locale.ROOT);
    String speakerKey = Secrets.newKey();
    String moderatorKey = Secrets.newKey();
    String shownTitle = title.isEmpty() ? "#" + tag : title;
    respond(ctx, 201, gateway.store()
        .createRoom(new NewRoom(slug, "#" + tag, shownTitle, Secrets.hash(speakerKey), Secrets.hash(moderatorKey)))
        .map(room -> {
          gateway.log().event("room.created", "room", room.slug());
          return room;
        })
        .map(room -> new CreatedRoom(room.slug(), room.hashtag(), room.title(), "open", speakerKey, moderatorKey,
            new Links("/r/" + slug, "/r/" + slug + "/dashboard#key=" + speakerKey,
                "/r/" + slug + "/moderate#key=" + moderatorKey))));
  }

  private void room(RoutingContext ctx) {
    String slug = slug(ctx);
    respond(ctx, 200, gateway.store().room(slug).compose(this::wireRoom));
  }

  private void join(RoutingContext ctx) {
    String slug = slug(ctx);
    String address = clientAddress(ctx);
    if (!gateway.joins().allow(address)) {
      throw ErrorCode.RATE_LIMITED.failure("too many joins from this address; try again in a minute");
    }
    JsonNode req = json(ctx);
    String nick = text(req, "nick");
    if (nick != null) {
      nick = Text.nick(nick);
      if (nick.isEmpty() || Text.length(nick) > MAX_NICK) {
        throw ErrorCode.INVALID.failure("nick must be 1-" + MAX_NICK + " characters");
      }
    }
    NetworkRules networks = gateway.config().scoring().networks();
    String network = Network.of(address, networks.ipv4Prefix(), networks.ipv6Prefix());
    respond(ctx, 201, gateway.store().join(slug, nick, network).map(p ->
        new Joined(gateway.tokens().issue(slug, p.id()), new JoinedParticipant(p.id(), p.nick()))));
  }

  private void posts(RoutingContext ctx) {
    String slug = slug(ctx);
    String sort = ctx.queryParams().get("sort");
    PostOrder order = sort == null ? PostOrder.TOP : PostOrder.parse(sort)
        .orElseThrow(() -> ErrorCode.INVALID.failure("sort must be top, divergent or new"));
    int limit = DEFAULT_LIMIT;
    String limitParam = ctx.queryParams().get("limit");
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ErrorCode.INVALID.failure("limit must be an integer from 1 to " + MAX_LIMIT);
      }
    }
    respond(ctx, 200, gateway.store().list(slug, order, limit).map(PostList::new));
  }

  private void close(RoutingContext ctx) {
    String slug = slug(ctx);
    respond(ctx, 200, moderator(ctx, slug)
        .compose(room -> gateway.store().close(slug))
        .map(v -> {
          gateway.log().event("room.closed", "room", slug);
          return new Closed(slug, "closed");
        }));
  }

  private void export(RoutingContext ctx) {
    String slug = slug(ctx);
    String format = ctx.queryParams().get("format");
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"json".equals(format)) {
      throw ErrorCode.INVALID.failure("format must be json or csv");
    }
    Future<RoomExport> export = moderator(ctx, slug).compose(room -> gateway.store().export(slug));
    if (csv) {
      export.onSuccess(e -> ctx.response().setStatusCode(200)
              .putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"" + slug + ".csv\"")
              .end(CsvExport.write(e.posts())))
          .onFailure(e -> fail(ctx, e));
      return;
    }
    respond(ctx, 200, export.compose(e -> wireRoom(e.room()).map(room -> new ExportBody(room, e.posts(),
        e.ratings(), e.participants().stream().map(p -> new ExportedParticipant(p.id(), p.nick(), p.karma(), p.banned()))
            .toList()))));
  }

  /** "Why is this post here?": the score's ingredients, for the speaker and moderators. */
  private void why(RoutingContext ctx) {
    String slug = slug(ctx);
    String post = ctx.pathParam("post");
    respond(ctx, 200, staff(ctx, slug).compose(room -> gateway.rooms().why(slug, post)));
  }

  /** Ready: the store answers. (Live, by contrast, only says the event loop runs.) */
  private void ready(RoutingContext ctx) {
    gateway.store().ping().onComplete(ping -> json(ctx, ping.succeeded() ? 200 : 503,
        ping.succeeded() ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}"));
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** Passes when the request carries the room's moderator key; a speaker key is {@code forbidden}. */
  private Future<RoomInfo> moderator(RoutingContext ctx, String slug) {
    String key = bearer(ctx);
    return gateway.store().room(slug).compose(room -> {
      if (Secrets.matches(key, room.moderatorKeyHash())) {
        return Future.succeededFuture(room);
      }
      return Future.failedFuture(Secrets.matches(key, room.speakerKeyHash())
          ? ErrorCode.FORBIDDEN.failure("moderator key required")
          : ErrorCode.UNAUTHORIZED.failure("moderator key required"));
    });
  }

  /** Passes when the request carries the room's speaker or moderator key. */
  private Future<RoomInfo> staff(RoutingContext ctx, String slug) {
    String key = bearer(ctx);
    return gateway.store().room(slug).compose(room -> Secrets.matches(key, room.moderatorKeyHash())
        || Secrets.matches(key, room.speakerKeyHash())
        ? Future.succeededFuture(room)
        : Future.failedFuture(ErrorCode.UNAUTHORIZED.failure("speaker or moderator key required")));
  }

  private Future<Frames.Room> wireRoom(RoomInfo room) {
    return gateway.rooms().online(room.slug()).map(online ->
        new Frames.Room(room.slug(), room.hashtag(), room.title(), room.status(), online, room.posts()));
  }

  /**
   * The client's address: the peer's, or behind a trusted proxy the last address its
   * X-Forwarded-For names that is not itself a trusted proxy (the entry our own proxy appended).
   */
  private String clientAddress(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress().hostAddress();
    List<String> proxies = gateway.config().trustedProxies();
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded == null || !proxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !proxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }

  private static String slug(RoutingContext ctx) {
    return ctx.pathParam("slug").toLowerCase(Locale.ROOT);
  }

  private static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private JsonNode json(RoutingContext ctx) {
    String body = ctx.body().asString();
    return body == null || body.isBlank() ? gateway.codec().readObject("{}") : gateway.codec().readObject(body);
  }

  private static String text(JsonNode req, String field) {
    JsonNode v = req.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || Text.hasLoneSurrogate(v.textValue())) {
      throw ErrorCode.INVALID.failure(field + " must be a string of Unicode text");
    }
    return v.textValue();
  }

  private void respond(RoutingContext ctx, int status, Future<?> result) {
    result.onSuccess(body -> ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .end(gateway.codec().write(body)))
        .onFailure(e -> fail(ctx, e));
  }

  private void fail(RoutingContext ctx, Throwable e) {
    Failure f = e instanceof Failure failure ? failure : ErrorCode.UNAVAILABLE.failure("the store did not answer");
    fail(ctx, f.code().httpStatus(), f);
  }

  private void fail(RoutingContext ctx, int status, Failure f) {
    if (ctx.response().ended()) {
      return;
    }
    gateway.metrics().error(f.code());
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(gateway.codec().errorBody(f));
  }

  private static Failure statusFailure(int status) {
    return switch (status) {
      case 413 -> ErrorCode.TOO_LARGE.failure("body too large");
      case 401 -> ErrorCode.UNAUTHORIZED.failure("unauthorized");
      case 403 -> ErrorCode.FORBIDDEN.failure("forbidden");
      case 404 -> ErrorCode.NOT_FOUND.failure("not found");
      case 400 -> ErrorCode.INVALID.failure("bad request");
      default -> ErrorCode.UNAVAILABLE.failure("server error");
    };
  }

  record Links(String audience, String dashboard, String moderate) {}

  record CreatedRoom(String slug, String hashtag, String title, String status, String speakerKey,
      String moderatorKey, Links links) {}

  record Joined(String token, JoinedParticipant participant) {}

  record JoinedParticipant(String id, String nick) {}

  record PostList(List<Post> posts) {}

  record Closed(String slug, String status) {}

  record ExportedParticipant(String id, String nick, @JsonSerialize(using = TwoDecimals.class) double karma,
      boolean banned) {}

  record ExportBody(Frames.Room room, List<Post> posts, List<RoomExport.ExportedRating> ratings,
      List<ExportedParticipant> participants) {}
}
