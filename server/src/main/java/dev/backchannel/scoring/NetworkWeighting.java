package dev.backchannel.scoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Predicate;

/**
 * v2's weighting of one post's ratings by network (DESIGN.md "v2: one network cannot outvote the
 * room"): the cap {@code C}, the hold test against the reference, and the post's totals. A pure
 * function of integer sums, so a post's state equals a recomputation from its stored ratings;
 * {@code common.lua} mirrors it line by line.
 *
 * <p>Only the post's <em>special</em> networks ({@link NetworkRules#special}) are looked at one by
 * one: every other network counts in full, so together they are the post's raw sums minus the
 * special ones, exactly. That keeps the work per rating O(special networks of the post), typically
 * none or a venue NAT.
 */
public final class NetworkWeighting {

  /**
   * One special network's ratings on the post.
   *
   * @param decision a moderator's hold factor (1 released, 0 confirmed), or null
   * @param venueExempt a venue network rating no more than its usual share: never held
   */
  public record Sums(Tally tally, Double decision, boolean venueExempt) {}

  /**
   * What the rule made of one special network.
   *
   * @param hold {@code h_g} in force: the decision, else the test's
   * @param tested {@code h_g} as the test alone gives it
   * @param z the test statistic, 0 when the network was not tested
   * @param mean the network's mean rating
   * @param referenceMean the reference's mean rating, NaN when there was none
   * @param effective {@code E_g = min(S0_g, C)} in units
   */
  public record Verdict(Tally sums, double hold, double tested, double z, double mean, double referenceMean,
      double effective) {

    /** The network's ratings count less than in full because of a hold (tested or confirmed). */
    public boolean held() {
      return hold < 1;
    }

    /** Held by the test (whatever a moderator decided since). */
    public boolean flagged() {
      return tested < 1;
    }

    public boolean capped() {
      return effective < sums.s0();
    }

    /** {@code f_g = h_g · E_g / S0_g}. */
    double factor() {
      return sums.s0() == 0 ? 0 : hold * effective / sums.s0();
    }
  }

  /** The post weighed: the sums of its ordinary networks and each special network's verdict. */
  public record Weighed(Tally ordinary, Map<String, Verdict> verdicts) {

    /** {@code T0, T1, T2, TQ, n} of the post. */
    public Totals totals() {
      return totals(network -> true);
    }

    /** The totals counting ordinary networks and only the special ones {@code keep} names. */
    public Totals totals(Predicate<String> keep) {
      Totals t = Totals.of(ordinary);
      for (Map.Entry<String, Verdict> e : verdicts.entrySet()) {
        Verdict v = e.getValue();
        if (keep.test(e.getKey())) {
          t = t.plusScaled(v.sums(), v.hold() * v.effective(), v.factor());
        }
      }
      return t;
    }

    /** Special networks whose ratings are held back now. */
    public int held() {
      int held = 0;
      for (Verdict v : verdicts.values()) {
        held += v.held() ? 1 : 0;
      }
      return held;
    }
  }

  private final NetworkRules rules;

  public NetworkWeighting(NetworkRules rules) {
    this.rules = rules;
  }

  public NetworkRules rules() {
    return rules;
  }

  /**
   * Weighs a post: {@code all} is the raw sums of every rating, {@code special} its special
   * networks in network order (the order the sums are added in, so every engine adds alike).
   */
  public Weighed weigh(Tally all, SortedMap<String, Sums> special) {
    if (special.isEmpty()) {
      return new Weighed(all, Map.of());
    }
    long cap = rules.capUnits();
    Tally ordinary = all;
    Tally reference = all; // raw sums of the networks with fewer than holdMinRatings ratings
    double c0 = 0, c1 = 0, c2 = 0;
    int cn = 0; // capped sums of the special networks
    for (Sums s : special.values()) {
      Tally t = s.tally();
      ordinary = ordinary.minus(t);
      if (t.n() >= rules.holdMinRatings()) {
        reference = reference.minus(t);
      }
      if (t.s0() > 0) {
        double k = (double) Math.min(t.s0(), cap) / t.s0();
        c0 += Math.min(t.s0(), cap);
        c1 += k * t.s1();
        c2 += k * t.s2();
        cn += t.n();
      }
    }
    boolean smallEnough = reference.s0() >= rules.referenceMinWeight() * ScoringRules.UNITS;
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    for (Map.Entry<String, Sums> e : special.entrySet()) {
      Sums s = e.getValue();
      Tally t = s.tally();
      double effective = Math.min(t.s0(), cap);
      double mean = t.s0() == 0 ? 0 : (double) t.s1() / t.s0();
      double r0, r1, r2;
      int rn;
      if (smallEnough) {
        r0 = reference.s0();
        r1 = reference.s1();
        r2 = reference.s2();
        rn = reference.n();
      } else { // every other network, capped: the ordinary ones are below the cap already
        double k = t.s0() == 0 ? 0 : effective / t.s0();
        r0 = ordinary.s0() + c0 - effective;
        r1 = ordinary.s1() + c1 - k * t.s1();
        r2 = ordinary.s2() + c2 - k * t.s2();
        rn = ordinary.n() + cn - t.n();
      }
      double tested = 1;
      double z = 0;
      double referenceMean = r0 > 0 && rn > 0 ? r1 / r0 : Double.NaN;
      if (t.n() >= rules.holdMinRatings() && !s.venueExempt() && !Double.isNaN(referenceMean)) {
        double delta = Math.abs(mean - referenceMean);
        double vg = Math.max(rules.varianceFloor(), (double) t.s2() / t.s0() - mean * mean);
        double vr = Math.max(rules.varianceFloor(), r2 / r0 - referenceMean * referenceMean);
        z = delta / Math.sqrt(vg / t.n() + vr / rn);
        if (z > rules.holdZ()) {
          tested = clamp((rules.holdFullDelta() - delta) / rules.holdFadeDelta());
        }
      }
      double hold = s.decision() != null ? s.decision() : tested;
      verdicts.put(e.getKey(), new Verdict(t, hold, tested, z, mean, referenceMean, effective));
    }
    return new Weighed(ordinary, verdicts);
  }

  private static double clamp(double h) {
    return Math.max(0, Math.min(1, h));
  }
}
