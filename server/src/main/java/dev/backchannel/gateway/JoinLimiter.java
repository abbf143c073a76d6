package dev.backchannel.gateway;

import dev.backchannel.limit.TokenBucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Joins per client address per minute, generous enough for a whole audience behind one conference
 * NAT. Shared by all gateway instances; each address's bucket is locked only for its own update.
 */
final class JoinLimiter {

  /** Addresses tracked before idle ones are forgotten, so a scan of many addresses cannot grow it without bound. */
  private static final int MAX_ADDRESSES = 100_000;

  private final int perMinute;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  JoinLimiter(int perMinute) {
    this.perMinute = perMinute;
  }

  boolean allow(String address) {
    long now = System.nanoTime();
    if (buckets.size() > MAX_ADDRESSES) {
      buckets.clear(); // forgetting every allowance only ever lets joins through; it never refuses one
    }
    TokenBucket bucket = buckets.computeIfAbsent(address, a -> new TokenBucket(perMinute, perMinute / 60.0, now));
    synchronized (bucket) {
      return bucket.tryTake(now);
    }
  }
}
