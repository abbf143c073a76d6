package dev.backchannel.store;

import dev.backchannel.config.Config;
import dev.backchannel.loop.RoomLoops;
import dev.backchannel.store.embedded.EmbeddedStore;
import dev.backchannel.store.redis.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;

/** The one place a store engine is chosen by name; an unknown name fails start-up. */
public final class StoreEngines {

  /** Commands not answered within this many seconds answer {@code unavailable}. */
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(3);
  /** Commands held while Redis is unreachable, before new ones are refused outright. */
  private static final int REDIS_QUEUE = 10_000;
  /** Commands waiting for the embedded store's disk, before new ones are refused with {@code unavailable}. */
  private static final int JOURNAL_QUEUE = 32_768;

  private StoreEngines() {}

  public static Future<Store> create(Vertx vertx, Config config, RoomLoops loops, RoomEvents events, Clock clock) {
    Duration retention = Duration.ofMinutes(config.ackRetentionMinutes());
    return switch (config.store()) {
      case "memory" -> Future.succeededFuture(new MemoryStore(loops, new MemoryStore.Settings(config.scoring(), clock,
          new Ids(), config.historyLimit(), retention), events));
      case "embedded" -> EmbeddedStore.open(vertx, loops, new EmbeddedStore.Settings(config.scoring(), clock,
          new Ids(), config.historyLimit(), retention, Path.of(config.dataDir()),
          EmbeddedStore.Durability.of(config.durability()), JOURNAL_QUEUE), events).map(s -> s);
      case "redis" -> RedisStore.connect(vertx, loops, new RedisStore.Settings(config.scoring(), clock, new Ids(),
          config.historyLimit(), retention, config.redisUri(), REDIS_TIMEOUT, REDIS_QUEUE), events).map(s -> s);
      default -> Future.failedFuture(new IllegalArgumentException("Unknown store engine '" + config.store()
          + "': use memory, embedded or redis"));
    };
  }
}
