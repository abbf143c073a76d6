package dev.backchannel.cluster;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A participant's phone as the protocol expects clients to behave under faults: it keeps every
 * command until it is acknowledged, retries refused and unanswered ones with the same {@code cid},
 * and reconnects (to whichever node is given) with {@code since}. It also keeps what the room looks
 * like from the {@code welcome} and {@code posts} frames alone, so tests can check that survivors and
 * resumed clients see every acknowledged change. Driven from the test thread; frames are queued by
 * Vert.x and handled in {@link #pump}.
 */
final class Phone implements AutoCloseable {

  /** A command this phone sent: what it asked for, and the ack once there is one. */
  static final class Sent {
    final String cid;
    final JsonObject frame;
    JsonObject ack;
    /** When {@link #ack} came off the socket ({@link System#nanoTime}). */
    long ackNanos;

    Sent(String cid, JsonObject frame) {
      this.cid = cid;
      this.frame = frame;
    }
  }

  /**
   * A frame and when it came off the socket: stamped on the Vert.x thread, so the test's own pace
   * (it handles frames only when it pumps) does not make acks look younger than they are.
   */
  private record Arrival(JsonObject frame, long nanos) {}

  private final Vertx vertx;
  final String name;
  final String slug;
  final String token;
  final String id;
  private WebSocketClient client;
  private WebSocket ws;
  private volatile boolean closed = true;
  private BlockingQueue<Arrival> inbox = new LinkedBlockingQueue<>();
  private int counter;

  /** Every command in the order it was first sent. */
  final List<Sent> log = new ArrayList<>();
  /** Commands still waiting for their ack, in send order (a refused one stays until its retry is acked). */
  final LinkedHashMap<String, Sent> pending = new LinkedHashMap<>();
  /** Commands whose last answer was {@code unavailable} and that are not yet re-sent. */
  final Map<String, Sent> refused = new HashMap<>();
  /** The room as this phone's welcome and posts frames show it: post id to latest post. */
  final Map<String, JsonObject> view = new HashMap<>();
  /** Errors other than {@code unavailable}: a fault test expects none. */
  final List<JsonObject> otherErrors = new ArrayList<>();
  long seq = -1;
  int unavailable;
  int acks;
  JsonObject lastWelcome;

  Phone(Vertx vertx, String name, String slug, JsonObject joined) {
    this.vertx = vertx;
    this.name = name;
    this.slug = slug;
    this.token = joined.getString("token");
    this.id = joined.getJsonObject("participant").getString("id");
  }

  /**
   * Opens a socket to the node on {@code port}, says hello (with {@code since} once the phone has
   * seen the room), takes the welcome and re-sends every unacknowledged command in order.
   */
  JsonObject connect(int port) {
    if (client != null) {
      client.close(); // the socket of a dead node
    }
    client = vertx.createWebSocketClient();
    BlockingQueue<Arrival> queue = new LinkedBlockingQueue<>();
    inbox = queue;
    closed = false;
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")
        .setAllowOriginHeader(false);
    ws = TestServer.await(client.connect(options).map(socket -> {
      socket.textMessageHandler(text -> queue.add(new Arrival(new JsonObject(text), System.nanoTime())));
      socket.closeHandler(v -> closed = true);
      return socket;
    }));
    JsonObject hello = new JsonObject().put("type", "hello").put("room", slug).put("token", token);
    if (seq >= 0) {
      hello.put("since", seq);
    }
    write(hello);
    awaitWelcome(queue);
    for (Sent s : List.copyOf(pending.values())) {
      refused.remove(s.cid);
      write(s.frame);
    }
    return lastWelcome;
  }

  /** Takes frames until the welcome, handling anything else; a refused hello fails the test. */
  private void awaitWelcome(BlockingQueue<Arrival> queue) {
    long deadline = System.nanoTime() + TestServer.TIMEOUT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Arrival a;
      try {
        a = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (a == null) {
        throw new AssertionError(name + ": no welcome within " + TestServer.TIMEOUT);
      }
      JsonObject f = a.frame();
      if ("welcome".equals(f.getString("type"))) {
        lastWelcome = f;
        f.getJsonArray("posts").forEach(p -> merge((JsonObject) p));
        seq = Math.max(seq, f.getLong("seq"));
        return;
      }
      if ("error".equals(f.getString("type")) && f.getString("cid") == null) {
        throw new AssertionError(name + ": hello refused: " + f);
      }
      handle(a);
    }
  }

  /** Sends a rating; {@code value} null withdraws it. */
  Sent rate(String postId, Integer value) {
    JsonObject frame = new JsonObject().put("type", "rate").put("cid", nextCid()).put("post", postId).put("value", value);
    return send(frame);
  }

  Sent post(String text) {
    return send(new JsonObject().put("type", "post").put("cid", nextCid()).put("text", text));
  }

  private String nextCid() {
    return name + "-" + (++counter);
  }

  private Sent send(JsonObject frame) {
    Sent s = new Sent(frame.getString("cid"), frame);
    log.add(s);
    pending.put(s.cid, s);
    write(frame);
    return s;
  }

  /** Sends a command again exactly as before: same cid, same content. */
  void resend(Sent s) {
    refused.remove(s.cid);
    pending.putIfAbsent(s.cid, s);
    write(s.frame);
  }

  /**
   * Re-sends every command whose last answer was {@code unavailable}, in the order they were first
   * sent (errors may arrive in another order: each times out on its own); returns how many.
   */
  int retryRefused() {
    List<Sent> again = log.stream().filter(s -> refused.containsKey(s.cid)).toList();
    again.forEach(this::resend);
    return again.size();
  }

  void write(JsonObject frame) {
    TestServer.await(ws.writeTextMessage(frame.encode()));
  }

  boolean isClosed() {
    return closed || ws.isClosed();
  }

  /** Handles the frames that arrive within {@code wait} (at least those already queued). */
  void pump(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Arrival a;
      try {
        long left = deadline - System.nanoTime();
        a = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : inbox.poll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (a == null) {
        return;
      }
      handle(a);
    }
  }

  /** Waits for a {@code pong}, handling whatever comes before it: proof the socket is alive. */
  boolean pingPong() {
    write(new JsonObject().put("type", "ping"));
    long deadline = System.nanoTime() + TestServer.TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Arrival a;
      try {
        a = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (a == null) {
        return false;
      }
      if ("pong".equals(a.frame().getString("type"))) {
        return true;
      }
      handle(a);
    }
    return false;
  }

  private void handle(Arrival a) {
    JsonObject f = a.frame();
    switch (String.valueOf(f.getString("type"))) {
      case "ack" -> {
        Sent s = pending.remove(f.getString("cid"));
        acks++;
        if (s != null) {
          s.ack = f;
          s.ackNanos = a.nanos();
        }
        refused.remove(f.getString("cid"));
      }
      case "error" -> {
        if ("unavailable".equals(f.getString("code")) && f.getString("cid") != null) {
          unavailable++;
          Sent s = pending.get(f.getString("cid"));
          if (s != null) {
            refused.put(s.cid, s);
          }
        } else {
          otherErrors.add(f);
        }
      }
      case "posts" -> {
        f.getJsonArray("posts").forEach(p -> merge((JsonObject) p));
        seq = Math.max(seq, f.getLong("seq"));
      }
      default -> {
        // presence and the like
      }
    }
  }

  private void merge(JsonObject post) {
    view.put(post.getString("id"), post);
  }

  /** The final value this phone asked for on each post it rated, in send order (null: withdrawn). */
  Map<String, Integer> intended() {
    Map<String, Integer> out = new HashMap<>();
    for (Sent s : log) {
      if ("rate".equals(s.frame.getString("type"))) {
        out.put(s.frame.getString("post"), s.frame.getInteger("value"));
      }
    }
    return out;
  }

  /** How many of this phone's rate commands change something when applied once each, in order. */
  int effectiveRatingChanges() {
    Map<String, Integer> current = new HashMap<>();
    int changes = 0;
    for (Sent s : log) {
      if ("rate".equals(s.frame.getString("type"))) {
        String post = s.frame.getString("post");
        Integer value = s.frame.getInteger("value");
        if (!Objects.equals(current.get(post), value)) {
          changes++;
        }
        current.put(post, value);
      }
    }
    return changes;
  }

  @Override
  public void close() {
    if (ws != null && !ws.isClosed()) {
      ws.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
