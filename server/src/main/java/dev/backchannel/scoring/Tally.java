package dev.backchannel.scoring;

/**
 * The exact sums of one post's ratings: {@code S0 = Σw}, {@code S1 = Σw·r}, {@code S2 = Σw·r²},
 * {@code Q = Σw²} (weights in {@link ScoringRules#UNITS}, Q in units²) and the count {@code n}.
 *
 * <p>Integer arithmetic makes adding and removing terms exact and order-independent; a weight is at
 * most 4·10^4 units, so {@code Q} stays exact in a double (Redis Lua) up to 5·10^6 ratings a post.
 */
public record Tally(long s0, long s1, long s2, long q, int n) {

  public static final Tally EMPTY = new Tally(0, 0, 0, 0, 0);

  /** The sums with one more rating of {@code value} given with {@code weight} units. */
  public Tally plus(long weight, int value) {
    return new Tally(s0 + weight, s1 + weight * value, s2 + weight * value * value, q + weight * weight, n + 1);
  }

  /** These sums and {@code other}'s together. */
  public Tally plus(Tally other) {
    return new Tally(s0 + other.s0, s1 + other.s1, s2 + other.s2, q + other.q, n + other.n);
  }

  /** These sums without {@code other}'s, which they include. */
  public Tally minus(Tally other) {
    return new Tally(s0 - other.s0, s1 - other.s1, s2 - other.s2, q - other.q, n - other.n);
  }

  /** The sums without a rating that was given with {@code weight} units and {@code value}. */
  public Tally minus(long weight, int value) {
    return new Tally(s0 - weight, s1 - weight * value, s2 - weight * value * value, q - weight * weight, n - 1);
  }
}
