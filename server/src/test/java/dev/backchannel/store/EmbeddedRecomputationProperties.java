package dev.backchannel.store;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.store.embedded.EmbeddedStore;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The embedded engine against a full recomputation, restarted from its journal every
 * {@link #RESTART_EVERY} calls: most generated rooms are checked after one or more replays, so the
 * state a restart rebuilds is the state a recomputation from the stored ratings gives. Durability
 * {@code batch} keeps the thousands of generated commands fast; {@code close} syncs them all.
 */
class EmbeddedRecomputationProperties extends RecomputationProperties {

  private static final int RESTART_EVERY = 2000;

  private static Path dataDir;
  private static Vertx vertx;
  private static RoomLoops loops;
  private static Store store;
  private static int calls;

  @BeforeContainer
  static void startStore() throws IOException {
    dataDir = Files.createTempDirectory("backchannel-recomputation");
    vertx = Vertx.vertx();
    loops = TestServer.await(RoomLoops.start(vertx, 1));
    store = open();
  }

  private static Store open() {
    return TestServer.await(EmbeddedStore.open(vertx, loops, new EmbeddedStore.Settings(RULES, Clock.systemUTC(),
        new Ids(), 10_000, Duration.ofMinutes(10), dataDir, EmbeddedStore.Durability.BATCH, 10_000), event -> {}));
  }

  @AfterContainer
  static void stopStore() throws IOException {
    try {
      if (store != null) {
        TestServer.await(store.close());
      }
      if (vertx != null) {
        TestServer.await(vertx.close());
      }
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  Store store() {
    if (++calls % RESTART_EVERY == 0) {
      TestServer.await(store.close());
      store = open();
    }
    return store;
  }
}
