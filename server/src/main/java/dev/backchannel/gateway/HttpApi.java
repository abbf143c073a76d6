package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.backchannel.model.Access;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Post;
import dev.backchannel.model.TwoDecimals;
import dev.backchannel.model.Verification;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.RoomExport;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.SettingsPatch;
import dev.backchannel.wire.Frames;
import dev.backchannel.wire.Text;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HTTP API of PROTOCOL.md: rooms, participants, listings, close, export and health; room
 * settings and the audit log ({@link RoomAdmin}) and invitations ({@link Invitations}) beside it.
 */
final class HttpApi {

  static final int MAX_BODY = 16 * 1024;
  private static final Pattern HASHTAG = Pattern.compile("#?[A-Za-z0-9_-]{2,64}");
  private static final int MAX_NICK = 32;
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final Gateway gateway;
  private final Clock clock = Clock.systemUTC();
  private final Replies replies;
  private final Callers callers;
  private final RoomDescriptions descriptions;
  private final SettingsRequest settings;
  private final Admittance admittance;
  private final RoomConsole console;

  HttpApi(Gateway gateway) {
    this.gateway = gateway;
    this.replies = new Replies(gateway);
    this.callers = new Callers(gateway);
    this.descriptions = new RoomDescriptions(gateway);
    this.settings = new SettingsRequest(gateway.config().oidcProviderNames(), gateway.config().scoring().networks(),
        gateway.sealer());
    this.admittance = new Admittance(gateway);
    this.console = new RoomConsole(gateway, callers, replies, descriptions, clock);
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    if (!gateway.config().corsOrigins().isEmpty()) {
      // Only the configured sites may call the API from a browser; without any, no CORS headers at all.
      router.route("/api/*").handler(CorsHandler.create()
          .addOrigins(gateway.config().corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE))
          .allowedHeaders(Set.of("Authorization", "Content-Type")));
    }
    router.post("/api/rooms").handler(body).handler(this::createRoom);
    router.get("/api/rooms/:slug").handler(this::room);
    router.post("/api/rooms/:slug/participants").handler(body).handler(this::join);
    router.get("/api/rooms/:slug/posts").handler(this::posts);
    router.get("/api/rooms/:slug/posts/:post/why").handler(this::why);
    router.post("/api/rooms/:slug/close").handler(this::close);
    router.get("/api/rooms/:slug/export").handler(this::export);
    new RoomAdmin(gateway, callers, replies, descriptions, settings, clock).mount(router, body);
    console.mount(router, body);
    new Invitations(gateway, callers, replies, clock).mount(router, body);
    router.get("/health").handler(this::ready);
    router.get("/health/ready").handler(this::ready);
    router.get("/health/live").handler(ctx -> json(ctx, 200, "{\"status\":\"ok\"}"));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(gateway.metrics().scrape()));
    for (String path : List.of("/api/rooms", "/api/rooms/:slug", "/api/rooms/:slug/participants",
        "/api/rooms/:slug/posts", "/api/rooms/:slug/posts/:post/why", "/api/rooms/:slug/close",
        "/api/rooms/:slug/export", "/api/rooms/:slug/audit", "/api/rooms/:slug/invites", "/api/rooms/:slug/links",
        "/api/rooms/:slug/keys", "/api/rooms/:slug/reopen")) {
      router.route(path).handler(ctx -> replies.fail(ctx, 405, ErrorCode.INVALID.failure("method not allowed here")));
    }
    new SignInRoutes(gateway).mount(router);
    router.route("/api/*").handler(ctx -> replies.fail(ctx, ErrorCode.NOT_FOUND.failure("no such endpoint")));
    // Handlers throw Failures; this turns them (and BodyHandler's 413) into the JSON error shape.
    router.route().failureHandler(ctx -> replies.fail(ctx, ctx.failure() != null ? ctx.failure()
        : statusFailure(ctx.statusCode())));
  }

  /** {@code POST /api/rooms}: a hashtag and title, and (an extension) any of the room's settings. */
  private void createRoom(RoutingContext ctx) {
    if (!callers.organizer(ctx)) {
      replies.fail(ctx, ErrorCode.UNAUTHORIZED.failure("organizer key required"));
      return;
    }
    JsonNode req = Requests.body(gateway, ctx);
    String hashtag = Requests.text(req, "hashtag");
    if (hashtag == null || !HASHTAG.matcher(hashtag).matches()) {
      throw ErrorCode.INVALID.failure("hashtag must be an optional # and 2-64 of A-Z a-z 0-9 _ -");
    }
    String tag = hashtag.startsWith("#") ? hashtag.substring(1) : hashtag;
    String title = Requests.text(req, "title");
    title = title == null ? "" : Text.clean(title);
    if (Text.length(title) > SettingsRequest.MAX_TITLE) {
      throw ErrorCode.INVALID.failure("title must be at most " + SettingsRequest.MAX_TITLE + " characters");
    }
    SettingsPatch patch = settings.parse(req, null);
    String slug = tag.toLowerCase(Locale.ROOT);
    String speakerKey = Secrets.newKey();
    String moderatorKey = Secrets.newKey();
    String shownTitle = title.isEmpty() ? "#" + tag : title;
    Map<String, JsonNode> fields = new LinkedHashMap<>(patch.fields());
    fields.putAll(console.sealedKeys(speakerKey, moderatorKey).fields());
    replies.respond(ctx, 201, gateway.store()
        .createRoom(new NewRoom(slug, "#" + tag, shownTitle, Secrets.hash(speakerKey), Secrets.hash(moderatorKey)))
        .compose(room -> gateway.store().configure(slug, new SettingsPatch(fields)))
        .map(room -> {
          gateway.log().event("room.created", "room", room.slug(), "access", room.settings().access().wire());
          return new CreatedRoom(room.slug(), room.hashtag(), room.title(), "open", room.settings().language(),
              room.settings().access(), speakerKey, moderatorKey, RoomConsole.Links.of(slug, speakerKey, moderatorKey),
              descriptions.settings(room));
        }));
  }

  /** {@code GET /api/rooms/{slug}}: public, with the settings when a staff key comes along. */
  private void room(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    replies.respond(ctx, 200, gateway.store().room(slug)
        .compose(room -> descriptions.describe(room, callers.isStaff(ctx, room))));
  }

  private void join(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    String address = ClientAddress.of(ctx, gateway.config());
    if (!gateway.joins().allow(address)) {
      throw ErrorCode.RATE_LIMITED.failure("too many joins from this address; try again in a minute");
    }
    JsonNode req = Requests.body(gateway, ctx);
    String nick = Requests.text(req, "nick");
    if (nick != null) {
      nick = Text.nick(nick);
      if (nick.isEmpty() || Text.length(nick) > MAX_NICK) {
        throw ErrorCode.INVALID.failure("nick must be 1-" + MAX_NICK + " characters");
      }
    }
    String network = ClientAddress.network(address, gateway.config());
    String name = nick;
    admittance.admit(slug, req, name, network)
        .onSuccess(admitted -> ctx.response().setStatusCode(admitted.created() ? 201 : 200)
            .putHeader("Content-Type", "application/json")
            .end(gateway.codec().write(new Joined(gateway.tokens().issue(slug, admitted.participant().id()),
                new JoinedParticipant(admitted.participant().id(), admitted.participant().nick())))))
        .onFailure(e -> replies.fail(ctx, e));
  }

  private void posts(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    String sort = ctx.queryParams().get("sort");
    PostOrder order = sort == null ? PostOrder.TOP : PostOrder.parse(sort)
        .orElseThrow(() -> ErrorCode.INVALID.failure("sort must be top, divergent or new"));
    int limit = Requests.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    replies.respond(ctx, 200, gateway.store().list(slug, order, limit).map(PostList::new));
  }

  private void close(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    replies.respond(ctx, 200, callers.moderator(ctx, slug)
        .compose(room -> gateway.store().close(slug))
        .compose(v -> gateway.store().audit(slug, new AuditEntry(clock.instant(), "moderator", "close", null, null, null)))
        .map(v -> {
          gateway.log().event("room.closed", "room", slug);
          return new Closed(slug, "closed");
        }));
  }

  private void export(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    String format = ctx.queryParams().get("format");
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"json".equals(format)) {
      throw ErrorCode.INVALID.failure("format must be json or csv");
    }
    Future<RoomExport> export = callers.moderator(ctx, slug).compose(room -> gateway.store().export(slug));
    if (csv) {
      export.onSuccess(e -> ctx.response().setStatusCode(200)
              .putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"" + slug + ".csv\"")
              .end(CsvExport.write(e.posts())))
          .onFailure(e -> replies.fail(ctx, e));
      return;
    }
    replies.respond(ctx, 200, export.compose(e -> gateway.store().auditLog(slug).compose(audit ->
        descriptions.describe(e.room(), true).map(room -> new ExportBody(room, e.posts(), e.ratings(),
            e.participants().stream().map(p -> new ExportedParticipant(p.id(), p.nick(), p.karma(), p.banned(),
                p.verified())).toList(), audit)))));
  }

  /** "Why is this post here?": the score's ingredients, for the speaker and moderators. */
  private void why(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    String post = ctx.pathParam("post");
    replies.respond(ctx, 200, callers.staff(ctx, slug).compose(room -> gateway.rooms().why(slug, post)));
  }

  /** Ready: the store answers. (Live, by contrast, only says the event loop runs.) */
  private void ready(RoutingContext ctx) {
    gateway.store().ping().onComplete(ping -> json(ctx, ping.succeeded() ? 200 : 503,
        ping.succeeded() ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}"));
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
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

  record CreatedRoom(String slug, String hashtag, String title, String status, String language, Access access,
      String speakerKey, String moderatorKey, RoomConsole.Links links, Frames.Settings settings) {}

  record Joined(String token, JoinedParticipant participant) {}

  record JoinedParticipant(String id, String nick) {}

  record PostList(List<Post> posts) {}

  record Closed(String slug, String status) {}

  record ExportedParticipant(String id, String nick, @JsonSerialize(using = TwoDecimals.class) double karma,
      boolean banned, Verification verified) {}

  record ExportBody(Frames.Room room, List<Post> posts, List<RoomExport.ExportedRating> ratings,
      List<ExportedParticipant> participants, List<AuditEntry> audit) {}
}
