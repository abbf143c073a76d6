package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestServer.Response;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The organizer's console over real HTTP and sockets (PROTOCOL.md v2): the list of rooms, links at
 * any time, new keys that shut out the old ones at once, reopening, deleting, and retention.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {

  private static final AtomicInteger ROOMS = new AtomicInteger();

  private Vertx vertx;
  private TestServer server;

  @BeforeAll
  void startServer() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--joins-per-minute=100000");
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    TestServer.await(vertx.close());
  }

  @Test
  void theOrganizerListsRoomsNewestFirstInPagesWithLiveFigures() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      made.add(room().getString("slug"));
    }
    String busy = made.get(2);
    JsonObject ada = server.join(busy, "Ada");
    try (TestSocket phone = server.socket()) {
      phone.helloToken(busy, ada.getString("token"));
      phone.send(new JsonObject().put("type", "post").put("cid", "c1").put("text", "first question"));
      phone.next("ack");

      JsonObject first = get("/api/rooms?limit=2", server.organizerKey()).json();
      JsonObject second = get("/api/rooms?limit=2&cursor=" + first.getString("next"), server.organizerKey()).json();

      JsonArray rooms = first.getJsonArray("rooms");
      assertThat(rooms).hasSize(2);
      JsonObject newest = rooms.getJsonObject(0);
      assertThat(newest.getString("slug")).isEqualTo(busy);
      assertThat(newest.getInteger("online")).isEqualTo(1);
      assertThat(newest.getInteger("posts")).isEqualTo(1);
      assertThat(newest.getInteger("ratings")).isZero();
      assertThat(newest.getString("status")).isEqualTo("open");
      assertThat(newest.getString("language")).isEqualTo("en");
      assertThat(newest.getString("createdAt")).isNotBlank();
      assertThat(newest.getValue("closedAt")).isNull();
      assertThat(rooms.getJsonObject(1).getString("slug")).isEqualTo(made.get(1));
      assertThat(second.getJsonArray("rooms").getJsonObject(0).getString("slug")).isEqualTo(made.get(0));
    }
    assertThat(get("/api/rooms", null).status()).isEqualTo(401);
    assertThat(get("/api/rooms?limit=0", server.organizerKey()).status()).isEqualTo(400);
    assertThat(get("/api/rooms?cursor=nonsense", server.organizerKey()).errorCode()).isEqualTo("invalid");
  }

  @Test
  void theOrganizerGetsALostLinkBackAtAnyTime() {
    JsonObject room = room();
    String slug = room.getString("slug");

    Response links = get("/api/rooms/" + slug + "/links", server.organizerKey());
    Response bySpeaker = get("/api/rooms/" + slug + "/links", room.getString("speakerKey"));

    assertThat(links.status()).isEqualTo(200);
    assertThat(links.json().getString("speakerKey")).isEqualTo(room.getString("speakerKey"));
    assertThat(links.json().getString("moderatorKey")).isEqualTo(room.getString("moderatorKey"));
    assertThat(links.json().getJsonObject("links").getString("screen"))
        .isEqualTo("/r/" + slug + "/screen#key=" + room.getString("speakerKey"));
    assertThat(room.getJsonObject("links").getString("screen")).as("creation answers the same shape")
        .isEqualTo(links.json().getJsonObject("links").getString("screen"));
    assertThat(bySpeaker.status()).isEqualTo(401);
    assertThat(get("/api/rooms/no-such-room/links", server.organizerKey()).status()).isEqualTo(404);
  }

  @Test
  void newKeysShutTheOldOnesOutAtOnceAndLeaveTheOtherRoleAlone() {
    JsonObject room = room();
    String slug = room.getString("slug");
    String oldSpeaker = room.getString("speakerKey");
    String moderator = room.getString("moderatorKey");
    try (TestSocket speaker = server.socket(); TestSocket mod = server.socket()) {
      speaker.helloKey(slug, oldSpeaker);
      mod.helloKey(slug, moderator);

      Response rotated = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/keys", server.organizerKey(),
          new JsonObject().put("roles", new JsonArray().add("speaker")).encode());

      assertThat(rotated.status()).isEqualTo(200);
      String newSpeaker = rotated.json().getString("speakerKey");
      assertThat(newSpeaker).isNotEqualTo(oldSpeaker);
      assertThat(rotated.json().getString("moderatorKey")).isEqualTo(moderator);
      assertThat(speaker.closeCode()).isEqualTo((short) 4401);
      assertThat(mod.isClosed()).isFalse();
      assertThat(get("/api/rooms/" + slug + "/posts/p1/why", oldSpeaker).status()).isEqualTo(401);
      try (TestSocket again = server.socket()) {
        again.send(new JsonObject().put("type", "hello").put("room", slug).put("key", oldSpeaker));
        assertThat(again.closeCode()).isEqualTo((short) 4401);
      }
      try (TestSocket fresh = server.socket()) {
        assertThat(fresh.helloKey(slug, newSpeaker).getString("role")).isEqualTo("speaker");
      }
      assertThat(get("/api/rooms/" + slug + "/links", server.organizerKey()).json().getString("speakerKey"))
          .isEqualTo(newSpeaker);
    }
    Response bad = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/keys", server.organizerKey(),
        new JsonObject().put("roles", new JsonArray().add("participant")).encode());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(get("/api/rooms/" + slug + "/audit", moderator).body()).contains("\"action\":\"keys\"")
        .doesNotContain(oldSpeaker);
  }

  @Test
  void aModeratorReopensAClosedRoomAndSocketsHearIt() {
    JsonObject room = room();
    String slug = room.getString("slug");
    JsonObject ada = server.join(slug, "Ada");
    try (TestSocket phone = server.socket()) {
      phone.helloToken(slug, ada.getString("token"));
      server.request(HttpMethod.POST, "/api/rooms/" + slug + "/close", room.getString("moderatorKey"), null);
      phone.next(f -> "room".equals(f.getString("type")) && "closed".equals(f.getString("status")), "closed");

      Response reopened = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/reopen",
          room.getString("moderatorKey"), null);

      assertThat(reopened.status()).isEqualTo(200);
      assertThat(reopened.json().getString("status")).isEqualTo("open");
      phone.next(f -> "room".equals(f.getString("type")) && "open".equals(f.getString("status")), "reopened");
      phone.send(new JsonObject().put("type", "post").put("cid", "c1").put("text", "after the break"));
      assertThat(phone.next("ack").getJsonObject("post").getString("text")).isEqualTo("after the break");
    }
    assertThat(server.request(HttpMethod.POST, "/api/rooms/" + slug + "/reopen", room.getString("speakerKey"), null)
        .status()).isEqualTo(403);
  }

  @Test
  void aDeletedRoomClosesItsSocketsIsGoneAndItsHashtagIsFree() {
    JsonObject room = room();
    String slug = room.getString("slug");
    JsonObject ada = server.join(slug, "Ada");
    try (TestSocket phone = server.socket(); TestSocket mod = server.socket()) {
      phone.helloToken(slug, ada.getString("token"));
      mod.helloKey(slug, room.getString("moderatorKey"));

      assertThat(server.request(HttpMethod.DELETE, "/api/rooms/" + slug, room.getString("moderatorKey"), null).status())
          .as("only the organizer deletes").isEqualTo(401);
      Response deleted = server.request(HttpMethod.DELETE, "/api/rooms/" + slug, server.organizerKey(), null);

      assertThat(deleted.status()).isEqualTo(204);
      assertThat(phone.closeCode()).isEqualTo((short) 4404);
      assertThat(mod.closeCode()).isEqualTo((short) 4404);
    }
    assertThat(get("/api/rooms/" + slug, null).status()).isEqualTo(404);
    assertThat(get("/api/rooms/" + slug + "/posts", null).status()).isEqualTo(404);
    assertThat(server.request(HttpMethod.DELETE, "/api/rooms/" + slug, server.organizerKey(), null).status())
        .isEqualTo(404);
    Response again = server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", room.getString("hashtag")).encode());
    assertThat(again.status()).isEqualTo(201);
    assertThat(get("/api/rooms/" + slug, null).json().getInteger("posts")).isZero();
  }

  @Test
  void retentionDeletesRoomsClosedLongerThanItsDaysAndKeepsTheRest() {
    String old = room().getString("slug");
    String open = room().getString("slug");
    JsonObject closedRecently = room();
    TestServer.await(server.store().close(old));
    List<String> log = new ArrayList<>();
    Clock monthLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(31));

    TestServer.await(new RoomRetention(server.store(), new EventLog("text", Clock.systemUTC(), log::add),
        monthLater, 30).sweep(null));
    TestServer.await(server.store().close(closedRecently.getString("slug")));
    TestServer.await(new RoomRetention(server.store(), new EventLog("text", Clock.systemUTC(), log::add),
        Clock.systemUTC(), 30).sweep(null));

    assertThat(get("/api/rooms/" + old, null).status()).isEqualTo(404);
    assertThat(get("/api/rooms/" + open, null).status()).isEqualTo(200);
    assertThat(get("/api/rooms/" + closedRecently.getString("slug"), null).status()).isEqualTo(200);
    assertThat(log).anySatisfy(line -> assertThat(line).contains("room.expired").contains(old));
  }

  private JsonObject room() {
    Response r = server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", "#Console-" + ROOMS.incrementAndGet() + "-" + System.nanoTime() % 100000)
            .encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private Response get(String path, String key) {
    return server.request(HttpMethod.GET, path, key, null);
  }
}
