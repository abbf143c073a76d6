package dev.backchannel.gateway;

import static dev.backchannel.gateway.SocketFixture.ack;
import static dev.backchannel.gateway.SocketFixture.answer;
import static dev.backchannel.gateway.SocketFixture.assertServed;
import static dev.backchannel.gateway.SocketFixture.post;
import static dev.backchannel.gateway.SocketFixture.rate;
import static dev.backchannel.gateway.SocketFixture.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.gateway.SocketFixture.Member;
import dev.backchannel.gateway.SocketFixture.Room;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits of PROTOCOL.md "Close codes and limits" over real sockets: post and rating rates,
 * sockets per participant, the abuse window, and {@code ping}. Defaults are proven where that is
 * cheap; a second server with small limits shows that they are configurable and that allowances refill.
 */
class SocketLimitsTest {

  private static Vertx vertx;
  /** Default limits: 3 posts / 30 s, 10 ratings/s burst 20, 5 sockets, 20 errors / 10 s. */
  private static TestServer defaults;
  /** Small limits: 2 posts / 1 s, 2 ratings/s burst 3, 2 sockets, 3 errors / 1 s. */
  private static TestServer small;
  private SocketFixture fx;
  private SocketFixture tight;

  @BeforeAll
  static void startServers() {
    vertx = Vertx.vertx();
    defaults = TestServer.start(vertx);
    small = TestServer.start(vertx, "--posts-per-window=2", "--post-window-seconds=1", "--ratings-per-second=2",
        "--rating-burst=3", "--sockets-per-participant=2", "--abuse-errors=3", "--abuse-window-seconds=1");
  }

  @AfterAll
  static void stopServers() {
    defaults.close();
    small.close();
    TestServer.await(vertx.close());
  }

  @BeforeEach
  void fixtures() {
    fx = new SocketFixture(defaults);
    tight = new SocketFixture(small);
  }

  @AfterEach
  void closeSockets() {
    fx.close();
    tight.close();
  }

  // ---- posts ----

  @Test
  void fourthPostWithin30SecondsIsRateLimitedByDefault() {
    Room room = fx.room("Posts");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    ack(s, post("p1", "one"));
    ack(s, post("p2", "two"));
    ack(s, post("p3", "three"));
    JsonObject error = refused(s, post("p4", "four"), "rate_limited");

    assertThat(error.getString("message")).isNotBlank();
    assertThat(fx.listedPosts(room)).hasSize(3);
    assertServed(s);
  }

  @Test
  void postLimitIsPerParticipantAndSurvivesReconnecting() {
    Room room = fx.room("PerParticipant");
    Member ada = fx.join(room, "Ada");
    TestSocket s = fx.participant(room, ada);
    for (int i = 1; i <= 3; i++) {
      ack(s, post("p" + i, "post " + i));
    }
    refused(s, post("p4", "four"), "rate_limited");

    // Another participant is not affected...
    ack(fx.participant(room, fx.join(room, "Bob")), post("b1", "my first"));
    // ...and a new socket does not refill Ada's allowance.
    s.close();
    refused(fx.participant(room, ada), post("p5", "five"), "rate_limited");
  }

  @Test
  void postAllowanceIsConfigurableAndRefills() throws InterruptedException {
    Room room = tight.room("Refill");
    TestSocket s = tight.participant(room, tight.join(room, "Ada"));

    ack(s, post("p1", "one"));
    ack(s, post("p2", "two"));
    refused(s, post("p3", "three"), "rate_limited");
    // 2 posts per second refill one post every 500 ms.
    Thread.sleep(1100);
    ack(s, post("p4", "four"));
  }

  @Test
  void postRetriedAfterTheAllowanceIsUsedUpGetsItsAckBack() {
    Room room = fx.room("RetryAtLimit");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));
    ack(s, post("p1", "one"));
    ack(s, post("p2", "two"));
    JsonObject third = ack(s, post("p3", "three"));

    // The phone lost the ack of p3 and retries it: the post exists, so the answer is its ack,
    // not a refusal that would make the client believe the post was lost.
    JsonObject retried = SocketFixture.call(s, post("p3", "three"));

    assertThat(retried).isEqualTo(third);
    assertThat(fx.listedPosts(room)).hasSize(3);
  }

  // ---- ratings ----

  @Test
  void ratingsBeyondTheDefaultBurstOf20AreRateLimited() {
    Room room = fx.room("Burst");
    String postId = ack(fx.participant(room, fx.join(room, "Grace")), post("p", "rate me")).getJsonObject("post").getString("id");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    // Sent back to back without waiting for answers; alternating values make every rating a change.
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      writes.add(s.raw().writeTextMessage(rate("r" + i, postId, i % 2 == 0 ? 1 : 2).encode()));
    }
    TestServer.await(Future.all(writes));
    List<JsonObject> answers = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      answers.add(answer(s, "r" + i));
    }

    // The burst of 20 is granted whole; the refill (10/s) may add one or two while the frames arrive.
    for (int i = 0; i < 20; i++) {
      assertThat(answers.get(i).getString("type")).as("r%d: %s", i, answers.get(i)).isEqualTo("ack");
    }
    List<JsonObject> limited = answers.stream().filter(a -> "error".equals(a.getString("type"))).toList();
    assertThat(limited).isNotEmpty();
    assertThat(limited).allSatisfy(e -> assertThat(e.getString("code")).isEqualTo("rate_limited"));
    // The post holds one rating: the last one that was let through.
    JsonObject listed = fx.listedPosts(room).getJsonObject(0);
    assertThat(listed.getInteger("ratings")).isEqualTo(1);
    assertServed(s);
  }

  @Test
  void ratingBurstIsConfigurableAndRefills() throws InterruptedException {
    Room room = tight.room("RateRefill");
    String postId = ack(tight.participant(room, tight.join(room, "Grace")), post("p", "rate me")).getJsonObject("post").getString("id");
    TestSocket s = tight.participant(room, tight.join(room, "Ada"));

    ack(s, rate("r1", postId, 1));
    ack(s, rate("r2", postId, 2));
    ack(s, rate("r3", postId, 3));
    refused(s, rate("r4", postId, 4), "rate_limited");
    // 2 ratings per second: one is back after 500 ms.
    Thread.sleep(700);
    assertThat(ack(s, rate("r5", postId, 5)).getJsonObject("post").getInteger("mine")).isEqualTo(5);
  }

  @Test
  void ratingRetriedAfterTheBurstIsUsedUpGetsItsAckBack() {
    Room room = tight.room("RateRetryAtLimit");
    String postId = ack(tight.participant(room, tight.join(room, "Grace")), post("p", "rate me")).getJsonObject("post").getString("id");
    TestSocket s = tight.participant(room, tight.join(room, "Ada"));
    ack(s, rate("r1", postId, 1));
    ack(s, rate("r2", postId, 2));
    JsonObject third = ack(s, rate("r3", postId, 3));

    JsonObject retried = SocketFixture.call(s, rate("r3", postId, 3));

    assertThat(retried).isEqualTo(third);
  }

  // ---- sockets per participant ----

  @Test
  void sixthSocketOfAParticipantClosesTheOldestWith1008() {
    Room room = fx.room("Sockets");
    Member ada = fx.join(room, "Ada");
    List<TestSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sockets.add(fx.participant(room, ada));
    }
    for (TestSocket s : sockets) {
      assertServed(s);
    }

    TestSocket sixth = fx.participant(room, ada);

    assertThat(sockets.get(0).closeCode()).isEqualTo((short) 1008);
    for (TestSocket s : sockets.subList(1, 5)) {
      assertServed(s);
    }
    assertServed(sixth);
    ack(sixth, post("p1", "from my newest phone"));
  }

  @Test
  void socketCapIsConfigurable() {
    Room room = tight.room("SocketCap");
    Member bob = tight.join(room, "Bob");
    TestSocket first = tight.participant(room, bob);
    TestSocket second = tight.participant(room, bob);

    TestSocket third = tight.participant(room, bob);

    assertThat(first.closeCode()).isEqualTo((short) 1008);
    assertServed(second);
    assertServed(third);
  }

  // ---- abuse ----

  @Test
  void twentyErrorsWithinTenSecondsClose1008ButNineteenDoNot() {
    Room room = fx.room("Abuse");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    for (int i = 0; i < 19; i++) {
      s.sendText("{broken");
      assertThat(s.next("error").getString("code")).isEqualTo("bad_json");
    }
    assertServed(s);
    s.sendText("{broken");

    assertThat(s.closeCode()).isEqualTo((short) 1008);
  }

  @Test
  void aFloodOfFramesIsRefusedAndThenClosed1008WhileOthersAreServed() {
    try (TestServer flood = TestServer.start(vertx, "--frames-per-second=5", "--frame-burst=5");
        SocketFixture fixture = new SocketFixture(flood)) {
      Room room = fixture.room("Flood");
      TestSocket calm = fixture.participant(room, fixture.join(room, "Calm"));
      TestSocket noisy = fixture.participant(room, fixture.join(room, "Noisy"));

      // Pings are harmless one by one; hundreds at once are not.
      for (int i = 0; i < 200 && !noisy.isClosed(); i++) {
        noisy.sendText("{\"type\":\"ping\"}");
      }

      assertThat(noisy.closeCode()).isEqualTo((short) 1008);
      assertServed(calm);
    }
  }

  @Test
  void errorsBeforeHelloCountToo() {
    TestSocket s = fx.open();

    for (int i = 0; i < 20; i++) {
      s.sendText("[]");
    }

    assertThat(s.closeCode()).isEqualTo((short) 1008);
  }

  @Test
  void abuseWindowIsConfigurableAndSlides() throws InterruptedException {
    Room room = tight.room("Window");
    TestSocket s = tight.participant(room, tight.join(room, "Ada"));

    s.sendText("nope");
    s.sendText("nope");
    assertThat(s.next("error").getString("code")).isEqualTo("bad_json");
    assertThat(s.next("error").getString("code")).isEqualTo("bad_json");
    // Past the 1 s window those two no longer count.
    Thread.sleep(1200);
    s.sendText("nope");
    s.sendText("nope");
    s.next("error");
    s.next("error");
    assertServed(s);
    s.sendText("nope");

    assertThat(s.closeCode()).isEqualTo((short) 1008);
  }

  // ---- ping ----

  @Test
  void pingIsAnsweredWithPongBeforeAndAfterHello() {
    Room room = fx.room("Ping");
    TestSocket s = fx.open();

    s.send(SocketFixture.ping());
    assertThat(s.next()).isEqualTo(new JsonObject().put("type", "pong"));
    s.helloToken(room.slug(), fx.join(room, "Ada").token());
    s.send(SocketFixture.ping());
    assertThat(s.next("pong")).isEqualTo(new JsonObject().put("type", "pong"));
  }
}
