package dev.backchannel.bench.load;

import java.util.function.BooleanSupplier;
import java.util.function.LongToDoubleFunction;

/**
 * Open-loop pacing on one lane: every millisecond it adds {@code rate(elapsed)·dt} credits and
 * fires the action once per credit, whatever the answers do (a slow server does not slow the
 * offered load). Credits beyond {@code maxBacklogMillis} are dropped and counted: the generator
 * itself could not keep up and the report says so.
 */
final class Pacer {

  private final Lanes.Lane lane;
  private final LongToDoubleFunction ratePerSecond;
  private final BooleanSupplier action;
  private final long maxBacklogMillis;
  private long timer = -1;
  private long start;
  private long last;
  private double credit;
  private long fired;
  private long dropped;
  private long refused;

  /**
   * @param ratePerSecond the rate at a given number of nanoseconds since {@link #start()}
   * @param action fires one unit; false when it could not (e.g. every socket has too much in flight)
   */
  Pacer(Lanes.Lane lane, LongToDoubleFunction ratePerSecond, BooleanSupplier action, long maxBacklogMillis) {
    this.lane = lane;
    this.ratePerSecond = ratePerSecond;
    this.action = action;
    this.maxBacklogMillis = maxBacklogMillis;
  }

  /** Starts on the lane's loop. */
  void start() {
    lane.context.runOnContext(v -> {
      start = System.nanoTime();
      last = start;
      timer = lane.vertx().setPeriodic(1, id -> tick());
    });
  }

  void stop() {
    lane.context.runOnContext(v -> {
      if (timer >= 0) {
        lane.vertx().cancelTimer(timer);
        timer = -1;
      }
      lane.metrics.count("pacer.fired", fired);
      lane.metrics.count("pacer.dropped", dropped);
      lane.metrics.count("pacer.refused", refused);
      fired = dropped = refused = 0;
    });
  }

  private void tick() {
    long now = System.nanoTime();
    double rate = ratePerSecond.applyAsDouble(now - start);
    credit += rate * (now - last) / 1e9;
    last = now;
    double cap = Math.max(1, rate * maxBacklogMillis / 1000.0);
    if (credit > cap) {
      dropped += (long) (credit - cap);
      credit = cap;
    }
    while (credit >= 1) {
      credit -= 1;
      if (action.getAsBoolean()) {
        fired++;
      } else {
        refused++;
      }
    }
  }
}
