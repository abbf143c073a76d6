package dev.backchannel.bench.jmh;

import dev.backchannel.scoring.NetworkRules;
import dev.backchannel.scoring.NetworkWeighting;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Tally;
import dev.backchannel.scoring.Totals;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * v2's weighing of one post after a rating (DESIGN.md "v2: one network cannot outvote the room"):
 * the post's special networks (capped, tested or decided) are weighed one by one, every other
 * network counts in full. {@code special = 0} is the common post (v1's cost plus a map lookup);
 * one is a post with a venue NAT among its raters; three and ten are posts under attack.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetworkWeightingBenchmark {

  @Param({"0", "1", "3", "10"})
  public int special;

  private final ScoringRules rules = ScoringRules.defaults();
  private final NetworkWeighting weighting = new NetworkWeighting(NetworkRules.defaults());
  private Tally all;
  private SortedMap<String, NetworkWeighting.Sums> networks;
  private int i;

  @Setup
  public void setUp() {
    all = Tally.EMPTY;
    for (int k = 0; k < 30; k++) { // thirty honest raters, each from a network of their own
      all = all.plus(ScoringRules.UNITS, k % 11 - 5);
    }
    networks = new TreeMap<>();
    for (int n = 0; n < special; n++) {
      Tally net = Tally.EMPTY;
      for (int k = 0; k < 20; k++) {
        net = net.plus(ScoringRules.UNITS, n % 2 == 0 ? 5 : -5);
      }
      all = all.plus(net);
      networks.put("10.0." + n + ".0/24", new NetworkWeighting.Sums(net, null, false));
    }
  }

  /** Weigh the post and derive score and divergence from its totals, as every rating does. */
  @Benchmark
  public double weighPost() {
    Totals t = weighting.weigh(all, networks).totals();
    return rules.score(t, i++ & 1023) + rules.divergence(t);
  }
}
