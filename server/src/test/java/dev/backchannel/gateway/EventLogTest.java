package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The event log: one line per event, text or JSON, and never a key, token or user text. */
class EventLogTest {

  private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);

  @Test
  void textLinesAreKeyValueWithQuotingWhereNeeded() {
    List<String> lines = new ArrayList<>();
    new EventLog("text", FIXED, lines::add).event("socket.closed", "room", "devconf", "reason", "too many \"errors\"",
        "participant", null);
    assertThat(lines).containsExactly(
        "2026-11-27T06:00:00Z event=socket.closed room=devconf reason=\"too many \\\"errors\\\"\" participant=-");
  }

  @Test
  void jsonLinesAreOneObjectEach() {
    List<String> lines = new ArrayList<>();
    new EventLog("json", FIXED, lines::add).event("room.created", "room", "dev\"conf");
    JsonObject line = new JsonObject(lines.get(0));
    assertThat(line.getString("event")).isEqualTo("room.created");
    assertThat(line.getString("room")).isEqualTo("dev\"conf");
    assertThat(line.getString("at")).isEqualTo("2026-11-27T06:00:00Z");
  }

  @Test
  void aSessionIsLoggedWithoutAnySecret() {
    List<String> lines = new CopyOnWriteArrayList<>();
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start(vertx, new EventLog("json", Clock.systemUTC(), lines::add),
        "--abuse-errors=2")) {
      JsonObject room = server.createRoom("#logged");
      String slug = room.getString("slug");
      JsonObject ada = server.join(slug, "Ada");
      try (TestSocket moderator = server.socket(); TestSocket participant = server.socket();
          TestSocket abuser = server.socket()) {
        moderator.helloKey(slug, room.getString("moderatorKey"));
        participant.helloToken(slug, ada.getString("token"));
        participant.send(new JsonObject().put("type", "post").put("cid", "c1").put("text", "a secret question"));
        participant.next("ack");
        moderator.send(new JsonObject().put("type", "ban").put("cid", "b1")
            .put("participant", ada.getJsonObject("participant").getString("id")));
        moderator.next("ack");
        abuser.sendText("{").sendText("{");
        abuser.closeCode();
      }
      server.request(HttpMethod.POST, "/api/rooms/" + slug + "/close", room.getString("moderatorKey"), null);

      List<String> events = lines.stream().map(l -> new JsonObject(l).getString("event")).toList();
      assertThat(events).contains("server.started", "room.created", "participant.banned", "socket.closed", "room.closed");
      String all = String.join("\n", lines);
      for (String secret : List.of(server.organizerKey(), room.getString("moderatorKey"), room.getString("speakerKey"),
          ada.getString("token"), "a secret question")) {
        assertThat(all).doesNotContain(secret);
      }
    } finally {
      TestServer.await(vertx.close());
    }
  }
}
