package dev.backchannel.store;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.embedded.EmbeddedStore;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded engine, with durability {@code always} (its default) and its journal in a
 * directory of each test's own, passes the store conformance suite.
 */
class EmbeddedStoreConformanceTest extends StoreConformance {

  @TempDir
  Path dataDirs;
  private final AtomicInteger engines = new AtomicInteger();

  @Override
  protected Store createStore(Vertx vertx, RoomLoops loops, RoomEvents events, int historyLimit) {
    return TestServer.await(EmbeddedStore.open(vertx, loops, new EmbeddedStore.Settings(ScoringRules.defaults(),
        Clock.systemUTC(), new Ids(), historyLimit, Duration.ofMinutes(10),
        dataDirs.resolve("engine-" + engines.incrementAndGet()), EmbeddedStore.Durability.ALWAYS, 1000), events));
  }
}
