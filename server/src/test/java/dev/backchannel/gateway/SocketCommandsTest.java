package dev.backchannel.gateway;

import static dev.backchannel.gateway.SocketFixture.ack;
import static dev.backchannel.gateway.SocketFixture.assertServed;
import static dev.backchannel.gateway.SocketFixture.ban;
import static dev.backchannel.gateway.SocketFixture.mark;
import static dev.backchannel.gateway.SocketFixture.post;
import static dev.backchannel.gateway.SocketFixture.rate;
import static dev.backchannel.gateway.SocketFixture.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.gateway.SocketFixture.Member;
import dev.backchannel.gateway.SocketFixture.Room;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands over real sockets after the handshake: framing errors, what each role may do, idempotent
 * retries by {@code cid}, and bans (PROTOCOL.md "Participant commands", "Staff commands").
 */
class SocketCommandsTest {

  /** Long enough for a coalesced broadcast (20 ms here) to have arrived if one was coming. */
  private static final Duration QUIET = Duration.ofMillis(300);

  private static Vertx vertx;
  private static TestServer server;
  private SocketFixture fx;

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    // A generous post allowance: these tests are about answers, not about the post rate limit.
    server = TestServer.start(vertx, "--broadcast-interval-ms=20", "--posts-per-window=100");
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

  // ---- framing ----

  @Test
  void frameOver16KiBCloses1009() {
    Room room = fx.room("Large");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    s.send(post("big", "x".repeat(17 * 1024)));

    assertThat(s.closeCode()).isEqualTo((short) 1009);
  }

  @Test
  void messageFragmentedIntoFramesUnderTheLimitButOverItInAllCloses1009() {
    Room room = fx.room("Fragmented");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    String text = post("big", "x".repeat(18 * 1024)).encode();
    int half = text.length() / 2;
    TestServer.await(s.raw().writeFrame(WebSocketFrame.textFrame(text.substring(0, half), false)));
    TestServer.await(s.raw().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(text.substring(half)), true)));

    assertThat(s.closeCode()).isEqualTo((short) 1009);
  }

  @Test
  void frameJustUnderTheLimitIsReadAndJudgedOnItsFields() {
    Room room = fx.room("Sizable");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    // About 15 KiB: within the frame limit, so it is parsed, and refused only for its too long text.
    refused(s, post("long", "y".repeat(15 * 1024)), "invalid");
    assertServed(s);
  }

  @Test
  void binaryFrameIsBadJsonAndDoesNotClose() {
    Room room = fx.room("Binary");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    TestServer.await(s.raw().writeBinaryMessage(Buffer.buffer(post("bin", "hello").encode())));

    JsonObject error = s.next("error");
    assertThat(error.getString("code")).isEqualTo("bad_json");
    assertThat(error.containsKey("cid")).isFalse();
    assertServed(s);
    assertThat(fx.listedPosts(room)).isEmpty();
  }

  @Test
  void malformedJsonIsBadJsonWithoutCid() {
    Room room = fx.room("Malformed");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    for (String frame : List.of("{\"type\":\"post\",\"cid\":\"m1\",", "not json", "[1,2,3]", "\"post\"", "null")) {
      s.sendText(frame);
      JsonObject error = s.next("error");
      assertThat(error.getString("code")).as(frame).isEqualTo("bad_json");
      assertThat(error.containsKey("cid")).as(frame).isFalse();
      assertThat(error.getString("message")).isNotBlank();
    }
    assertServed(s);
  }

  @Test
  void commandWithABadFieldIsInvalidAndCarriesItsCid() {
    Room room = fx.room("Fields");
    Member author = fx.join(room, "Grace");
    String postId = ack(fx.participant(room, author), post("p", "a post to rate")).getJsonObject("post").getString("id");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    refused(s, post("empty", "   "), "invalid");
    refused(s, post("long", "z".repeat(501)), "invalid");
    refused(s, new JsonObject().put("type", "post").put("cid", "no-text"), "invalid");
    refused(s, new JsonObject().put("type", "post").put("cid", "num-text").put("text", 42), "invalid");
    refused(s, rate("too-high", postId, 6), "invalid");
    refused(s, rate("too-low", postId, -6), "invalid");
    refused(s, new JsonObject().put("type", "rate").put("cid", "str").put("post", postId).put("value", "5"), "invalid");
    refused(s, new JsonObject().put("type", "rate").put("cid", "frac").put("post", postId).put("value", 2.5), "invalid");
    refused(s, new JsonObject().put("type", "rate").put("cid", "no-value").put("post", postId), "invalid");
    refused(s, new JsonObject().put("type", "shout").put("cid", "unknown-type"), "invalid");

    // A cid the server cannot use (over 64 characters) is not repeated, but the command is still refused.
    s.send(post("c".repeat(65), "hello"));
    JsonObject error = s.next("error");
    assertThat(error.getString("code")).isEqualTo("invalid");
    assertThat(error.containsKey("cid")).isFalse();
    // None of them was applied: only the author's post exists, unrated.
    JsonArray listed = fx.listedPosts(room);
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getInteger("ratings")).isZero();
  }

  @Test
  void cidOfExactly64CharactersIsAccepted() {
    Room room = fx.room("LongCid");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));
    String cid = "k".repeat(64);

    assertThat(ack(s, post(cid, "the longest cid")).getString("cid")).isEqualTo(cid);
  }

  // ---- roles ----

  @Test
  void participantCannotMarkOrBan() {
    Room room = fx.room("NoStaff");
    Member ada = fx.join(room, "Ada");
    Member bob = fx.join(room, "Bob");
    TestSocket s = fx.participant(room, ada);
    String postId = ack(s, post("p", "mine")).getJsonObject("post").getString("id");

    refused(s, mark("m1", postId, "answered"), "forbidden");
    refused(s, mark("m2", postId, "hidden"), "forbidden");
    refused(s, ban("b1", bob.id()), "forbidden");

    // Bob was not banned and the post kept its status.
    assertThat(fx.participant(room, bob).isClosed()).isFalse();
    assertThat(fx.listedPosts(room).getJsonObject(0).getString("status")).isEqualTo("visible");
  }

  @Test
  void speakerMarksAnsweredHighlightedAndVisibleButCannotHideOrBan() {
    Room room = fx.room("Speaker");
    Member ada = fx.join(room, "Ada");
    String postId = ack(fx.participant(room, ada), post("p", "What about latency?")).getJsonObject("post").getString("id");
    TestSocket speaker = fx.staff(room, room.speakerKey());

    assertThat(ack(speaker, mark("m1", postId, "answered")).getJsonObject("post").getString("status")).isEqualTo("answered");
    assertThat(ack(speaker, mark("m2", postId, "highlighted")).getJsonObject("post").getString("status")).isEqualTo("highlighted");
    assertThat(ack(speaker, mark("m3", postId, "visible")).getJsonObject("post").getString("status")).isEqualTo("visible");
    refused(speaker, mark("m4", postId, "hidden"), "forbidden");
    refused(speaker, ban("b1", ada.id()), "forbidden");

    assertThat(fx.listedPosts(room).getJsonObject(0).getString("status")).isEqualTo("visible");
  }

  @Test
  void speakerCannotBringBackAPostAModeratorHid() {
    Room room = fx.room("Unhide");
    String postId = ack(fx.participant(room, fx.join(room, "Ada")), post("p", "off topic")).getJsonObject("post").getString("id");
    TestSocket speaker = fx.staff(room, room.speakerKey());
    TestSocket moderator = fx.staff(room, room.moderatorKey());

    assertThat(ack(moderator, mark("h", postId, "hidden")).getJsonObject("post").getString("status")).isEqualTo("hidden");
    refused(speaker, mark("v", postId, "visible"), "forbidden");
    refused(speaker, mark("a", postId, "answered"), "forbidden");
    refused(speaker, mark("hl", postId, "highlighted"), "forbidden");

    assertThat(fx.listedPosts(room)).isEmpty();
  }

  @Test
  void staffCannotPostOrRate() {
    Room room = fx.room("StaffPosts");
    String postId = ack(fx.participant(room, fx.join(room, "Ada")), post("p", "rate me")).getJsonObject("post").getString("id");
    TestSocket speaker = fx.staff(room, room.speakerKey());
    TestSocket moderator = fx.staff(room, room.moderatorKey());

    refused(speaker, post("s1", "from the stage"), "forbidden");
    refused(speaker, rate("s2", postId, 5), "forbidden");
    refused(moderator, post("m1", "from the desk"), "forbidden");
    refused(moderator, rate("m2", postId, -5), "forbidden");

    JsonArray listed = fx.listedPosts(room);
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getInteger("ratings")).isZero();
  }

  @Test
  void moderatorHidesAndUnhides() {
    Room room = fx.room("Moderate");
    TestSocket audience = fx.participant(room, fx.join(room, "Eve"));
    String postId = ack(fx.participant(room, fx.join(room, "Ada")), post("p", "spam spam")).getJsonObject("post").getString("id");
    TestSocket moderator = fx.staff(room, room.moderatorKey());

    JsonObject hidden = ack(moderator, mark("h", postId, "hidden")).getJsonObject("post");
    assertThat(hidden.getString("status")).isEqualTo("hidden");
    assertThat(fx.listedPosts(room)).isEmpty();
    // The audience learns it is hidden, without its text.
    JsonObject seen = postIn(audience, postId, "hidden");
    assertThat(seen.getString("text")).isEmpty();

    JsonObject back = ack(moderator, mark("v", postId, "visible")).getJsonObject("post");
    assertThat(back.getString("status")).isEqualTo("visible");
    assertThat(back.getString("text")).isEqualTo("spam spam");
    assertThat(fx.listedPosts(room)).hasSize(1);
  }

  // ---- idempotent cids ----

  @Test
  void postResentWithTheSameCidReturnsTheSameAckAndPostsOnce() {
    Room room = fx.room("Retry");
    TestSocket watcher = fx.participant(room, fx.join(room, "Eve"));
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    JsonObject first = ack(s, post("c1", "Will slides be shared?"));
    JsonObject again = ack(s, post("c1", "Will slides be shared?"));

    assertThat(again).isEqualTo(first);
    JsonArray listed = fx.listedPosts(room);
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("id")).isEqualTo(first.getJsonObject("post").getString("id"));
    assertThat(postIdsBroadcastTo(watcher)).containsExactly(first.getJsonObject("post").getString("id"));
  }

  @Test
  void retryWithTheSameCidEvenWithOtherTextChangesNothing() {
    Room room = fx.room("RetryText");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    JsonObject first = ack(s, post("c1", "first words"));
    JsonObject again = ack(s, post("c1", "second thoughts"));

    assertThat(again).isEqualTo(first);
    JsonArray listed = fx.listedPosts(room);
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("text")).isEqualTo("first words");
  }

  @Test
  void postRetriedOnANewSocketAfterReconnectingIsNotPostedTwice() {
    Room room = fx.room("Reconnect");
    Member ada = fx.join(room, "Ada");
    TestSocket watcher = fx.participant(room, fx.join(room, "Eve"));
    TestSocket phone = fx.participant(room, ada);
    JsonObject first = ack(phone, post("c1", "Is the room recorded?"));
    phone.close();

    TestSocket again = fx.participant(room, ada);
    JsonObject retried = ack(again, post("c1", "Is the room recorded?"));

    assertThat(retried).isEqualTo(first);
    assertThat(fx.listedPosts(room)).hasSize(1);
    assertThat(postIdsBroadcastTo(watcher)).containsExactly(first.getJsonObject("post").getString("id"));
  }

  @Test
  void ratingRetriedWithTheSameCidIsCountedOnce() {
    Room room = fx.room("RateRetry");
    String postId = ack(fx.participant(room, fx.join(room, "Grace")), post("p", "rate me once")).getJsonObject("post").getString("id");
    Member ada = fx.join(room, "Ada");
    TestSocket s = fx.participant(room, ada);

    JsonObject first = ack(s, rate("r1", postId, 5));
    assertThat(first.getJsonObject("post").getInteger("ratings")).isEqualTo(1);
    assertThat(first.getJsonObject("post").getInteger("mine")).isEqualTo(5);
    ack(s, rate("r2", postId, -3));
    s.close();

    // A late retry of r1 on a new socket must not bring the +5 back over the newer -3.
    TestSocket again = fx.participant(room, ada);
    JsonObject retried = ack(again, rate("r1", postId, 5));

    assertThat(retried).isEqualTo(first);
    JsonObject listed = fx.listedPosts(room).getJsonObject(0);
    assertThat(listed.getInteger("ratings")).isEqualTo(1);
    // A newcomer's single -3 against the neutral prior of weight 2: -3 / 3.
    assertThat(listed.getDouble("score")).isEqualTo(-1.0);
  }

  // ---- bans ----

  @Test
  void banClosesTheParticipantsSocketsRefusesTheTokenAndDropsTheirRatings() {
    Room room = fx.room("Ban");
    Member grace = fx.join(room, "Grace");
    Member troll = fx.join(room, "Troll");
    TestSocket author = fx.participant(room, grace);
    String postId = ack(author, post("p", "a fair question")).getJsonObject("post").getString("id");
    TestSocket trollPhone = fx.participant(room, troll);
    TestSocket trollLaptop = fx.participant(room, troll);
    assertThat(ack(trollPhone, rate("r", postId, -5)).getJsonObject("post").getInteger("ratings")).isEqualTo(1);
    TestSocket moderator = fx.staff(room, room.moderatorKey());
    TestSocket watcher = fx.participant(room, fx.join(room, "Eve"));

    JsonObject banned = ack(moderator, ban("b1", troll.id()));

    assertThat(banned).isEqualTo(new JsonObject().put("type", "ack").put("cid", "b1"));
    assertThat(trollPhone.closeCode()).isEqualTo((short) 4403);
    assertThat(trollLaptop.closeCode()).isEqualTo((short) 4403);
    // The rating is recomputed away and the change is broadcast.
    JsonObject recomputed = watcher.next(f -> "posts".equals(f.getString("type")) && f.getJsonArray("posts").stream()
        .map(JsonObject.class::cast).anyMatch(p -> postId.equals(p.getString("id")) && p.getInteger("ratings") == 0),
        "a posts frame with the troll's rating removed");
    JsonObject post = recomputed.getJsonArray("posts").stream().map(JsonObject.class::cast)
        .filter(p -> postId.equals(p.getString("id"))).findFirst().orElseThrow();
    assertThat(post.getDouble("score")).isEqualTo(0.0);
    assertThat(post.getJsonObject("author").getDouble("karma")).isEqualTo(0.0);
    assertThat(fx.listedPosts(room).getJsonObject(0).getInteger("ratings")).isZero();
    // The token is refused from now on.
    TestSocket comeback = fx.open();
    comeback.send(new JsonObject().put("type", "hello").put("room", room.slug()).put("token", troll.token()));
    assertThat(comeback.closeCode()).isEqualTo((short) 4403);
    // Others are untouched.
    assertServed(watcher);
    assertServed(author);
  }

  @Test
  void banOfAnUnknownParticipantIsNotFound() {
    Room room = fx.room("BanUnknown");
    TestSocket moderator = fx.staff(room, room.moderatorKey());

    refused(moderator, ban("b1", "no-such-participant"), "not_found");
    assertServed(moderator);
  }

  /** The post with this id and status from the socket's next posts frames. */
  private static JsonObject postIn(TestSocket s, String postId, String status) {
    JsonObject frame = s.next(f -> "posts".equals(f.getString("type")) && f.getJsonArray("posts").stream()
        .map(JsonObject.class::cast).anyMatch(p -> postId.equals(p.getString("id")) && status.equals(p.getString("status"))),
        "post " + postId + " as " + status);
    return frame.getJsonArray("posts").stream().map(JsonObject.class::cast)
        .filter(p -> postId.equals(p.getString("id"))).findFirst().orElseThrow();
  }

  /** Every post id (with repeats) the socket receives in posts frames until the room goes quiet. */
  private static List<String> postIdsBroadcastTo(TestSocket s) {
    List<String> ids = new ArrayList<>();
    for (JsonObject f : s.drain(QUIET)) {
      if ("posts".equals(f.getString("type"))) {
        f.getJsonArray("posts").stream().map(JsonObject.class::cast).map(p -> p.getString("id"))
            .filter(Objects::nonNull).forEach(ids::add);
      }
    }
    return ids;
  }
}
