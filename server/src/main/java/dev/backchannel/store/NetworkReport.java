package dev.backchannel.store;

import dev.backchannel.model.Network;
import dev.backchannel.scoring.NetworkRules;
import dev.backchannel.scoring.NetworkWeighting;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Tally;
import dev.backchannel.scoring.Totals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Staff's view of the network rule on a post, recomputed from its {@link PostEvidence}: the held
 * pairs moderators decide about and "why is this post here". The same for every engine.
 */
public final class NetworkReport {

  private final ScoringRules rules;
  private final NetworkWeighting weighting;

  public NetworkReport(ScoringRules rules) {
    this.rules = rules;
    this.weighting = new NetworkWeighting(rules.networks());
  }

  /** Whether {@code network} lies in one of the room's venue prefixes. */
  public static boolean venue(String network, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (Network.within(network, prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The post weighed from scratch: what its stored state must equal. */
  public NetworkWeighting.Weighed weigh(PostEvidence e) {
    Map<String, Tally> byNetwork = byNetwork(e);
    Tally all = Tally.EMPTY;
    for (Tally t : byNetwork.values()) {
      all = all.plus(t);
    }
    NetworkRules n = rules.networks();
    SortedMap<String, NetworkWeighting.Sums> special = new TreeMap<>();
    e.decisions().keySet().forEach(g -> byNetwork.putIfAbsent(g, Tally.EMPTY));
    byNetwork.forEach((g, t) -> {
      Double decision = e.decisions().get(g);
      if (n.special(t, decision != null)) {
        boolean exempt = n.venueExempt(venue(g, e.venue()), t.n(), e.roomRatings().getOrDefault(g, 0L), e.postsInRoom());
        special.put(g, new NetworkWeighting.Sums(t, decision, exempt));
      }
    });
    return weighting.weigh(all, special);
  }

  /** The post's pairs the test flags or a moderator decided about, most held first. */
  public List<HeldNetwork> held(PostEvidence e) {
    NetworkWeighting.Weighed weighed = weigh(e);
    double scoreWith = rules.score(weighed.totals(), e.priorUnits());
    List<HeldNetwork> out = new ArrayList<>();
    weighed.verdicts().forEach((g, v) -> {
      Double decision = e.decisions().get(g);
      if (!v.flagged() && decision == null || v.sums().n() == 0) {
        return; // a decided network whose ratings all left (banned, withdrawn) has nothing to show
      }
      Instant first = null;
      Instant last = null;
      int others = 0;
      for (PostEvidence.Rater r : e.ratings()) {
        if (r.network().equals(g)) {
          first = first == null || r.joinedAt().isBefore(first) ? r.joinedAt() : first;
          last = last == null || r.joinedAt().isAfter(last) ? r.joinedAt() : last;
          others += r.ratedOthers() ? 1 : 0;
        }
      }
      double span = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
      double scoreWithout = rules.score(weighed.totals(other -> !other.equals(g)), e.priorUnits());
      double scoreReleased = rules.score(released(e, g).totals(), e.priorUnits());
      out.add(new HeldNetwork(e.post().id(), Network.label(e.salt(), g), Network.family(g), v.sums().n(), v.mean(),
          Double.isNaN(v.referenceMean()) ? null : v.referenceMean(), v.z(), v.hold(), decisionName(decision),
          venue(g, e.venue()), span, others, scoreWith, scoreWithout, scoreReleased));
    });
    out.sort((a, b) -> Double.compare(a.hold(), b.hold()));
    return out;
  }

  /** The post weighed as if a moderator released {@code network}. */
  private NetworkWeighting.Weighed released(PostEvidence e, String network) {
    Map<String, Double> decisions = new HashMap<>(e.decisions());
    decisions.put(network, 1.0);
    return weigh(new PostEvidence(e.post(), e.priorUnits(), e.salt(), e.ratings(), decisions, e.venue(),
        e.roomRatings(), e.postsInRoom()));
  }

  /** "Why is this post here?": the score's ingredients. */
  public PostWhy why(PostEvidence e) {
    NetworkWeighting.Weighed weighed = weigh(e);
    Totals totals = weighed.totals();
    long unit = ScoringRules.UNITS;
    int[] counts = new int[3];
    long[] weights = new long[3];
    for (PostEvidence.Rater r : e.ratings()) {
      int kind = r.weightUnits() == unit ? 0 : r.weightUnits() > unit ? 1 : 2;
      counts[kind]++;
      weights[kind] += r.weightUnits();
    }
    List<PostWhy.NetworkShare> special = new ArrayList<>();
    weighed.verdicts().forEach((g, v) -> special.add(new PostWhy.NetworkShare(Network.label(e.salt(), g),
        Network.family(g), v.sums().n(), (double) v.sums().s0() / unit, v.hold() * v.effective() / unit, v.capped(),
        v.hold(), decisionName(e.decisions().get(g)), venue(g, e.venue()))));
    Totals plain = weighed.totals(g -> {
      NetworkWeighting.Verdict v = weighed.verdicts().get(g);
      return !v.capped() && !v.held();
    });
    return new PostWhy(e.post().id(), rules.score(totals, e.priorUnits()), rules.divergence(totals), totals.n(),
        totals.t0() / unit, (double) (weights[0] + weights[1] + weights[2]) / unit, (double) e.priorUnits() / unit,
        rules.priorWeight(), share(counts[0], weights[0]), share(counts[1], weights[1]), share(counts[2], weights[2]),
        byNetwork(e).size(), special, rules.score(plain, e.priorUnits()), rules.divergence(plain),
        rules.networks().cap(), rules.networks().holdZ());
  }

  private static PostWhy.Share share(int ratings, long weightUnits) {
    return new PostWhy.Share(ratings, (double) weightUnits / ScoringRules.UNITS);
  }

  private static Map<String, Tally> byNetwork(PostEvidence e) {
    Map<String, Tally> out = new HashMap<>();
    for (PostEvidence.Rater r : e.ratings()) {
      out.merge(r.network(), Tally.EMPTY.plus(r.weightUnits(), r.value()), Tally::plus);
    }
    return out;
  }

  /** The wire word of a moderator's hold factor. */
  static String decisionName(Double decision) {
    if (decision == null) {
      return null;
    }
    return decision >= 1 ? "released" : "confirmed";
  }
}
