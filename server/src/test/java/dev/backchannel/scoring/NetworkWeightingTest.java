package dev.backchannel.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * v2's network rule against DESIGN.md ("v2: one network cannot outvote the room"), with the
 * formulas written out here from the table rather than taken from the main code.
 */
class NetworkWeightingTest {

  private static final long U = ScoringRules.UNITS;
  private final ScoringRules rules = ScoringRules.defaults();
  private final NetworkWeighting weighting = new NetworkWeighting(NetworkRules.defaults());

  /** Newcomers' ratings (weight 1), each value once. */
  private static Tally newcomers(int... values) {
    Tally t = Tally.EMPTY;
    for (int v : values) {
      t = t.plus(U, v);
    }
    return t;
  }

  private static Tally repeat(int count, int value) {
    int[] values = new int[count];
    java.util.Arrays.fill(values, value);
    return newcomers(values);
  }

  private static SortedMap<String, NetworkWeighting.Sums> special(String network, Tally t, Double decision,
      boolean venueExempt) {
    SortedMap<String, NetworkWeighting.Sums> m = new TreeMap<>();
    m.put(network, new NetworkWeighting.Sums(t, decision, venueExempt));
    return m;
  }

  @Test
  void withoutSpecialNetworksTheTotalsAreV1sSums() {
    Tally all = newcomers(5, 5, 5, -5, 3);
    NetworkWeighting.Weighed w = weighting.weigh(all, new TreeMap<>());
    assertThat(w.totals()).isEqualTo(Totals.of(all));
    assertThat(rules.score(w.totals(), 0)).isEqualTo(rules.score(all, 0));
    assertThat(rules.divergence(w.totals())).isEqualTo(rules.divergence(all));
    assertThat(w.held()).isZero();
  }

  @Test
  void aNetworkAboveTheCapCountsAsTwelveNewcomersWithItsOwnMeanAndSpread() {
    Tally net = repeat(15, 5).plus(repeat(15, -5)); // 30 raters split evenly
    NetworkWeighting.Weighed w = weighting.weigh(net, special("a", net, null, false));

    Totals t = w.totals();
    double f = 12.0 / 30; // E/S0
    assertThat(t.t0()).isCloseTo(12 * U, within(1e-6));
    assertThat(t.t1()).isCloseTo(0, within(1e-6));
    assertThat(t.t2()).isCloseTo(f * 30 * 25 * U, within(1e-3));
    assertThat(t.tq()).isCloseTo(f * f * 30 * U * U, within(1e-3));
    assertThat(t.n()).isEqualTo(30);
    // sd = 5, n_eff = T0²/TQ = 30 (the spread is the network's own), damped: 5/5 · 30/33
    assertThat(rules.divergence(t)).isCloseTo(30.0 / 33, within(1e-9));
    assertThat(w.verdicts().get("a").capped()).isTrue();
    assertThat(w.verdicts().get("a").held()).isFalse();
  }

  @Test
  void aNetworkFarFromTheReferenceIsHeldCompletely() {
    Tally honest = newcomers(-3, -3, -3, -3, -3, -3);
    Tally bloc = repeat(10, 5);
    NetworkWeighting.Weighed w = weighting.weigh(honest.plus(bloc), special("bloc", bloc, null, false));

    NetworkWeighting.Verdict v = w.verdicts().get("bloc");
    // Δ = 8, v = max(4, 0) on both sides: z = 8 / sqrt(4/10 + 4/6)
    assertThat(v.z()).isCloseTo(8 / Math.sqrt(0.4 + 4.0 / 6), within(1e-9));
    assertThat(v.referenceMean()).isEqualTo(-3.0);
    assertThat(v.tested()).isZero(); // clamp((2.5 − 8)/1.5, 0, 1)
    assertThat(v.hold()).isZero();
    assertThat(w.held()).isEqualTo(1);
    assertThat(rules.score(w.totals(), 0)).isCloseTo(-18.0 / 8, within(1e-9));
    assertThat(w.totals().n()).isEqualTo(16);
  }

  @Test
  void aNetworkSomewhatAboveTheRoomKeepsPartOfItsWeight() {
    // the reference: twenty newcomers at +2 (variance 0 → 4); the network: ten at +4, Δ = 2
    Tally room = repeat(20, 2);
    Tally net = repeat(10, 4);
    NetworkWeighting.Weighed w = weighting.weigh(room.plus(net), special("n", net, null, false));
    NetworkWeighting.Verdict v = w.verdicts().get("n");
    assertThat(v.z()).isCloseTo(2 / Math.sqrt(4.0 / 10 + 4.0 / 20), within(1e-9)); // 2.58: not held
    assertThat(v.hold()).isEqualTo(1.0);

    Tally thirty = repeat(30, 4); // z = 2 / sqrt(4/30 + 4/20) = 3.46 > 3: h = (2.5 − 2)/1.5 = 1/3
    NetworkWeighting.Verdict held = weighting.weigh(room.plus(thirty), special("n", thirty, null, false))
        .verdicts().get("n");
    assertThat(held.hold()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(held.effective()).isEqualTo(12.0 * U);
  }

  @Test
  void withTooLittleWeightInSmallNetworksTheOtherNetworksCappedAreTheReference() {
    // Two big networks only: each is tested against the other, capped.
    Tally a = repeat(20, -4);
    Tally b = repeat(5, 5);
    SortedMap<String, NetworkWeighting.Sums> both = new TreeMap<>();
    both.put("a", new NetworkWeighting.Sums(a, null, false));
    both.put("b", new NetworkWeighting.Sums(b, null, false));
    NetworkWeighting.Weighed w = weighting.weigh(a.plus(b), both);

    NetworkWeighting.Verdict vb = w.verdicts().get("b");
    assertThat(vb.referenceMean()).isCloseTo(-4.0, within(1e-12)); // a, capped to 12: mean still -4
    // n_R counts a's ratings: z = 9 / sqrt(4/5 + 4/20)
    assertThat(vb.z()).isCloseTo(9 / Math.sqrt(0.8 + 0.2), within(1e-9));
    assertThat(vb.hold()).isZero();
    assertThat(w.verdicts().get("a").hold()).isZero(); // and a against b
  }

  @Test
  void aVenueNetworkWithinItsShareAndAModeratorsDecisionOverrideTheTest() {
    Tally honest = newcomers(-3, -3, -3, -3, -3, -3);
    Tally hall = repeat(10, 5);
    Tally all = honest.plus(hall);
    assertThat(weighting.weigh(all, special("hall", hall, null, true)).verdicts().get("hall").hold()).isEqualTo(1.0);
    NetworkWeighting.Verdict released = weighting.weigh(all, special("hall", hall, 1.0, false)).verdicts().get("hall");
    assertThat(released.hold()).isEqualTo(1.0);
    assertThat(released.flagged()).isTrue();
    NetworkRules n = NetworkRules.defaults();
    assertThat(n.venueExempt(true, 10, 30, 3)).isTrue(); // 10·3 ≤ 3·30
    assertThat(n.venueExempt(true, 10, 10, 10)).isFalse(); // 10·10 > 3·10
    assertThat(n.venueExempt(false, 1, 30, 3)).isFalse();
  }

  @Test
  void switchedOffNoNetworkIsSpecial() {
    NetworkRules off = NetworkRules.defaults().enabled(false);
    assertThat(off.special(repeat(40, 5), true)).isFalse();
    NetworkRules on = NetworkRules.defaults();
    assertThat(on.special(repeat(3, 5), false)).isFalse();
    assertThat(on.special(repeat(4, 5), false)).isTrue(); // tested from four ratings on
    assertThat(on.special(repeat(1, 5), true)).isTrue(); // a moderator decided about it
    NetworkRules lowCap = new NetworkRules(true, 2, 4, 5, 3, 4, 2.5, 1.5, 3, 5, 24, 48);
    assertThat(lowCap.special(repeat(3, 5), false)).isTrue(); // weight 3 above C = 2: capped
  }
}
