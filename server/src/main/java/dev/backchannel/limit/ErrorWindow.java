package dev.backchannel.limit;

import java.util.ArrayDeque;

/**
 * Counts a socket's errors in a sliding window; {@link #record} says when they reach the limit
 * (PROTOCOL.md: 20 errors within 10 s close the socket with 1008). Holds at most {@code limit} stamps.
 */
public final class ErrorWindow {

  private final int limit;
  private final long windowNanos;
  private final ArrayDeque<Long> stamps = new ArrayDeque<>();

  public ErrorWindow(int limit, long windowNanos) {
    this.limit = limit;
    this.windowNanos = windowNanos;
  }

  /** Records one error; true when the window now holds {@code limit} of them. */
  public boolean record(long nowNanos) {
    while (!stamps.isEmpty() && nowNanos - stamps.peekFirst() >= windowNanos) {
      stamps.removeFirst();
    }
    stamps.addLast(nowNanos);
    if (stamps.size() > limit) {
      stamps.removeFirst();
    }
    return stamps.size() >= limit;
  }
}
