package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared set-up for the WebSocket tests: fresh rooms, joined participants and sockets that are all
 * closed with the fixture, plus builders for the protocol's command frames.
 */
final class SocketFixture implements AutoCloseable {

  private static final AtomicInteger ROOMS = new AtomicInteger();

  private final TestServer server;
  private final List<TestSocket> opened = new ArrayList<>();

  SocketFixture(TestServer server) {
    this.server = server;
  }

  /** A room created over HTTP, with the secrets its staff use. */
  record Room(String slug, String hashtag, String speakerKey, String moderatorKey) {}

  /** A participant as the join call returns them. */
  record Member(String id, String nick, String token) {}

  /** A room with a hashtag no other test uses, so limits and posts never leak between tests. */
  Room room(String prefix) {
    JsonObject body = server.createRoom("#" + prefix + "-" + ROOMS.incrementAndGet());
    return new Room(body.getString("slug"), body.getString("hashtag"), body.getString("speakerKey"),
        body.getString("moderatorKey"));
  }

  Member join(Room room, String nick) {
    JsonObject body = server.join(room.slug(), nick);
    JsonObject p = body.getJsonObject("participant");
    return new Member(p.getString("id"), p.getString("nick"), body.getString("token"));
  }

  /** A socket that has not said hello yet. */
  TestSocket open() {
    return track(server.socket());
  }

  /** A participant's socket, past its welcome. */
  TestSocket participant(Room room, Member member) {
    TestSocket s = open();
    s.helloToken(room.slug(), member.token());
    return s;
  }

  /** A staff socket (speaker or moderator key), past its welcome. */
  TestSocket staff(Room room, String key) {
    TestSocket s = open();
    s.helloKey(room.slug(), key);
    return s;
  }

  TestSocket track(TestSocket s) {
    opened.add(s);
    return s;
  }

  /** Sends a command and returns the ack or error that names its cid. */
  static JsonObject call(TestSocket s, JsonObject command) {
    String cid = command.getString("cid");
    s.send(command);
    return answer(s, cid);
  }

  /** The next ack or error carrying {@code cid}, skipping broadcasts. */
  static JsonObject answer(TestSocket s, String cid) {
    return s.next(f -> cid.equals(f.getString("cid")), "an answer to cid " + cid);
  }

  /** Sends a command that must be acknowledged and returns the ack. */
  static JsonObject ack(TestSocket s, JsonObject command) {
    JsonObject answer = call(s, command);
    assertThat(answer.getString("type")).as("answer to %s", command).isEqualTo("ack");
    return answer;
  }

  /** Sends a command that must be refused with {@code code} and returns the error. */
  static JsonObject refused(TestSocket s, JsonObject command, String code) {
    JsonObject answer = call(s, command);
    assertThat(answer.getString("type")).as("answer to %s: %s", command, answer).isEqualTo("error");
    assertThat(answer.getString("code")).as("error for %s: %s", command, answer).isEqualTo(code);
    assertThat(answer.getString("cid")).isEqualTo(command.getString("cid"));
    return answer;
  }

  static JsonObject post(String cid, String text) {
    return new JsonObject().put("type", "post").put("cid", cid).put("text", text).putNull("replyTo");
  }

  static JsonObject rate(String cid, String postId, Integer value) {
    return new JsonObject().put("type", "rate").put("cid", cid).put("post", postId).put("value", value);
  }

  static JsonObject mark(String cid, String postId, String status) {
    return new JsonObject().put("type", "mark").put("cid", cid).put("post", postId).put("status", status);
  }

  static JsonObject ban(String cid, String participantId) {
    return new JsonObject().put("type", "ban").put("cid", cid).put("participant", participantId);
  }

  static JsonObject ping() {
    return new JsonObject().put("type", "ping");
  }

  /** Proves a socket is still open and served: a ping is answered with a pong. */
  static void assertServed(TestSocket s) {
    s.send(ping());
    s.next("pong");
    assertThat(s.isClosed()).isFalse();
  }

  /**
   * Opens a socket that sends no Origin header at all (a non-browser client) and returns the
   * failure, or null when the upgrade was accepted.
   */
  static Throwable withoutOrigin(Vertx vertx, int port) {
    return TestSocket.refusal(vertx, port, null);
  }


  /** The room's public listing, newest first. */
  JsonArray listedPosts(Room room) {
    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/" + room.slug() + "/posts?sort=new&limit=200", null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("posts");
  }

  @Override
  public void close() {
    opened.forEach(TestSocket::close);
    opened.clear();
  }
}
