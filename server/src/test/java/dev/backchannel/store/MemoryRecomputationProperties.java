package dev.backchannel.store;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The memory engine against a full recomputation. */
class MemoryRecomputationProperties extends RecomputationProperties {

  private static Vertx vertx;
  private static Store store;

  @BeforeContainer
  static void startStore() {
    vertx = Vertx.vertx();
    RoomLoops loops = TestServer.await(RoomLoops.start(vertx, 1));
    store = new MemoryStore(loops, new MemoryStore.Settings(RULES, Clock.systemUTC(), new Ids(), 10_000,
        Duration.ofMinutes(10)), event -> {});
  }

  @AfterContainer
  static void stopStore() {
    TestServer.await(vertx.close());
  }

  @Override
  Store store() {
    return store;
  }
}
