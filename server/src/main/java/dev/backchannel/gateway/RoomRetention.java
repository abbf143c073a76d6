package dev.backchannel.gateway;

import dev.backchannel.store.RoomPage;
import dev.backchannel.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes rooms that have been closed for {@code roomRetentionDays}: what an organizer promises
 * the audience about their data. Every node checks hourly; a room another node deleted first is
 * simply gone ({@code not_found} is ignored).
 */
final class RoomRetention {

  private static final long CHECK_MILLIS = Duration.ofHours(1).toMillis();
  private static final int PAGE = 200;

  private final Store store;
  private final EventLog log;
  private final Clock clock;
  private final Duration keep;

  RoomRetention(Store store, EventLog log, Clock clock, int days) {
    this.store = store;
    this.log = log;
    this.clock = clock;
    this.keep = Duration.ofDays(days);
  }

  /** Starts the hourly check (the first one a minute after start); returns the timer's id. */
  long start(Vertx vertx) {
    vertx.setTimer(60_000, id -> sweep(null));
    return vertx.setPeriodic(CHECK_MILLIS, id -> sweep(null));
  }

  /** Deletes the expired rooms of every page from {@code cursor} on. */
  Future<Void> sweep(String cursor) {
    Instant before = clock.instant().minus(keep);
    return store.rooms(PAGE, cursor).compose(page -> Future.join(page.rooms().stream()
            .filter(s -> s.closedAt() != null && s.closedAt().isBefore(before))
            .map(s -> delete(s)).toList())
        .compose(v -> page.next() == null ? Future.<Void>succeededFuture() : sweep(page.next())));
  }

  private Future<Void> delete(RoomPage.Summary s) {
    String slug = s.room().slug();
    return store.delete(slug)
        .onSuccess(v -> log.event("room.expired", "room", slug, "closedAt", s.closedAt().toString()))
        .recover(e -> Future.succeededFuture());
  }
}
