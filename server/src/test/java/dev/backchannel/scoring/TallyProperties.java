package dev.backchannel.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the fixed-point sums and of the score and divergence computed from them. */
class TallyProperties {

  private final ScoringRules rules = ScoringRules.defaults();

  /** One rating as the store keeps it; {@code removed} marks the ones a property takes back. */
  record Rating(long weight, int value, boolean removed) {}

  @Provide
  Arbitrary<List<Rating>> ratings() {
    return Combinators.combine(
            Arbitraries.longs().between(2500, 40000),
            Arbitraries.integers().between(ScoringRules.MIN_RATING, ScoringRules.MAX_RATING),
            Arbitraries.of(true, false))
        .as(Rating::new)
        .list()
        .ofMaxSize(80);
  }

  private static Tally add(Tally start, List<Rating> ratings) {
    Tally t = start;
    for (Rating r : ratings) {
      t = t.plus(r.weight(), r.value());
    }
    return t;
  }

  @Property
  void scoreStaysWithinTheRatingScale(
      @ForAll("ratings") List<Rating> ratings, @ForAll @IntRange(min = -20000, max = 20000) int prior) {
    double score = rules.score(add(Tally.EMPTY, ratings), prior);
    assertThat(score).isBetween(-5.0, 5.0);
  }

  @Property
  void divergenceStaysWithinZeroAndOne(@ForAll("ratings") List<Rating> ratings) {
    double divergence = rules.divergence(add(Tally.EMPTY, ratings));
    assertThat(divergence).isBetween(0.0, 1.0);
  }

  @Property
  void orderOfRatingsDoesNotMatter(
      @ForAll("ratings") List<Rating> ratings, @ForAll Random random,
      @ForAll @IntRange(min = -20000, max = 20000) int prior) {
    List<Rating> shuffled = new ArrayList<>(ratings);
    Collections.shuffle(shuffled, random);
    Tally inOrder = add(Tally.EMPTY, ratings);
    Tally reordered = add(Tally.EMPTY, shuffled);
    assertThat(reordered).isEqualTo(inOrder);
    // Equal sums must give bit-identical doubles: orderings compare these exact values.
    assertThat(rules.score(reordered, prior)).isEqualTo(rules.score(inOrder, prior));
    assertThat(rules.divergence(reordered)).isEqualTo(rules.divergence(inOrder));
  }

  @Property
  void removingRatingsEqualsNeverHavingAddedThem(@ForAll("ratings") List<Rating> ratings, @ForAll Random random) {
    Tally t = add(Tally.EMPTY, ratings);
    List<Rating> toRemove = new ArrayList<>(ratings.stream().filter(Rating::removed).toList());
    Collections.shuffle(toRemove, random);
    for (Rating r : toRemove) {
      t = t.minus(r.weight(), r.value());
    }
    Tally kept = add(Tally.EMPTY, ratings.stream().filter(r -> !r.removed()).toList());
    assertThat(t).isEqualTo(kept);
  }

  @Property
  void changingARatingEqualsHavingGivenTheNewValue(
      @ForAll("ratings") List<Rating> ratings,
      @ForAll @IntRange(min = -5, max = 5) int newValue) {
    // A change is "minus the old term, plus the new one" with the same weight.
    if (ratings.isEmpty()) {
      return;
    }
    Rating first = ratings.get(0);
    Tally changed = add(Tally.EMPTY, ratings).minus(first.weight(), first.value()).plus(first.weight(), newValue);
    List<Rating> direct = new ArrayList<>(ratings);
    direct.set(0, new Rating(first.weight(), newValue, false));
    assertThat(changed).isEqualTo(add(Tally.EMPTY, direct));
  }

  @Property
  void tallyEqualsADirectRecomputationOfItsSums(@ForAll("ratings") List<Rating> ratings) {
    long s0 = 0;
    long s1 = 0;
    long s2 = 0;
    long q = 0;
    for (Rating r : ratings) {
      s0 += r.weight();
      s1 += r.weight() * r.value();
      s2 += r.weight() * r.value() * r.value();
      q += r.weight() * r.weight();
    }
    assertThat(add(Tally.EMPTY, ratings)).isEqualTo(new Tally(s0, s1, s2, q, ratings.size()));
  }

  @Property
  void scoreAndDivergenceMatchTheDesignFormulas(
      @ForAll("ratings") List<Rating> ratings, @ForAll @IntRange(min = -20000, max = 20000) int prior) {
    // Recomputed in plain doubles from the ratings themselves, not from the Tally's fields.
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double q = 0;
    for (Rating r : ratings) {
      double w = r.weight() / 10000.0;
      s0 += w;
      s1 += w * r.value();
      s2 += w * r.value() * r.value();
      q += w * w;
    }
    double m0 = prior / 10000.0;
    double score = (2 * m0 + s1) / (2 + s0);
    double divergence = 0;
    if (!ratings.isEmpty()) {
      double mu = s1 / s0;
      double sd = Math.sqrt(Math.max(0, s2 / s0 - mu * mu));
      double nEff = s0 * s0 / q;
      divergence = sd / 5 * nEff / (nEff + 3);
    }
    Tally t = add(Tally.EMPTY, ratings);
    assertThat(rules.score(t, prior)).isCloseTo(score, within(1e-9));
    assertThat(rules.divergence(t)).isCloseTo(divergence, within(1e-6));
  }
}
