package dev.backchannel.gateway;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong room codes and invitations per network within a minute: after {@link #LIMIT} of them a
 * network is refused until the oldest is a minute old, so guessing a code takes months. Per node,
 * like the join limit (a balancer spreading one network over n nodes allows n times as many).
 */
final class WrongGuesses {

  static final int LIMIT = 10;
  private static final long WINDOW_NANOS = 60_000_000_000L;
  /** Networks tracked before all are forgotten, so a scan from many networks cannot grow it without bound. */
  private static final int MAX_NETWORKS = 100_000;

  private final Map<String, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();

  /** Whether {@code network} has {@link #LIMIT} wrong guesses within the last minute. */
  boolean blocked(String network) {
    ArrayDeque<Long> times = recent.get(network);
    if (times == null) {
      return false;
    }
    synchronized (times) {
      expire(times, System.nanoTime());
      return times.size() >= LIMIT;
    }
  }

  void wrong(String network) {
    if (recent.size() > MAX_NETWORKS) {
      recent.clear();
    }
    ArrayDeque<Long> times = recent.computeIfAbsent(network, n -> new ArrayDeque<>());
    synchronized (times) {
      long now = System.nanoTime();
      expire(times, now);
      times.addLast(now);
      if (times.size() > LIMIT) {
        times.removeFirst();
      }
    }
  }

  private static void expire(ArrayDeque<Long> times, long now) {
    while (!times.isEmpty() && now - times.peekFirst() > WINDOW_NANOS) {
      times.removeFirst();
    }
  }
}
