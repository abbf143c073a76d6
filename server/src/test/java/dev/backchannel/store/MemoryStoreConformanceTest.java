package dev.backchannel.store;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.scoring.ScoringRules;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

/** The memory engine, built as {@link StoreEngines} builds it, passes the store conformance suite. */
class MemoryStoreConformanceTest extends StoreConformance {

  @Override
  protected Store createStore(Vertx vertx, RoomLoops loops, RoomEvents events, int historyLimit) {
    return new MemoryStore(loops, new MemoryStore.Settings(ScoringRules.defaults(), Clock.systemUTC(), new Ids(),
        historyLimit, Duration.ofMinutes(10)), events);
  }
}
