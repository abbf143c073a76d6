package dev.backchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.RedisServer;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes, each with its own Vert.x, on one Redis: participants on either node see the
 * same room, as they would behind a load balancer.
 */
class MultiNodeTest {

  private RedisServer redis;
  private Vertx vertxA;
  private Vertx vertxB;
  private TestServer nodeA;
  private TestServer nodeB;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    nodeA = TestServer.start(vertxA, "--store=redis", "--redis-uri=" + redis.uri(), "--broadcast-interval-ms=50",
        "--dashboard-interval-ms=50");
    nodeB = TestServer.start(vertxB, "--store=redis", "--redis-uri=" + redis.uri(), "--broadcast-interval-ms=50",
        "--dashboard-interval-ms=50");
  }

  @AfterEach
  void stop() {
    nodeA.close();
    nodeB.close();
    TestServer.await(vertxA.close());
    TestServer.await(vertxB.close());
    redis.close();
  }

  @Test
  void aPostThroughOneNodeReachesParticipantsOnTheOther() {
    JsonObject room = nodeA.createRoom("#cluster");
    String slug = room.getString("slug");
    JsonObject ada = nodeA.join(slug, "Ada");
    JsonObject bob = nodeB.join(slug, "Bob");
    try (TestSocket onA = nodeA.socket(); TestSocket onB = nodeB.socket()) {
      onA.helloToken(slug, ada.getString("token"));
      onB.helloToken(slug, bob.getString("token"));

      onA.send(new JsonObject().put("type", "post").put("cid", "c1").put("text", "from node A"));
      String id = onA.next("ack").getJsonObject("post").getString("id");

      JsonObject seen = onB.next(f -> "posts".equals(f.getString("type"))
          && f.getJsonArray("posts").stream().anyMatch(p -> id.equals(((JsonObject) p).getString("id"))), "the post on B");
      assertThat(seen.getJsonArray("posts").getJsonObject(0).getString("text")).isEqualTo("from node A");
    }
  }

  @Test
  void ratingsThroughOneNodeShowOnADashboardOnTheOther() {
    JsonObject room = nodeA.createRoom("#dash");
    String slug = room.getString("slug");
    JsonObject ada = nodeA.join(slug, "Ada");
    JsonObject bob = nodeB.join(slug, "Bob");
    try (TestSocket author = nodeA.socket(); TestSocket rater = nodeB.socket(); TestSocket speaker = nodeA.socket()) {
      author.helloToken(slug, ada.getString("token"));
      rater.helloToken(slug, bob.getString("token"));
      speaker.helloKey(slug, room.getString("speakerKey"));

      author.send(new JsonObject().put("type", "post").put("cid", "c1").put("text", "rate me"));
      String id = author.next("ack").getJsonObject("post").getString("id");
      rater.next("posts");
      rater.send(new JsonObject().put("type", "rate").put("cid", "r1").put("post", id).put("value", 5));
      assertThat(rater.next("ack").getJsonObject("post").getInteger("ratings")).isEqualTo(1);

      JsonObject dashboard = speaker.next(f -> "dashboard".equals(f.getString("type"))
          && f.getJsonArray("top").size() == 1 && f.getJsonArray("top").getJsonObject(0).getInteger("ratings") == 1,
          "a dashboard showing the rating");
      assertThat(dashboard.getJsonArray("top").getJsonObject(0).getDouble("score")).isEqualTo(1.67);
    }
  }

  @Test
  void presenceCountsParticipantsOnBothNodesOnce() {
    JsonObject room = nodeA.createRoom("#presence");
    String slug = room.getString("slug");
    JsonObject ada = nodeA.join(slug, "Ada");
    JsonObject bob = nodeB.join(slug, "Bob");
    try (TestSocket adaOnA = nodeA.socket(); TestSocket adaOnB = nodeB.socket(); TestSocket bobOnB = nodeB.socket()) {
      adaOnA.helloToken(slug, ada.getString("token"));
      adaOnB.helloToken(slug, ada.getString("token"));
      bobOnB.helloToken(slug, bob.getString("token"));

      adaOnA.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 2, "online 2 on A");
      bobOnB.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 2, "online 2 on B");
    }
  }

  @Test
  void aTokenFromOneNodeIsValidOnTheOther() {
    JsonObject room = nodeB.createRoom("#tokens");
    String slug = room.getString("slug");
    JsonObject ada = nodeA.join(slug, "Ada");
    try (TestSocket onB = nodeB.socket()) {
      assertThat(onB.helloToken(slug, ada.getString("token")).getJsonObject("you").getString("nick")).isEqualTo("Ada");
    }
  }
}
