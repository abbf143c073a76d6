package dev.backchannel.store;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.redis.RedisStore;
import dev.backchannel.testing.RedisServer;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis engine, against a real redis-server of this test's own, passes the store conformance suite. */
class RedisStoreConformanceTest extends StoreConformance {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected Store createStore(Vertx vertx, RoomLoops loops, RoomEvents events, int historyLimit) {
    return TestServer.await(RedisStore.connect(vertx, loops, new RedisStore.Settings(ScoringRules.defaults(),
        Clock.systemUTC(), new Ids(), historyLimit, Duration.ofMinutes(10), redis.uri(), Duration.ofSeconds(3), 1000),
        events));
  }
}
