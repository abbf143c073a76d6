package dev.backchannel.testing;

import dev.backchannel.config.Config;
import dev.backchannel.config.ConfigLoader;
import dev.backchannel.gateway.Backchannel;
import dev.backchannel.gateway.EventLog;
import dev.backchannel.metrics.ServerMetrics;
import dev.backchannel.store.Store;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server on a free port for tests, with a small blocking HTTP helper. Blocking is fine here:
 * the test thread is not an event loop.
 */
public final class TestServer implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  /**
   * Set to {@code redis} (the build's second test run does) to run the same end-to-end tests on
   * the Redis store, against one redis-server of the test JVM's own; to {@code embedded} (the third
   * run) for the embedded store, each server with a data directory of its own.
   */
  public static final String STORE_PROPERTY = "backchannel.test.store";

  private final Vertx vertx;
  private final Backchannel app;
  private final HttpClient http;

  private TestServer(Vertx vertx, Backchannel app) {
    this.vertx = vertx;
    this.app = app;
    this.http = vertx.createHttpClient();
  }

  /** Starts a server on port 0 with the given flags (e.g. {@code "--broadcast-interval-ms=50"}). */
  public static TestServer start(Vertx vertx, String... flags) {
    return start(vertx, null, flags);
  }

  /** A server whose event log goes to {@code log} (null: standard output). */
  public static TestServer start(Vertx vertx, EventLog log, String... flags) {
    List<String> all = new ArrayList<>(List.of("--port=0", "--host=127.0.0.1", "--organizer-key=test-organizer-key-0123"));
    if ("redis".equals(System.getProperty(STORE_PROPERTY))) {
      all.addAll(List.of("--store=redis", "--redis-uri=" + SharedRedis.uri()));
    } else if ("embedded".equals(System.getProperty(STORE_PROPERTY))) {
      all.addAll(List.of("--store=embedded", "--data-dir=" + DataDirs.fresh()));
    }
    all.addAll(List.of(flags));
    Config config = new ConfigLoader().load(all, Map.of());
    return new TestServer(vertx, await(log == null ? Backchannel.start(vertx, config)
        : Backchannel.start(vertx, config, ServerMetrics.standalone(), log)));
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return app.port();
  }

  public String organizerKey() {
    return app.organizerKey();
  }

  /** The server's store, under its timings (a test of one engine reaches the engine through it). */
  public Store store() {
    return app.store();
  }

  /** Creates a room and returns the 201 body (slug, keys, links). */
  public JsonObject createRoom(String hashtag) {
    Response r = request(HttpMethod.POST, "/api/rooms", organizerKey(), new JsonObject().put("hashtag", hashtag).encode());
    if (r.status() != 201) {
      throw new AssertionError("room not created: " + r.status() + " " + r.body());
    }
    return r.json();
  }

  /** Joins a room and returns the 201 body (token, participant). */
  public JsonObject join(String slug, String nick) {
    JsonObject body = nick == null ? new JsonObject() : new JsonObject().put("nick", nick);
    Response r = request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, body.encode());
    if (r.status() != 201) {
      throw new AssertionError("join failed: " + r.status() + " " + r.body());
    }
    return r.json();
  }

  /** Sends a request; {@code bearer} and {@code body} may be null. */
  public Response request(HttpMethod method, String path, String bearer, String body) {
    return request(method, path, bearer, body, Map.of());
  }

  public Response request(HttpMethod method, String path, String bearer, String body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port()).setURI(path);
    if (bearer != null) {
      options.putHeader("Authorization", "Bearer " + bearer);
    }
    headers.forEach(options::putHeader);
    // body() is asked for inside the send callback: chained after it from this (non-Vert.x) thread,
    // the body could arrive before anyone asked for it and the future would never complete.
    Future<Response> response = http.request(options).compose(req ->
        (body == null ? req.send() : req.putHeader("Content-Type", "application/json").send(body))
            .compose(res -> res.body().map(b -> new Response(res.statusCode(), res.headers(), b))));
    return await(response);
  }

  /** Opens a WebSocket to {@code /ws}. */
  public TestSocket socket() {
    return TestSocket.open(vertx, port(), null);
  }

  /** Opens a WebSocket with an Origin header. */
  public TestSocket socket(String origin) {
    return TestSocket.open(vertx, port(), origin);
  }

  @Override
  public void close() {
    await(http.close());
    await(app.stop());
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete: " + e, e);
    }
  }

  /** One redis-server for the whole test JVM, started on first use and killed when the JVM exits. */
  private static final class SharedRedis {
    private static final RedisServer SERVER = start();

    private static RedisServer start() {
      RedisServer server = RedisServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      return server;
    }

    static String uri() {
      return SERVER.uri();
    }
  }

  /** Data directories of the embedded store, one per server, removed when the JVM exits. */
  private static final class DataDirs {
    private static final Path ROOT = root();

    private static Path root() {
      try {
        Path root = Files.createTempDirectory("backchannel-test-data");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          } catch (IOException e) {
            // a leftover temp directory is harmless
          }
        }));
        return root;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Path fresh() {
      try {
        return Files.createTempDirectory(ROOT, "server");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** An HTTP answer. */
  public record Response(int status, MultiMap headers, Buffer raw) {
    public String contentType() {
      return headers.get("Content-Type");
    }

    public String body() {
      return raw.toString();
    }

    public JsonObject json() {
      return new JsonObject(raw);
    }

    /** The {@code error.code} of an error body. */
    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }

  }
}
