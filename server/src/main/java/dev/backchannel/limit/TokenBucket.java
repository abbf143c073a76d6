package dev.backchannel.limit;

/**
 * A token bucket: {@code capacity} tokens, refilled at {@code perSecond}. Used on one loop only,
 * with the caller's clock in nanoseconds, so it needs no synchronisation and is easy to test.
 */
public final class TokenBucket {

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long last;

  public TokenBucket(double capacity, double perSecond, long nowNanos) {
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.tokens = capacity;
    this.last = nowNanos;
  }

  /** Takes one token if there is one. */
  public boolean tryTake(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
