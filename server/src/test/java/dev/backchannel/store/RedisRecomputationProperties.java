package dev.backchannel.store;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.store.redis.RedisStore;
import dev.backchannel.testing.RedisServer;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The Redis engine, against a real redis-server of this test's own, against a full recomputation. */
class RedisRecomputationProperties extends RecomputationProperties {

  private static RedisServer redis;
  private static Vertx vertx;
  private static Store store;

  @BeforeContainer
  static void startStore() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    RoomLoops loops = TestServer.await(RoomLoops.start(vertx, 1));
    store = TestServer.await(RedisStore.connect(vertx, loops, new RedisStore.Settings(RULES, Clock.systemUTC(),
        new Ids(), 10_000, Duration.ofMinutes(10), redis.uri(), Duration.ofSeconds(3), 1000), event -> {}));
  }

  @AfterContainer
  static void stopStore() {
    try {
      if (store != null) {
        TestServer.await(store.close());
      }
      if (vertx != null) {
        TestServer.await(vertx.close());
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  @Override
  Store store() {
    return store;
  }
}
