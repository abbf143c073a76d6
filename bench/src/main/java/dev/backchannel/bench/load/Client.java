package dev.backchannel.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator's view of a server: the HTTP calls of PROTOCOL.md it needs (create a room, join,
 * list a room's posts) and WebSocket upgrades on {@code /ws}, against any {@code --target} URL.
 */
final class Client implements AutoCloseable {

  /** The 201 answer of {@code POST /api/rooms}. */
  record RoomKeys(String slug, String speakerKey, String moderatorKey) {}

  /** The 201 answer of a join. */
  record Joined(String token, String participantId) {}

  /** An HTTP answer other than the expected one. */
  static final class HttpFailure extends RuntimeException {
    final int status;

    HttpFailure(int status, String body) {
      super("HTTP " + status + ": " + body);
      this.status = status;
    }
  }

  private final String host;
  private final int port;
  private final boolean tls;
  private final String organizerKey;
  private final HttpClient http;
  private final WebSocketClient ws;

  Client(Vertx vertx, String target, String organizerKey) {
    URI uri = URI.create(target);
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("--target must be an http:// or https:// URL, got '" + target + "'");
    }
    this.tls = "https".equals(uri.getScheme());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    this.organizerKey = organizerKey;
    HttpClientOptions httpOptions = new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
        .setSsl(tls).setTrustAll(tls).setVerifyHost(false).setKeepAlive(true).setConnectTimeout(30_000);
    this.http = vertx.createHttpClient(httpOptions, new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
    WebSocketClientOptions wsOptions = new WebSocketClientOptions().setDefaultHost(host).setDefaultPort(port)
        .setSsl(tls).setTrustAll(tls).setVerifyHost(false).setConnectTimeout(30_000)
        .setMaxConnections(1_000_000)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(64 << 20);
    this.ws = vertx.createWebSocketClient(wsOptions);
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  Future<RoomKeys> createRoom(String hashtag, String title) {
    if (organizerKey == null || organizerKey.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException(
          "an organizer key is needed: --organizer-key=... or BACKCHANNEL_ORGANIZER_KEY"));
    }
    String body = new JsonObject().put("hashtag", hashtag).put("title", title).encode();
    RequestOptions options = options(HttpMethod.POST, "/api/rooms").putHeader("Authorization", "Bearer " + organizerKey);
    return request(options, body, 201)
        .map(j -> new RoomKeys(j.getString("slug"), j.getString("speakerKey"), j.getString("moderatorKey")));
  }

  Future<Joined> join(String slug, String nick) {
    return join(slug, nick, null);
  }

  /**
   * A join as a reverse proxy forwards it: a server that trusts this machine as a proxy takes
   * {@code forwardedFor} (when not null) as the client's address, so one generator can stand for
   * people on many networks.
   */
  Future<Joined> join(String slug, String nick, String forwardedFor) {
    String body = nick == null ? "{}" : new JsonObject().put("nick", nick).encode();
    RequestOptions options = options(HttpMethod.POST, "/api/rooms/" + slug + "/participants");
    if (forwardedFor != null) {
      options.putHeader("X-Forwarded-For", forwardedFor);
    }
    return request(options, body, 201)
        .map(j -> new Joined(j.getString("token"), j.getJsonObject("participant").getString("id")));
  }

  /** {@code GET /api/rooms/{slug}/posts?sort=...&limit=...}: the room's posts in that order. */
  Future<List<Frame.PostRef>> posts(String slug, String sort, int limit) {
    return request(options(HttpMethod.GET, "/api/rooms/" + slug + "/posts?sort=" + sort + "&limit=" + limit), "", 200)
        .map(j -> {
          List<Frame.PostRef> posts = new ArrayList<>();
          JsonArray all = j.getJsonArray("posts");
          for (int i = 0; i < all.size(); i++) {
            JsonObject p = all.getJsonObject(i);
            JsonObject author = p.getJsonObject("author");
            posts.add(new Frame.PostRef(p.getString("id"), author == null ? null : author.getString("id"),
                p.getString("text"), p.getInteger("ratings", -1), p.getDouble("score", Double.NaN), p.getString("status")));
          }
          return posts;
        });
  }

  /** Opens a WebSocket on {@code /ws}; its callbacks run on the caller's context. */
  Future<WebSocket> connect() {
    return ws.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setSsl(tls).setURI("/ws"));
  }

  private static RequestOptions options(HttpMethod method, String path) {
    return new RequestOptions().setMethod(method).setURI(path);
  }

  private Future<JsonObject> request(RequestOptions options, String body, int expected) {
    return http.request(options)
        .compose(req -> req.putHeader("Content-Type", "application/json").send(body)
            .compose(res -> res.body().compose(b -> res.statusCode() == expected
                ? Future.succeededFuture(new JsonObject(b))
                : Future.failedFuture(new HttpFailure(res.statusCode(), b.toString())))));
  }

  @Override
  public void close() {
    Run.await(Future.join(http.close(), ws.close()), 30);
  }
}
