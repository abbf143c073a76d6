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
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * The generator's view of a server: the HTTP calls of PROTOCOL.md it needs (create a room, join)
 * and WebSocket upgrades on {@code /ws}, against any {@code --target} URL.
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
    return request(HttpMethod.POST, "/api/rooms", organizerKey, body, 201)
        .map(j -> new RoomKeys(j.getString("slug"), j.getString("speakerKey"), j.getString("moderatorKey")));
  }

  Future<Joined> join(String slug, String nick) {
    String body = nick == null ? "{}" : new JsonObject().put("nick", nick).encode();
    return request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, body, 201)
        .map(j -> new Joined(j.getString("token"), j.getJsonObject("participant").getString("id")));
  }

  /** Opens a WebSocket on {@code /ws}; its callbacks run on the caller's context. */
  Future<WebSocket> connect() {
    return ws.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setSsl(tls).setURI("/ws"));
  }

  private Future<JsonObject> request(HttpMethod method, String path, String bearer, String body, int expected) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (bearer != null) {
      options.putHeader("Authorization", "Bearer " + bearer);
    }
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
