package dev.backchannel.scoring;

/**
 * The constants of the scoring model (DESIGN.md "Scoring"), with the documented defaults.
 *
 * <p>Weights, priors and karma are kept as fixed-point integers of {@link #UNITS} per unit, so the
 * incremental sums of a post are exact: they equal a full recomputation from the stored ratings in
 * any order, and the memory and Redis engines (Lua numbers are doubles, exact to 2^53) compute the
 * same sums. Both write {@code ln(1 + x)} the same way (Lua has no log1p), so weights and priors
 * agree too, save a libm difference of one ulp landing exactly on a rounding boundary.
 */
public record ScoringRules(
    double weightSlope,
    double weightMin,
    double weightMax,
    double priorSlope,
    double priorLimit,
    double priorWeight,
    double karmaDivisor,
    double divergenceDamping,
    double collapseScore,
    int collapseMinRatings,
    int divergentMinRatings,
    NetworkRules networks) {

  public ScoringRules {
    networks = networks == null ? NetworkRules.defaults() : networks;
  }

  /** Fixed-point units per 1.0 of weight, prior or karma·5. */
  public static final long UNITS = 10_000;

  /** Rating values a participant may give. */
  public static final int MIN_RATING = -5;

  public static final int MAX_RATING = 5;

  public static ScoringRules defaults() {
    return new ScoringRules(0.5, 0.25, 4.0, 0.75, 2.0, 2.0, 5.0, 3.0, -2.0, 5, 3, NetworkRules.defaults());
  }

  /** The same rules with other network constants (v2; {@code enabled == false} is v1). */
  public ScoringRules withNetworks(NetworkRules n) {
    return new ScoringRules(weightSlope, weightMin, weightMax, priorSlope, priorLimit, priorWeight, karmaDivisor,
        divergenceDamping, collapseScore, collapseMinRatings, divergentMinRatings, n);
  }

  /** {@code w(k) = clamp(1 + slope·sign(k)·ln(1 + |k|/5), min, max)} in fixed-point units. */
  public long weightUnits(double karma) {
    double w = clamp(1 + weightSlope * Math.signum(karma) * Math.log(1 + Math.abs(karma) / 5), weightMin, weightMax);
    return Math.round(w * UNITS);
  }

  /**
   * A rating weight of a participant who joined a room unverified, in a room whose organizer
   * weighs such ratings by {@code factor} (0 to 1; 1 changes nothing). Fixed point, rounded half up
   * as the Redis scripts do.
   */
  public static long unverified(long weightUnits, double factor) {
    return factor == 1.0 ? weightUnits : (long) Math.floor(weightUnits * factor + 0.5);
  }

  /** {@code m0(k) = clamp(slope·sign(k)·ln(1 + |k|/5), -limit, limit)} in fixed-point units. */
  public long priorUnits(double authorKarma) {
    double m0 = clamp(priorSlope * Math.signum(authorKarma) * Math.log(1 + Math.abs(authorKarma) / 5), -priorLimit, priorLimit);
    return Math.round(m0 * UNITS);
  }

  /** Karma from its fixed-point sum of {@code w·r} terms: each term counts {@code w·r / divisor}. */
  public double karma(long karmaUnits) {
    return karmaUnits / (karmaDivisor * UNITS);
  }

  /** Bayesian average {@code (W0·m0 + S1) / (W0 + S0)}. */
  public double score(Tally tally, long priorUnits) {
    return score(Totals.of(tally), priorUnits);
  }

  /** v2's {@code (W0·m0 + T1) / (W0 + T0)}; equal to v1's when no network is capped or held. */
  public double score(Totals totals, long priorUnits) {
    double w0 = priorWeight;
    return (w0 * priorUnits / UNITS + totals.t1() / UNITS) / (w0 + totals.t0() / UNITS);
  }

  /** {@code (sd/5) · n_eff/(n_eff + 3)}: how strongly the weighted ratings split the room, in [0, 1]. */
  public double divergence(Tally tally) {
    return divergence(Totals.of(tally));
  }

  /** v1's divergence on v2's totals. */
  public double divergence(Totals totals) {
    if (totals.n() == 0 || totals.t0() <= 0) {
      return 0.0;
    }
    double s0 = totals.t0();
    double mean = totals.t1() / s0;
    double variance = Math.max(0.0, totals.t2() / s0 - mean * mean);
    double sd = Math.sqrt(variance);
    double nEff = s0 * s0 / totals.tq();
    return Math.min(1.0, sd / MAX_RATING * nEff / (nEff + divergenceDamping));
  }

  /** Folded for the audience: {@code score ≤ -2} with at least 5 ratings. */
  public boolean collapsed(double score, int ratings) {
    return ratings >= collapseMinRatings && score <= collapseScore;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
