package dev.backchannel.store;

import static dev.backchannel.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.redis.RedisStore;
import dev.backchannel.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: deleting a room leaves nothing of it in Redis. The room is filled with every kind of
 * key the engine writes (members, posts, ratings, networks, acks, invitations, identities, audit,
 * events), deleted, and Redis is scanned for anything still carrying its hash tag.
 */
class RedisDeleteTest {

  private RedisServer redis;
  private Vertx vertx;
  private Store store;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    RoomLoops loops = await(RoomLoops.start(vertx, 1));
    store = await(RedisStore.connect(vertx, loops, new RedisStore.Settings(ScoringRules.defaults(), Clock.systemUTC(),
        new Ids(), 100, Duration.ofMinutes(10), redis.uri(), Duration.ofSeconds(3), 1000), event -> { }));
  }

  @AfterEach
  void stop() {
    await(store.close());
    await(vertx.close());
    redis.close();
  }

  @Test
  void aDeletedRoomLeavesNoKeyBehind() {
    String slug = "gone";
    String kept = "kept";
    for (String s : List.of(slug, kept)) {
      await(store.createRoom(new NewRoom(s, "#" + s, s, hash("s" + s), hash("m" + s))));
      await(store.invite(s, List.of(new Invitation("h-" + s, "sealed", null))));
      String author = await(store.join(s, new JoinRequest("A", "10.0.0.0/24", null, "h-" + s, null))).participant().id();
      List<String> posts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        posts.add(await(store.post(s, author, "c" + i, "post " + i, null)).id());
      }
      for (int r = 0; r < 5; r++) {
        String rater = await(store.join(s, null, "10.0." + (r % 2) + ".0/24")).id();
        for (String p : posts) {
          await(store.rate(s, rater, "r" + r + p, p, r - 2));
        }
      }
      await(store.audit(s, new AuditEntry(Instant.now(), "moderator", "hide", posts.get(0), null, null)));
      await(store.close(s));
    }

    await(store.delete(slug));

    try (RedisClient client = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> left = connection.sync().keys("*{" + slug + "}*");
      assertThat(left).as("keys of the deleted room").isEmpty();
      assertThat(connection.sync().keys("*{" + kept + "}*")).as("the other room is untouched").isNotEmpty();
      assertThat(connection.sync().zrange("bc:{_rooms}:index", 0, -1)).containsExactly(kept);
    }
  }

  private static byte[] hash(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
