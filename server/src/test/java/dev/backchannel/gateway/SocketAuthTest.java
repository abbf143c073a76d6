package dev.backchannel.gateway;

import static dev.backchannel.gateway.SocketFixture.ack;
import static dev.backchannel.gateway.SocketFixture.assertServed;
import static dev.backchannel.gateway.SocketFixture.post;
import static dev.backchannel.gateway.SocketFixture.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.gateway.SocketFixture.Member;
import dev.backchannel.gateway.SocketFixture.Room;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket handshake over real sockets: the Origin check at upgrade, {@code hello} and its
 * {@code welcome} per role, and the close codes and errors of a bad or missing hello (PROTOCOL.md "WebSocket").
 */
class SocketAuthTest {

  private static Vertx vertx;
  private static TestServer server;
  private SocketFixture fx;

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=20");
  }

  @AfterAll
  static void stopServer() {
    server.close();
    TestServer.await(vertx.close());
  }

  @BeforeEach
  void fixture() {
    fx = new SocketFixture(server);
  }

  @AfterEach
  void closeSockets() {
    fx.close();
  }

  @Test
  void participantWelcomeCarriesRoleRoomYouSeqAndSnapshot() {
    Room room = fx.room("Welcome");
    Member author = fx.join(room, "Grace");
    JsonObject posted = ack(fx.participant(room, author), post("p1", "Is there a recording?")).getJsonObject("post");
    Member ada = fx.join(room, "Ada");

    TestSocket s = fx.open();
    JsonObject welcome = s.helloToken(room.slug(), ada.token());

    assertThat(welcome.getString("role")).isEqualTo("participant");
    JsonObject r = welcome.getJsonObject("room");
    assertThat(r.getString("slug")).isEqualTo(room.slug());
    assertThat(r.getString("hashtag")).isEqualTo(room.hashtag());
    assertThat(r.getString("status")).isEqualTo("open");
    assertThat(r.getInteger("posts")).isEqualTo(1);
    assertThat(r.containsKey("title")).isTrue();
    assertThat(r.getInteger("online")).isNotNull();
    JsonObject you = welcome.getJsonObject("you");
    assertThat(you.getString("id")).isEqualTo(ada.id());
    assertThat(you.getString("nick")).isEqualTo("Ada");
    assertThat(you.getDouble("karma")).isEqualTo(0.0);
    // One post was created, and every state change advances seq by one.
    assertThat(welcome.getLong("seq")).isEqualTo(1L);
    assertThat(welcome.getBoolean("resumed")).isFalse();
    JsonArray posts = welcome.getJsonArray("posts");
    assertThat(posts).hasSize(1);
    assertThat(posts.getJsonObject(0).getString("id")).isEqualTo(posted.getString("id"));
    assertThat(posts.getJsonObject(0).getString("text")).isEqualTo("Is there a recording?");
  }

  @Test
  void staffWelcomeNamesTheRoleAndHasNoYou() {
    Room room = fx.room("Staff");

    JsonObject speaker = fx.open().helloKey(room.slug(), room.speakerKey());
    JsonObject moderator = fx.open().helloKey(room.slug(), room.moderatorKey());

    assertThat(speaker.getString("role")).isEqualTo("speaker");
    assertThat(speaker.containsKey("you")).isFalse();
    assertThat(speaker.getJsonObject("room").getString("slug")).isEqualTo(room.slug());
    assertThat(speaker.getBoolean("resumed")).isFalse();
    assertThat(speaker.getJsonArray("posts")).isEmpty();
    assertThat(moderator.getString("role")).isEqualTo("moderator");
    assertThat(moderator.containsKey("you")).isFalse();
    assertThat(moderator.getLong("seq")).isEqualTo(0L);
  }

  @Test
  void roomMayBeNamedByItsHashtagOrInAnotherCase() {
    Room room = fx.room("MixedCase");
    Member ada = fx.join(room, "Ada");
    assertThat(room.hashtag()).startsWith("#MixedCase-");

    JsonObject byHashtag = fx.open().helloToken(room.hashtag(), ada.token());
    JsonObject upper = fx.open().helloToken(room.slug().toUpperCase(), ada.token());
    JsonObject staffByHashtag = fx.open().helloKey(room.hashtag().toUpperCase(), room.moderatorKey());

    assertThat(byHashtag.getJsonObject("room").getString("slug")).isEqualTo(room.slug());
    assertThat(upper.getJsonObject("room").getString("slug")).isEqualTo(room.slug());
    assertThat(staffByHashtag.getString("role")).isEqualTo("moderator");
  }

  @Test
  void garbageTokenCloses4401() {
    Room room = fx.room("BadToken");

    assertThat(closeAfterHello(room.slug(), "token", "not-a-token")).isEqualTo((short) 4401);
    assertThat(closeAfterHello(room.slug(), "token", room.slug() + ".p1.forged")).isEqualTo((short) 4401);
  }

  @Test
  void tokenWithOneSignatureCharacterChangedCloses4401() {
    Room room = fx.room("Tampered");
    Member ada = fx.join(room, "Ada");
    String token = ada.token();
    int at = token.length() - 5; // inside the signature, the part after the last dot
    assertThat(at).isGreaterThan(token.lastIndexOf('.'));
    char flipped = token.charAt(at) == 'A' ? 'B' : 'A';
    String tampered = token.substring(0, at) + flipped + token.substring(at + 1);

    assertThat(closeAfterHello(room.slug(), "token", tampered)).isEqualTo((short) 4401);
    // The untouched token still works, so it was the flipped character that was refused.
    assertThat(fx.open().helloToken(room.slug(), token).getString("role")).isEqualTo("participant");
  }

  @Test
  void tokenOfAnotherRoomCloses4401() {
    Room room = fx.room("Home");
    Room other = fx.room("Elsewhere");
    Member stranger = fx.join(other, "Eve");

    assertThat(closeAfterHello(room.slug(), "token", stranger.token())).isEqualTo((short) 4401);
    // Rewriting the room part of the token breaks its signature.
    String moved = room.slug() + stranger.token().substring(other.slug().length());
    assertThat(closeAfterHello(room.slug(), "token", moved)).isEqualTo((short) 4401);
  }

  @Test
  void badKeyOrAnotherRoomsKeyCloses4401() {
    Room room = fx.room("BadKey");
    Room other = fx.room("OtherKey");

    assertThat(closeAfterHello(room.slug(), "key", "definitely-not-the-key")).isEqualTo((short) 4401);
    assertThat(closeAfterHello(room.slug(), "key", other.moderatorKey())).isEqualTo((short) 4401);
    assertThat(closeAfterHello(room.slug(), "key", other.speakerKey())).isEqualTo((short) 4401);
  }

  @Test
  void unknownRoomCloses4404() {
    Room room = fx.room("Known");
    Member ada = fx.join(room, "Ada");

    assertThat(closeAfterHello("no-such-room", "token", ada.token())).isEqualTo((short) 4404);
    assertThat(closeAfterHello("#no-such-room", "key", room.moderatorKey())).isEqualTo((short) 4404);
  }

  @Test
  void framesBeforeHelloAreRefusedAndTheSocketWaitsForHello() {
    Room room = fx.room("Early");
    Member ada = fx.join(room, "Ada");
    TestSocket s = fx.open();

    JsonObject error = refused(s, post("early-1", "too soon"), "invalid");
    assertThat(error.getString("message")).isNotBlank();
    refused(s, SocketFixture.rate("early-2", "some-post", 1), "invalid");
    assertServed(s);

    s.helloToken(room.slug(), ada.token());
    ack(s, post("after-hello", "now it counts"));
    // The refused command was not applied behind the client's back.
    assertThat(fx.listedPosts(room)).hasSize(1);
  }

  @Test
  void helloWithBothTokenAndKeyOrNeitherIsInvalid() {
    Room room = fx.room("Ambiguous");
    Member ada = fx.join(room, "Ada");
    TestSocket s = fx.open();

    s.send(new JsonObject().put("type", "hello").put("room", room.slug()).put("token", ada.token())
        .put("key", room.moderatorKey()));
    assertError(s.next(), "invalid");
    s.send(new JsonObject().put("type", "hello").put("room", room.slug()));
    assertError(s.next(), "invalid");

    // Neither hello admitted the socket; a proper one still does.
    assertThat(s.isClosed()).isFalse();
    assertThat(s.helloToken(room.slug(), ada.token()).getString("role")).isEqualTo("participant");
  }

  @Test
  void secondHelloAfterWelcomeIsInvalidAndTheSocketKeepsWorking() {
    Room room = fx.room("Twice");
    Member ada = fx.join(room, "Ada");
    TestSocket s = fx.participant(room, ada);

    s.send(new JsonObject().put("type", "hello").put("room", room.slug()).put("key", room.moderatorKey()));
    assertError(s.next(f -> "error".equals(f.getString("type")) || "welcome".equals(f.getString("type")),
        "the answer to a second hello"), "invalid");

    // Still the participant it was: it may post, and may not act as a moderator.
    ack(s, post("after-second-hello", "still here"));
    refused(s, SocketFixture.ban("b1", ada.id()), "forbidden");
  }

  @Test
  void foreignOriginIsRefusedWith403AtUpgrade() {
    assertThat(statusOf(TestSocket.refusal(vertx, server.port(), "https://evil.example"))).isEqualTo(403);
    // Looking like the server's host is not enough: the port is part of the origin.
    assertThat(statusOf(TestSocket.refusal(vertx, server.port(), "https://127.0.0.1.evil.example"))).isEqualTo(403);
  }

  @Test
  void noOriginAndTheServersOwnOriginAreAccepted() {
    Room room = fx.room("Origins");

    assertThat(SocketFixture.withoutOrigin(vertx, server.port())).isNull();
    String own = "http://127.0.0.1:" + server.port();
    assertThat(TestSocket.refusal(vertx, server.port(), own)).isNull();
    TestSocket s = fx.track(server.socket(own));
    assertThat(s.helloKey(room.slug(), room.speakerKey()).getString("role")).isEqualTo("speaker");
  }

  @Test
  void sameHostOnAnotherPortOrSchemeIsAnotherOrigin() {
    int other = server.port() == 65535 ? server.port() - 1 : server.port() + 1;

    assertThat(statusOf(TestSocket.refusal(vertx, server.port(), "http://127.0.0.1:" + other))).isEqualTo(403);
    assertThat(statusOf(TestSocket.refusal(vertx, server.port(), "http://127.0.0.1"))).isEqualTo(403);
    assertThat(statusOf(TestSocket.refusal(vertx, server.port(), "null"))).isEqualTo(403);
  }

  @Test
  void configuredOriginsReplaceTheServersOwn() {
    try (TestServer listed = TestServer.start(vertx, "--allowed-origins=https://conf.example")) {

      assertThat(TestSocket.refusal(vertx, listed.port(), "https://conf.example")).isNull();
      assertThat(TestSocket.refusal(vertx, listed.port(), "HTTPS://Conf.Example")).as("origins compare case-insensitively").isNull();
      assertThat(SocketFixture.withoutOrigin(vertx, listed.port())).isNull();
      assertThat(statusOf(TestSocket.refusal(vertx, listed.port(), "http://127.0.0.1:" + listed.port()))).isEqualTo(403);
      assertThat(statusOf(TestSocket.refusal(vertx, listed.port(), "https://evil.example"))).isEqualTo(403);
    }
  }

  @Test
  void noHelloWithinTheTimeoutCloses4408() {
    try (TestServer quick = TestServer.start(vertx, "--hello-timeout-ms=300");
        SocketFixture local = new SocketFixture(quick)) {
      TestSocket silent = local.open();
      // Frames other than hello do not count as one: this socket is closed as well.
      TestSocket chatty = local.open();
      chatty.send(SocketFixture.ping());
      chatty.next("pong");
      chatty.send(post("c1", "no hello"));

      assertThat(silent.closeCode()).isEqualTo((short) 4408);
      assertThat(chatty.closeCode()).isEqualTo((short) 4408);
    }
  }

  @Test
  void helloInTimeIsNotClosedByTheHelloTimer() {
    try (TestServer quick = TestServer.start(vertx, "--hello-timeout-ms=300");
        SocketFixture local = new SocketFixture(quick)) {
      Room room = local.room("InTime");
      TestSocket s = local.open();
      s.helloKey(room.slug(), room.speakerKey());

      // Well past the timeout the socket is still served.
      s.drain(Duration.ofMillis(600));
      assertServed(s);
    }
  }

  @Test
  void serverOnAFreePortWithSeveralGatewayInstancesServesSocketsOnAllOfThem() {
    // Tests and tools start the server on port 0; with one gateway instance per core, the instances must share that port.
    try (TestServer multi = TestServer.start(vertx, "--gateways=3", "--broadcast-interval-ms=20");
        SocketFixture local = new SocketFixture(multi)) {
      Room room = local.room("Gateways");
      List<TestSocket> audience = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        audience.add(local.participant(room, local.join(room, "P" + i)));
      }

      String postId = ack(audience.get(0), post("p1", "heard on every loop?")).getJsonObject("post").getString("id");

      for (TestSocket s : audience.subList(1, 6)) {
        s.next(f -> "posts".equals(f.getString("type")) && f.encode().contains(postId), "the post's broadcast");
      }
    }
  }

  /** Opens a socket, sends a hello with one credential, and returns the close code it gets. */
  private short closeAfterHello(String room, String field, String secret) {
    TestSocket s = fx.open();
    s.send(new JsonObject().put("type", "hello").put("room", room).put(field, secret));
    return s.closeCode();
  }

  /** The HTTP status of a refused upgrade. */
  private static int statusOf(Throwable refusal) {
    assertThat(refusal).isInstanceOf(UpgradeRejectedException.class);
    return ((UpgradeRejectedException) refusal).getStatus();
  }

  private static void assertError(JsonObject frame, String code) {
    assertThat(frame.getString("type")).as("%s", frame).isEqualTo("error");
    assertThat(frame.getString("code")).as("%s", frame).isEqualTo(code);
    assertThat(frame.containsKey("cid")).isFalse();
  }
}
