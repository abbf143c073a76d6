package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.RawWebSocket;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A phone that stops reading (a tunnel, a frozen tab) must cost the others nothing: its batches
 * are skipped while its queue is full, it is caught up when it reads again, and it is closed if it
 * stays stuck.
 */
class SlowConsumerTest {

  private static final int POSTS = 40;
  private static final AtomicInteger ROOMS = new AtomicInteger();
  private static final String LONG_TEXT = "x".repeat(480);

  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    TestServer.await(vertx.close());
  }

  @Test
  void aSocketThatStaysStuckIsClosedWhileTheOthersGetEverything() throws Exception {
    server = TestServer.start(vertx, "--stall-seconds=1", "--socket-send-buffer-bytes=8192", "--broadcast-interval-ms=10", "--posts-per-window=100000",
        "--ratings-per-second=100000", "--rating-burst=100000", "--frames-per-second=100000", "--frame-burst=100000");
    Room room = new Room(server);
    RawWebSocket slow = RawWebSocket.connect(server.port(), 2048);
    slow.sendText(hello(room.slug, room.token("Slow")));
    // ...and from now on it reads nothing.

    room.flood(2000);

    // The stuck socket is gone on the server's side: no participant of it is counted any more.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (room.online() > 4 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(room.online()).as("the stuck socket was dropped; author, raters and the late one remain").isEqualTo(4);
    room.assertListenerHasFinalState();
    assertThat(slow.awaitClose()).as("the stuck socket, once it reads again").isIn(1008, 1006);
    slow.close();
  }

  @Test
  void aSocketThatReadsAgainIsCaughtUpToTheLatestState() throws Exception {
    server = TestServer.start(vertx, "--stall-seconds=60", "--socket-send-buffer-bytes=8192", "--broadcast-interval-ms=10", "--posts-per-window=100000",
        "--ratings-per-second=100000", "--rating-burst=100000", "--frames-per-second=100000", "--frame-burst=100000");
    Room room = new Room(server);
    RawWebSocket slow = RawWebSocket.connect(server.port(), 2048);
    slow.sendText(hello(room.slug, room.token("Slow")));

    room.flood(2000); // meanwhile the slow socket reads nothing

    // Now it reads again: what it ends up with must be the room's final state.
    Map<String, JsonObject> expected = room.finalState();
    Map<String, JsonObject> seen = new HashMap<>();
    while (!seen.equals(expected)) {
      RawWebSocket.Frame f = slow.readMessage();
      assertThat(f).as("the socket stays open").isNotNull();
      assertThat(f.opcode()).as("the socket stays open").isEqualTo(RawWebSocket.TEXT);
      JsonObject frame = new JsonObject(f.text());
      if ("welcome".equals(frame.getString("type")) || "posts".equals(frame.getString("type"))) {
        frame.getJsonArray("posts").forEach(p -> seen.put(((JsonObject) p).getString("id"), summary((JsonObject) p)));
      }
    }
    assertThat(seen).isEqualTo(expected);
    slow.close();
  }

  /** A room with an author, a crowd of raters and an ordinary listener. */
  private static final class Room {
    final TestServer server;
    final String slug;
    final List<TestSocket> raters = new ArrayList<>();
    final List<String> posts = new ArrayList<>();
    final TestSocket listener;
    int cids;

    Room(TestServer server) {
      this.server = server;
      this.slug = server.createRoom("#slow-" + ROOMS.incrementAndGet() + "-" + System.nanoTime() % 100_000).getString("slug");
      TestSocket author = server.socket();
      author.helloToken(slug, token("Author"));
      for (int i = 0; i < POSTS; i++) {
        author.send(new JsonObject().put("type", "post").put("cid", "p" + i).put("text", LONG_TEXT + i));
        posts.add(author.next("ack").getJsonObject("post").getString("id"));
      }
      for (int i = 0; i < 2; i++) {
        TestSocket rater = server.socket();
        rater.helloToken(slug, token("Rater" + i));
        raters.add(rater);
      }
      listener = raters.get(0);
    }

    String token(String nick) {
      return server.join(slug, nick).getString("token");
    }

    /**
     * Ratings in rounds of one per post, each round sent at once and its acks awaited, as an eager
     * but well-behaved crowd would: every batch carries many long posts.
     */
    void flood(int ratings) {
      for (int round = 0; round * POSTS < ratings; round++) {
        TestSocket rater = raters.get(round % raters.size());
        int value = (round / raters.size()) % 2 == 0 ? 5 : -5; // each rater flips its own ratings
        for (int i = 0; i < POSTS; i++) {
          rater.raw().writeTextMessage(new JsonObject().put("type", "rate").put("cid", "r" + (++cids))
              .put("post", posts.get(i)).put("value", value).encode());
        }
        String last = "r" + cids;
        JsonObject answer = rater.next(f -> last.equals(f.getString("cid")), "the answer to " + last);
        assertThat(answer.getString("type")).isEqualTo("ack");
      }
      // A last round by a newcomer: a state of the room that never existed before, so only a
      // socket that really got the latest changes can show it.
      TestSocket late = server.socket();
      late.helloToken(slug, token("Late"));
      for (int i = 0; i < POSTS; i++) {
        late.send(new JsonObject().put("type", "rate").put("cid", "late" + i).put("post", posts.get(i)).put("value", 3));
        late.next("ack");
      }
    }

    int online() {
      return server.request(HttpMethod.GET, "/api/rooms/" + slug, null, null).json().getInteger("online");
    }

    Map<String, JsonObject> finalState() {
      JsonArray list = server.request(HttpMethod.GET, "/api/rooms/" + slug + "/posts?sort=new&limit=200", null, null)
          .json().getJsonArray("posts");
      Map<String, JsonObject> out = new HashMap<>();
      list.forEach(p -> out.put(((JsonObject) p).getString("id"), summary((JsonObject) p)));
      return out;
    }

    void assertListenerHasFinalState() {
      Map<String, JsonObject> expected = finalState();
      Map<String, JsonObject> seen = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!seen.equals(expected) && System.nanoTime() < deadline) {
        JsonObject f = listener.next("posts");
        f.getJsonArray("posts").forEach(p -> seen.put(((JsonObject) p).getString("id"), summary((JsonObject) p)));
      }
      assertThat(seen).isEqualTo(expected);
    }
  }

  private static String hello(String slug, String token) {
    return new JsonObject().put("type", "hello").put("room", slug).put("token", token).encode();
  }

  static JsonObject summary(JsonObject post) {
    return new JsonObject().put("ratings", post.getInteger("ratings")).put("score", post.getDouble("score"));
  }

}
