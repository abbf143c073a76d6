package dev.backchannel.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests: every text frame the server sends is queued as JSON, and the
 * test thread takes them in order with a timeout.
 */
public final class TestSocket implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket ws;
  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final Promise<Short> closed = Promise.promise();

  private TestSocket(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
  }

  static TestSocket open(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    // Handlers are set on the event loop as the connection completes, so no early frame or close is lost.
    return TestServer.await(client.connect(options(port, origin)).map(ws -> new TestSocket(client, ws)));
  }

  /** Connect options; with no origin given, none is sent (Vert.x would otherwise add one). */
  private static WebSocketConnectOptions options(int port, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")
        .setAllowOriginHeader(origin != null);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return options;
  }

  /** Tries to open a socket and returns the failure (e.g. a refused upgrade), or null when it opened. */
  public static Throwable refusal(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      Future<WebSocket> f = client.connect(options(port, origin));
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).close();
      return null;
    } catch (Exception e) {
      return e.getCause() != null ? e.getCause() : e;
    } finally {
      client.close();
    }
  }

  public TestSocket send(JsonObject frame) {
    TestServer.await(ws.writeTextMessage(frame.encode()));
    return this;
  }

  public TestSocket sendText(String text) {
    TestServer.await(ws.writeTextMessage(text));
    return this;
  }

  public WebSocket raw() {
    return ws;
  }

  /** Sends hello for a participant and returns the welcome. */
  public JsonObject helloToken(String room, String token) {
    send(new JsonObject().put("type", "hello").put("room", room).put("token", token));
    return next("welcome");
  }

  /** Sends hello for staff and returns the welcome. */
  public JsonObject helloKey(String room, String key) {
    send(new JsonObject().put("type", "hello").put("room", room).put("key", key));
    return next("welcome");
  }

  /** The next frame of any type. */
  public JsonObject next() {
    return poll(TestServer.TIMEOUT);
  }

  /** The next frame of this type, skipping others (presence, dashboards, ...). */
  public JsonObject next(String type) {
    return next(f -> type.equals(f.getString("type")), "a '" + type + "' frame");
  }

  /** The next frame matching {@code test}, skipping others. */
  public JsonObject next(Predicate<JsonObject> test, String what) {
    long deadline = System.nanoTime() + TestServer.TIMEOUT.toNanos();
    List<JsonObject> skipped = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      JsonObject f = take(Duration.ofNanos(deadline - System.nanoTime()));
      if (f == null) {
        break;
      }
      if (test.test(f)) {
        return f;
      }
      skipped.add(f);
    }
    throw new AssertionError("no " + what + " arrived; skipped " + skipped);
  }

  /** Frames that arrive within {@code window}, in order. */
  public List<JsonObject> drain(Duration window) {
    List<JsonObject> out = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return out;
      }
      JsonObject f = take(Duration.ofNanos(left));
      if (f != null) {
        out.add(f);
      }
    }
  }

  /** The close code the server sent, waiting for it. */
  public short closeCode() {
    return TestServer.await(closed.future());
  }

  public boolean isClosed() {
    return ws.isClosed();
  }

  private JsonObject poll(Duration wait) {
    JsonObject f = take(wait);
    if (f == null) {
      throw new AssertionError("no frame within " + wait);
    }
    return f;
  }

  /** The next frame within {@code wait}, or null. */
  private JsonObject take(Duration wait) {
    try {
      return frames.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      ws.close();
    }
    client.close();
  }
}
