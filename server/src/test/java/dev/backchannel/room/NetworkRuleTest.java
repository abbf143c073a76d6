package dev.backchannel.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * v2 over the wire (DESIGN.md "v2: one network cannot outvote the room"): participants join
 * through a trusted proxy from many networks, twenty identities from one network stuff a post, and
 * moderators see the held pair live, decide about it, and ask why a post is where it is; speakers
 * see only that a post has held ratings; the audience sees none of it.
 */
class NetworkRuleTest {

  private static final String SYBILS = "198.51.100.";

  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--trusted-proxies=127.0.0.1", "--joins-per-minute=100000",
        "--dashboard-interval-ms=50", "--broadcast-interval-ms=50");
  }

  @AfterAll
  static void stopServer() {
    server.close();
    TestServer.await(vertx.close());
  }

  private record Identity(String id, String token) {}

  /** A room with a troll post: twelve honest networks rate it -4..-2, twenty sybils of one network +5. */
  private record Stuffed(String slug, String speakerKey, String moderatorKey, String troll, List<Identity> sybils) {}

  @Test
  void moderatorsSeeTheHeldNetworkLiveAndReleaseOrConfirmIt() {
    Stuffed room = stuffed("#held-live");
    try (TestSocket moderator = server.socket(); TestSocket speaker = server.socket();
        TestSocket audience = server.socket()) {
      moderator.helloKey(room.slug(), room.moderatorKey());
      speaker.helloKey(room.slug(), room.speakerKey());
      audience.helloToken(room.slug(), join(room.slug(), "203.0.113.9").token());

      JsonObject pair = heldPair(moderator, room.troll(), p -> p.getValue("decision") == null);
      assertThat(pair.getString("network")).matches("n[0-9a-f]{10}");
      assertThat(pair.getString("family")).isEqualTo("ipv4");
      assertThat(pair.getInteger("raters")).isEqualTo(20);
      assertThat(pair.getDouble("mean")).isEqualTo(5.0);
      assertThat(pair.getDouble("referenceMean")).isEqualTo(-3.0);
      assertThat(pair.getDouble("hold")).isEqualTo(0.0);
      assertThat(pair.getDouble("scoreWith")).isEqualTo(-2.57);
      assertThat(pair.getInteger("ratedOtherPosts")).isZero();
      assertThat(pair.encode()).doesNotContain(SYBILS);

      JsonObject dashboard = speaker.next(f -> "dashboard".equals(f.getString("type"))
          && f.getJsonArray("held").contains(room.troll()), "a dashboard naming the held post");
      assertThat(dashboard.getJsonArray("held")).containsExactly(room.troll());

      JsonObject released = call(moderator, decision("d1", pair.getString("network"), room.troll(), "release"));
      assertThat(released.getJsonObject("post").getDouble("score")).isEqualTo(0.92);
      assertThat(heldPair(moderator, room.troll(), p -> "released".equals(p.getString("decision"))).getDouble("hold"))
          .isEqualTo(1.0);

      JsonObject confirmed = call(moderator, decision("d2", pair.getString("network"), room.troll(), "confirm"));
      assertThat(confirmed.getJsonObject("post").getDouble("score")).isEqualTo(-2.57);
      heldPair(moderator, room.troll(), p -> "confirmed".equals(p.getString("decision")));

      for (TestSocket notModerator : List.of(speaker, audience)) {
        assertThat(notModerator.drain(Duration.ofMillis(300))).extracting(f -> f.getString("type"))
            .doesNotContain("held");
      }
    }
  }

  @Test
  void onlyModeratorsDecideAndDecisionsAreChecked() {
    Stuffed room = stuffed("#held-checks");
    try (TestSocket moderator = server.socket(); TestSocket speaker = server.socket()) {
      moderator.helloKey(room.slug(), room.moderatorKey());
      speaker.helloKey(room.slug(), room.speakerKey());
      String label = heldPair(moderator, room.troll(), p -> true).getString("network");

      assertThat(refusal(speaker, decision("s1", label, room.troll(), "release"))).isEqualTo("forbidden");
      assertThat(refusal(moderator, decision("m1", label, room.troll(), "forget"))).isEqualTo("invalid");
      assertThat(refusal(moderator, decision("m2", label, null, "confirm"))).isEqualTo("invalid");
      assertThat(refusal(moderator, decision("m3", "n0000000000", room.troll(), "release"))).isEqualTo("not_found");
      assertThat(refusal(moderator, decision("m4", label, "p-none", "release"))).isEqualTo("not_found");
    }
  }

  @Test
  void banningTheNetworkClosesItsSocketsAndItsRatingsLeave() {
    Stuffed room = stuffed("#held-ban");
    try (TestSocket moderator = server.socket(); TestSocket sybil = server.socket()) {
      moderator.helloKey(room.slug(), room.moderatorKey());
      sybil.helloToken(room.slug(), room.sybils().get(0).token());
      String label = heldPair(moderator, room.troll(), p -> true).getString("network");

      JsonObject ack = call(moderator, decision("b1", label, null, "ban"));

      assertThat(ack.containsKey("post")).isFalse();
      assertThat(sybil.closeCode()).isEqualTo((short) 4403);
      JsonObject post = listed(room.slug(), room.troll());
      assertThat(post.getInteger("ratings")).isEqualTo(12);
      assertThat(post.getDouble("score")).isEqualTo(-2.57);
      moderator.next(f -> "held".equals(f.getString("type")) && f.getJsonArray("networks").isEmpty(),
          "an empty held list");
      TestServer.Response again = server.request(HttpMethod.POST, "/api/rooms/" + room.slug() + "/participants",
          null, "{}", Map.of("X-Forwarded-For", SYBILS + "77"));
      assertThat(again.status()).isEqualTo(403);
      assertThat(again.errorCode()).isEqualTo("forbidden");
    }
  }

  @Test
  void whyGivesStaffTheScoresIngredients() {
    Stuffed room = stuffed("#held-why");
    String path = "/api/rooms/" + room.slug() + "/posts/" + room.troll() + "/why";

    TestServer.Response r = server.request(HttpMethod.GET, path, room.speakerKey(), null);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject why = r.json();
    assertThat(why.getString("post")).isEqualTo(room.troll());
    assertThat(why.getDouble("score")).isEqualTo(-2.57);
    assertThat(why.getInteger("ratings")).isEqualTo(32);
    assertThat(why.getDouble("weight")).isEqualTo(12.0);
    assertThat(why.getDouble("rawWeight")).isEqualTo(32.0);
    assertThat(why.getJsonObject("newcomers")).isEqualTo(new JsonObject().put("ratings", 32).put("weight", 32.0));
    assertThat(why.getInteger("networks")).isEqualTo(13);
    JsonArray special = why.getJsonArray("special");
    assertThat(special).hasSize(1);
    assertThat(special.getJsonObject(0).getBoolean("capped")).isTrue();
    assertThat(special.getJsonObject(0).getDouble("hold")).isEqualTo(0.0);
    assertThat(why.getDouble("scoreWithoutHeldOrCapped")).isEqualTo(-2.57);
    assertThat(r.body()).doesNotContain(SYBILS);

    assertThat(server.request(HttpMethod.GET, path, room.moderatorKey(), null).status()).isEqualTo(200);
    assertThat(server.request(HttpMethod.GET, path, null, null).errorCode()).isEqualTo("unauthorized");
    assertThat(server.request(HttpMethod.GET, path, "not-a-key", null).status()).isEqualTo(401);
    TestServer.Response unknown = server.request(HttpMethod.GET, "/api/rooms/" + room.slug() + "/posts/p-none/why",
        room.speakerKey(), null);
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void participantsFromOneNetworkCountAtMostAsTwelveNewcomers() {
    JsonObject created = server.createRoom("#one-network-cap");
    String slug = created.getString("slug");
    String post = write(slug, join(slug, "203.0.113.1"), "Rated by one network");
    for (int i = 0; i < 20; i++) {
      rateAs(join(slug, "192.0.2." + (i + 1)), slug, post, 4);
    }
    // (12·4) / (2 + 12); v1 gave (20·4) / (2 + 20) = 3.64
    assertThat(listed(slug, post).getDouble("score")).isCloseTo(3.43, within(1e-9));
  }

  private static Stuffed stuffed(String hashtag) {
    JsonObject created = server.createRoom(hashtag);
    String slug = created.getString("slug");
    String troll = write(slug, join(slug, "203.0.113.1"), "Troll post");
    for (int i = 0; i < 12; i++) {
      rateAs(join(slug, "10." + (i + 1) + ".0.7"), slug, troll, -4 + i % 3);
    }
    List<Identity> sybils = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Identity sybil = join(slug, SYBILS + (i + 1));
      sybils.add(sybil);
      rateAs(sybil, slug, troll, 5);
    }
    return new Stuffed(slug, created.getString("speakerKey"), created.getString("moderatorKey"), troll, sybils);
  }

  /** Joins as if from {@code address}, through the trusted proxy on 127.0.0.1. */
  private static Identity join(String slug, String address) {
    TestServer.Response r = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, "{}",
        Map.of("X-Forwarded-For", address));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return new Identity(r.json().getJsonObject("participant").getString("id"), r.json().getString("token"));
  }

  private static String write(String slug, Identity author, String text) {
    try (TestSocket s = server.socket()) {
      s.helloToken(slug, author.token());
      return call(s, new JsonObject().put("type", "post").put("cid", "w").put("text", text))
          .getJsonObject("post").getString("id");
    }
  }

  private static void rateAs(Identity rater, String slug, String post, int value) {
    try (TestSocket s = server.socket()) {
      s.helloToken(slug, rater.token());
      call(s, new JsonObject().put("type", "rate").put("cid", "r").put("post", post).put("value", value));
    }
  }

  /** The moderators' held entry for {@code post} once one matches {@code test}. */
  private static JsonObject heldPair(TestSocket moderator, String post, java.util.function.Predicate<JsonObject> test) {
    JsonObject[] found = new JsonObject[1];
    moderator.next(f -> {
      if (!"held".equals(f.getString("type"))) {
        return false;
      }
      for (Object o : f.getJsonArray("networks")) {
        JsonObject pair = (JsonObject) o;
        if (post.equals(pair.getString("post")) && test.test(pair)) {
          found[0] = pair;
          return true;
        }
      }
      return false;
    }, "a held list with the pair of " + post);
    return found[0];
  }

  private static JsonObject decision(String cid, String network, String post, String decision) {
    JsonObject d = new JsonObject().put("type", "network").put("cid", cid).put("network", network)
        .put("decision", decision);
    return post == null ? d : d.put("post", post);
  }

  private static JsonObject call(TestSocket s, JsonObject command) {
    String cid = command.getString("cid");
    s.send(command);
    JsonObject answer = s.next(f -> cid.equals(f.getString("cid")), "an answer to " + cid);
    assertThat(answer.getString("type")).as("answer to %s: %s", command, answer).isEqualTo("ack");
    return answer;
  }

  private static String refusal(TestSocket s, JsonObject command) {
    String cid = command.getString("cid");
    s.send(command);
    JsonObject answer = s.next(f -> cid.equals(f.getString("cid")), "an answer to " + cid);
    assertThat(answer.getString("type")).as("answer to %s", command).isEqualTo("error");
    return answer.getString("code");
  }

  private static JsonObject listed(String slug, String post) {
    TestServer.Response r = server.request(HttpMethod.GET, "/api/rooms/" + slug + "/posts?sort=new&limit=200", null, null);
    return r.json().getJsonArray("posts").stream().map(JsonObject.class::cast)
        .filter(p -> post.equals(p.getString("id"))).findFirst().orElseThrow();
  }
}
