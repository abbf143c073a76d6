package dev.backchannel.bench.jmh;

import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Tally;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scoring update of one rating: a rater's old term leaves the post's {@link Tally}, the new one
 * enters, and score, divergence and the collapsed check are derived again (what every rating costs
 * the store), plus the rater weight from karma (a logarithm).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScoringBenchmark {

  private final ScoringRules rules = ScoringRules.defaults();
  private final SplittableRandom random = new SplittableRandom(42);
  private Tally tally;
  private long[] weights;
  private int[] values;
  private double[] karmas;
  private int i;

  @Setup
  public void setUp() {
    weights = new long[1024];
    values = new int[1024];
    karmas = new double[1024];
    tally = Tally.EMPTY;
    for (int k = 0; k < weights.length; k++) {
      karmas[k] = random.nextDouble(-50, 50);
      weights[k] = rules.weightUnits(karmas[k]);
      values[k] = random.nextInt(-5, 6);
      tally = tally.plus(weights[k], values[k]);
    }
  }

  /** Replace one rating (old term out, new term in) and derive score, divergence and collapsed. */
  @Benchmark
  public double replaceRating() {
    int k = i++ & 1023;
    int next = values[k] == 5 ? -5 : values[k] + 1;
    tally = tally.minus(weights[k], values[k]).plus(weights[k], next);
    values[k] = next;
    double score = rules.score(tally, 5_000);
    double divergence = rules.divergence(tally);
    return rules.collapsed(score, tally.n()) ? -divergence : score + divergence;
  }

  /** The rater weight from karma, computed once per rating. */
  @Benchmark
  public long weightUnits() {
    return rules.weightUnits(karmas[i++ & 1023]);
  }
}
