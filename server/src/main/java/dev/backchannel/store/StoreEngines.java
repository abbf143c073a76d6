package dev.backchannel.store;

import dev.backchannel.config.Config;
import dev.backchannel.loop.RoomLoops;
import java.time.Clock;
import java.time.Duration;

/** The one place a store engine is chosen by name; an unknown name fails start-up. */
public final class StoreEngines {

  private StoreEngines() {}

  public static Store create(Config config, RoomLoops loops, RoomEvents events, Clock clock) {
    return switch (config.store()) {
      case "memory" -> new MemoryStore(loops, new MemoryStore.Settings(config.scoring(), clock, new Ids(),
          config.historyLimit(), Duration.ofMinutes(config.ackRetentionMinutes())), events);
      default -> throw new IllegalArgumentException("Unknown store engine '" + config.store()
          + "': this build offers memory");
    };
  }
}
