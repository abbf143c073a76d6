package dev.backchannel.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One room on a {@link TestServer} as the room-flow tests drive it: joins participants, opens
 * participant and staff sockets, sends commands with fresh cids and waits for their answers.
 * Every socket it opens is closed with it.
 */
final class RoomFlow implements AutoCloseable {

  /** A participant: the join answer and the socket opened with its token. */
  record Member(String id, String token, TestSocket socket, JsonObject welcome) {}

  private static final AtomicInteger CIDS = new AtomicInteger();

  final TestServer server;
  final String slug;
  final String speakerKey;
  final String moderatorKey;
  private final List<TestSocket> sockets = new ArrayList<>();
  /** The welcome of the last staff socket {@link #staff} opened. */
  JsonObject lastWelcome;

  private RoomFlow(TestServer server, JsonObject created) {
    this.server = server;
    this.slug = created.getString("slug");
    this.speakerKey = created.getString("speakerKey");
    this.moderatorKey = created.getString("moderatorKey");
  }

  /** Creates a room for {@code hashtag} on {@code server}. */
  static RoomFlow create(TestServer server, String hashtag) {
    return new RoomFlow(server, server.createRoom(hashtag));
  }

  /** Joins a participant over HTTP and opens their socket (no {@code since}). */
  Member join(String nick) {
    JsonObject joined = server.join(slug, nick);
    String id = joined.getJsonObject("participant").getString("id");
    String token = joined.getString("token");
    TestSocket socket = socket();
    JsonObject welcome = socket.helloToken(slug, token);
    return new Member(id, token, socket, welcome);
  }

  /** Opens one more socket for a participant's token; {@code since} null means a fresh snapshot. */
  Member reconnect(Member m, Long since) {
    TestSocket socket = socket();
    JsonObject hello = new JsonObject().put("type", "hello").put("room", slug).put("token", m.token());
    if (since != null) {
      hello.put("since", since);
    }
    socket.send(hello);
    return new Member(m.id(), m.token(), socket, socket.next("welcome"));
  }

  /** Opens a staff socket and returns it right after its welcome (the welcome is in {@link #lastWelcome}). */
  TestSocket staff(String key) {
    TestSocket socket = socket();
    lastWelcome = socket.helloKey(slug, key);
    return socket;
  }

  private TestSocket socket() {
    TestSocket s = server.socket();
    sockets.add(s);
    return s;
  }

  /** Sends a command with a fresh cid and returns its answer ({@code ack} or {@code error}), skipping other frames. */
  static JsonObject command(TestSocket s, JsonObject command) {
    String cid = "c" + CIDS.incrementAndGet();
    s.send(command.copy().put("cid", cid));
    return s.next(f -> cid.equals(f.getString("cid")), "the answer to " + cid);
  }

  /** Posts and returns the answer frame. */
  static JsonObject tryPost(TestSocket s, String text, String replyTo) {
    return command(s, new JsonObject().put("type", "post").put("text", text).put("replyTo", replyTo));
  }

  /** Posts and returns the acknowledged post. */
  static JsonObject post(TestSocket s, String text) {
    return ackedPost(tryPost(s, text, null));
  }

  /** Rates and returns the answer frame; {@code value} null withdraws. */
  static JsonObject tryRate(TestSocket s, String postId, Integer value) {
    return command(s, new JsonObject().put("type", "rate").put("post", postId).put("value", value));
  }

  /** Rates and returns the acknowledged post. */
  static JsonObject rate(TestSocket s, String postId, Integer value) {
    return ackedPost(tryRate(s, postId, value));
  }

  /** Marks (staff) and returns the answer frame. */
  static JsonObject tryMark(TestSocket s, String postId, String status) {
    return command(s, new JsonObject().put("type", "mark").put("post", postId).put("status", status));
  }

  /** Marks (staff) and returns the acknowledged post. */
  static JsonObject mark(TestSocket s, String postId, String status) {
    return ackedPost(tryMark(s, postId, status));
  }

  private static JsonObject ackedPost(JsonObject answer) {
    assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("ack");
    assertThat(answer.getJsonObject("post")).as("ack %s carries the post", answer).isNotNull();
    return answer.getJsonObject("post");
  }

  /** The error code of an answer, failing when it is not an error. */
  static String errorCode(JsonObject answer) {
    assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("error");
    return answer.getString("code");
  }

  /** The next {@code posts} frame that holds the post {@code id} in a state matching {@code test}. */
  static JsonObject nextPosts(TestSocket s, String id, Predicate<JsonObject> test, String what) {
    return s.next(f -> "posts".equals(f.getString("type")) && find(f.getJsonArray("posts"), id) != null
        && test.test(find(f.getJsonArray("posts"), id)), "a posts frame where " + id + " " + what);
  }

  /** The post with {@code id} in a list of posts, or null. */
  static JsonObject find(JsonArray posts, String id) {
    for (int i = 0; i < posts.size(); i++) {
      JsonObject p = posts.getJsonObject(i);
      if (id.equals(p.getString("id"))) {
        return p;
      }
    }
    return null;
  }

  /** The ids of a list of posts, in order. */
  static List<String> ids(JsonArray posts) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < posts.size(); i++) {
      out.add(posts.getJsonObject(i).getString("id"));
    }
    return out;
  }

  /** Frames of {@code type} among those that arrive within {@code window}. */
  static List<JsonObject> drain(TestSocket s, String type, Duration window) {
    return s.drain(window).stream().filter(f -> type.equals(f.getString("type"))).toList();
  }

  /** {@code GET /api/rooms/{slug}/posts?sort=...&limit=200}: the listed posts. */
  JsonArray listing(String sort) {
    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/" + slug + "/posts?sort=" + sort + "&limit=200", null, null);
    assertThat(r.status()).as("listing %s", r.body()).isEqualTo(200);
    return r.json().getJsonArray("posts");
  }

  /** {@code GET /api/rooms/{slug}}. */
  JsonObject roomInfo() {
    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/" + slug, null, null);
    assertThat(r.status()).as("room %s", r.body()).isEqualTo(200);
    return r.json();
  }

  @Override
  public void close() {
    sockets.forEach(TestSocket::close);
  }
}
