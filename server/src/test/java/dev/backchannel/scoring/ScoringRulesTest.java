package dev.backchannel.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scoring model against DESIGN.md "Scoring": its worked examples and its formulas, recomputed here. */
class ScoringRulesTest {

  private final ScoringRules rules = ScoringRules.defaults();

  /** DESIGN.md's rater weight, written out from the table rather than taken from the main code. */
  private static double designWeight(double k) {
    double w = 1 + 0.5 * Math.signum(k) * Math.log(1 + Math.abs(k) / 5);
    return Math.max(0.25, Math.min(4, w));
  }

  /** DESIGN.md's prior, written out from the table. */
  private static double designPrior(double k) {
    double m0 = 0.75 * Math.signum(k) * Math.log(1 + Math.abs(k) / 5);
    return Math.max(-2, Math.min(2, m0));
  }

  /** Ratings by newcomers, as the worked examples are: each value {@code count} times. */
  private Tally newcomers(int count, int value, Tally start) {
    long weight = rules.weightUnits(0.0);
    Tally t = start;
    for (int i = 0; i < count; i++) {
      t = t.plus(weight, value);
    }
    return t;
  }

  private Tally newcomers(int count, int value) {
    return newcomers(count, value, Tally.EMPTY);
  }

  /** The examples' author is a newcomer too, so the prior is 0. */
  private double score(Tally t) {
    return rules.score(t, rules.priorUnits(0.0));
  }

  /** What the wire shows: two decimals, as PROTOCOL.md's Post object does. */
  private static double twoDecimals(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  @Test
  void newcomerWeighsExactlyOneAndHasNoPrior() {
    assertThat(rules.weightUnits(0.0)).isEqualTo(ScoringRules.UNITS);
    assertThat(rules.priorUnits(0.0)).isZero();
  }

  @Test
  void tenPlusFiveAndTenMinusFiveSplitTheRoom() {
    Tally t = newcomers(10, -5, newcomers(10, 5));
    assertThat(twoDecimals(score(t))).isEqualTo(0.0);
    assertThat(twoDecimals(rules.divergence(t))).isEqualTo(0.87);
    assertThat(rules.collapsed(score(t), t.n())).isFalse();
  }

  @Test
  void onePlusFiveAndOneMinusFive() {
    Tally t = newcomers(1, -5, newcomers(1, 5));
    assertThat(twoDecimals(score(t))).isEqualTo(0.0);
    assertThat(twoDecimals(rules.divergence(t))).isEqualTo(0.40);
  }

  @Test
  void eighteenPlusFiveAndTwoMinusFive() {
    Tally t = newcomers(2, -5, newcomers(18, 5));
    assertThat(twoDecimals(score(t))).isEqualTo(3.64);
    assertThat(twoDecimals(rules.divergence(t))).isEqualTo(0.52);
  }

  @Test
  void twentyPlusFourAgreeCompletely() {
    Tally t = newcomers(20, 4);
    assertThat(twoDecimals(score(t))).isEqualTo(3.64);
    assertThat(rules.divergence(t)).isEqualTo(0.0);
  }

  @Test
  void aSinglePlusFiveIsPulledTowardsThePriorAndCannotBeatTwentyPlusFours() {
    Tally single = newcomers(1, 5);
    assertThat(twoDecimals(score(single))).isEqualTo(1.67);
    assertThat(rules.divergence(single)).isEqualTo(0.0);
    assertThat(score(single)).isLessThan(score(newcomers(20, 4)));
  }

  @Test
  void fifteenMinusFiveCollapse() {
    Tally t = newcomers(15, -5);
    assertThat(twoDecimals(score(t))).isEqualTo(-4.41);
    assertThat(rules.collapsed(score(t), t.n())).isTrue();
  }

  @Test
  void theExamplesMatchTheirExactFractions() {
    // The two-decimal checks above could pass by a rounding accident; the exact fractions cannot.
    assertThat(score(newcomers(2, -5, newcomers(18, 5)))).isCloseTo(80.0 / 22, within(1e-12));
    assertThat(rules.divergence(newcomers(10, -5, newcomers(10, 5)))).isCloseTo(20.0 / 23, within(1e-12));
    assertThat(rules.divergence(newcomers(2, -5, newcomers(18, 5)))).isCloseTo(0.6 * 20 / 23, within(1e-12));
    assertThat(score(newcomers(15, -5))).isCloseTo(-75.0 / 17, within(1e-12));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1e6, -2500, -100, -17.5, -17.3, -10, -5, -1, -0.2, 0, 0.2, 1, 5, 10, 66.8, 67.0, 100, 2000, 2100, 1e6})
  void weightFollowsTheDesignFormula(double karma) {
    assertThat((double) rules.weightUnits(karma))
        .isCloseTo(designWeight(karma) * ScoringRules.UNITS, within(0.5 + 1e-6));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1e6, -2500, -100, -67.0, -66.8, -10, -5, -1, -0.2, 0, 0.2, 1, 5, 10, 66.8, 67.0, 100, 2000, 1e6})
  void priorFollowsTheDesignFormula(double karma) {
    assertThat((double) rules.priorUnits(karma))
        .isCloseTo(designPrior(karma) * ScoringRules.UNITS, within(0.5 + 1e-6));
  }

  @Test
  void weightAndPriorAtKnownPoints() {
    // ln 2 at k = ±5 makes hand-checkable values: 1 ± 0.5·ln 2 and ±0.75·ln 2.
    assertThat(rules.weightUnits(5)).isEqualTo(13466);
    assertThat(rules.weightUnits(-5)).isEqualTo(6534);
    assertThat(rules.priorUnits(5)).isEqualTo(5199);
    assertThat(rules.priorUnits(-5)).isEqualTo(-5199);
  }

  @Test
  void weightIsClampedToAQuarterAndFour() {
    // The clamps bite past |k| = 5·(e^1.5 − 1) ≈ 17.4 below and 5·(e^6 − 1) ≈ 2012 above.
    assertThat(rules.weightUnits(-17.3)).isGreaterThan(2500);
    assertThat(rules.weightUnits(-17.5)).isEqualTo(2500);
    assertThat(rules.weightUnits(-1e9)).isEqualTo(2500);
    assertThat(rules.weightUnits(2000)).isLessThan(40000);
    assertThat(rules.weightUnits(2100)).isEqualTo(40000);
    assertThat(rules.weightUnits(1e9)).isEqualTo(40000);
  }

  @Test
  void priorIsClampedToPlusMinusTwo() {
    // The clamp bites past |k| = 5·(e^(8/3) − 1) ≈ 66.9.
    assertThat(rules.priorUnits(66.8)).isLessThan(20000);
    assertThat(rules.priorUnits(67.0)).isEqualTo(20000);
    assertThat(rules.priorUnits(1e9)).isEqualTo(20000);
    assertThat(rules.priorUnits(-66.8)).isGreaterThan(-20000);
    assertThat(rules.priorUnits(-67.0)).isEqualTo(-20000);
    assertThat(rules.priorUnits(-1e9)).isEqualTo(-20000);
  }

  @Test
  void weightAndPriorNeverDecreaseWithKarma() {
    long lastWeight = Long.MIN_VALUE;
    long lastPrior = Long.MIN_VALUE;
    for (double k = -3000; k <= 3000; k += 0.5) {
      assertThat(rules.weightUnits(k)).isGreaterThanOrEqualTo(lastWeight);
      assertThat(rules.priorUnits(k)).isGreaterThanOrEqualTo(lastPrior);
      lastWeight = rules.weightUnits(k);
      lastPrior = rules.priorUnits(k);
    }
  }

  @Test
  void karmaIsTheSumOfWeightTimesValueOverFive() {
    // A newcomer's +5 is worth one karma; a heavily down-weighted -3 is worth -0.25·3/5.
    assertThat(rules.karma(ScoringRules.UNITS * 5)).isEqualTo(1.0);
    assertThat(rules.karma(2500L * -3)).isCloseTo(-0.15, within(1e-12));
    assertThat(rules.karma(40000L * 5 + 10000L * -2)).isCloseTo((4.0 * 5 + 1.0 * -2) / 5, within(1e-12));
    assertThat(rules.karma(0)).isEqualTo(0.0);
  }

  @Test
  void scoreWithoutRatingsIsThePrior() {
    long prior = rules.priorUnits(30);
    assertThat(rules.score(Tally.EMPTY, prior)).isCloseTo(designPrior(30), within(1e-4));
    assertThat(rules.score(Tally.EMPTY, 0)).isEqualTo(0.0);
  }

  @Test
  void priorWeighsLikeTwoNewcomerRatings() {
    // W0 = 2: with a +2 prior, one newcomer -5 gives (2·2 − 5) / (2 + 1).
    assertThat(rules.score(Tally.EMPTY.plus(ScoringRules.UNITS, -5), 20000)).isCloseTo(-1.0 / 3, within(1e-12));
  }

  @Test
  void scoreOfExactlyMinusTwoWithFiveRatingsCollapses() {
    // -5 -5 -2 -1 -1 sum to -14 over 2 + 5: exactly -2, the boundary itself.
    Tally t = Tally.EMPTY;
    for (int v : new int[] {-5, -5, -2, -1, -1}) {
      t = t.plus(ScoringRules.UNITS, v);
    }
    assertThat(score(t)).isEqualTo(-2.0);
    assertThat(rules.collapsed(score(t), t.n())).isTrue();
  }

  @Test
  void scoreJustAboveMinusTwoDoesNotCollapse() {
    // -5 -5 -2 -1 0 give -13/7.
    Tally t = Tally.EMPTY;
    for (int v : new int[] {-5, -5, -2, -1, 0}) {
      t = t.plus(ScoringRules.UNITS, v);
    }
    assertThat(score(t)).isGreaterThan(-2.0);
    assertThat(rules.collapsed(score(t), t.n())).isFalse();
  }

  @Test
  void fourRatingsNeverCollapseHoweverLow() {
    Tally t = newcomers(4, -5);
    assertThat(score(t)).isLessThan(-2.0);
    assertThat(rules.collapsed(score(t), t.n())).isFalse();
    assertThat(rules.collapsed(-5.0, 4)).isFalse();
  }

  @Test
  void collapseRuleBoundaries() {
    assertThat(rules.collapsed(-2.0, 5)).isTrue();
    assertThat(rules.collapsed(-2.0, 4)).isFalse();
    assertThat(rules.collapsed(Math.nextUp(-2.0), 5)).isFalse();
    assertThat(rules.collapsed(-5.0, 100)).isTrue();
  }

  @Test
  void divergenceIsZeroWithoutRatings() {
    assertThat(rules.divergence(Tally.EMPTY)).isEqualTo(0.0);
  }

  @Test
  void divergenceIsZeroAfterEveryRatingIsWithdrawn() {
    Tally t = Tally.EMPTY.plus(ScoringRules.UNITS, 5).plus(13466, -5);
    t = t.minus(ScoringRules.UNITS, 5).minus(13466, -5);
    assertThat(t).isEqualTo(Tally.EMPTY);
    assertThat(rules.divergence(t)).isEqualTo(0.0);
    assertThat(score(t)).isEqualTo(0.0);
  }

  @Test
  void divergenceUsesEffectiveCountOfWeightedRatings() {
    // One rater of weight 4 against one of weight 0.25: μ, sd and n_eff all weighted.
    Tally t = Tally.EMPTY.plus(40000, 5).plus(2500, -5);
    double s0 = 4.25;
    double mu = (4 * 5 - 0.25 * 5) / s0;
    double sd = Math.sqrt((4 * 25 + 0.25 * 25) / s0 - mu * mu);
    double nEff = s0 * s0 / (16 + 0.0625);
    assertThat(rules.divergence(t)).isCloseTo(sd / 5 * nEff / (nEff + 3), within(1e-12));
  }
}
