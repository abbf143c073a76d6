package dev.backchannel.scoring;

/**
 * The weighted sums a post's score and divergence are computed from (DESIGN.md, v2: {@code T0},
 * {@code T1}, {@code T2}, {@code TQ}, {@code n}), in fixed-point units like {@link Tally}. Without a
 * capped or held network they are the post's raw sums exactly, which is v1.
 */
public record Totals(double t0, double t1, double t2, double tq, int n) {

  /** The raw sums as totals: every network counts in full. */
  public static Totals of(Tally tally) {
    return new Totals(tally.s0(), tally.s1(), tally.s2(), tally.q(), tally.n());
  }

  /** Adds a network's sums scaled by its factor {@code f} (and {@code f²} for {@code Q}). */
  Totals plusScaled(Tally network, double weight, double factor) {
    return new Totals(t0 + weight, t1 + factor * network.s1(), t2 + factor * network.s2(),
        tq + factor * factor * network.q(), n + network.n());
  }
}
