package dev.backchannel.bench.load;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One attack on an honest room: {@code size} fresh identities from {@code networks} IPv4 /24s
 * (100.64.n.x, n = 0..networks-1, spread evenly; only values of {@code X-Forwarded-For}), each
 * rating by script:
 * <ul>
 *   <li>{@code naive}: the troll post +5;
 *   <li>{@code mimic}: first a few other posts as the room rates them (their current score,
 *       rounded), so they look like people who take part, then the troll post +5;
 *   <li>{@code brigade}: the good target post -5.
 * </ul>
 */
record Sybils(Mode mode, int size, int networks) {

  enum Mode { NAIVE, MIMIC, BRIGADE }

  /** How far the attack got: identities that joined, ratings the server acked, and the posts rated. */
  record Outcome(int joined, int ratingsAcked, Set<String> rated) {}

  Sybils {
    if (size < 1 || networks < 1 || networks > 256) {
      throw new IllegalArgumentException("sybils must be at least 1, their networks 1..256");
    }
  }

  /** The post the attack is about. */
  PostKind target() {
    return mode == Mode.BRIGADE ? PostKind.TARGET : PostKind.TROLL;
  }

  String name() {
    return String.format(Locale.ROOT, "%s, %,d from %d network%s", mode.name().toLowerCase(Locale.ROOT), size, networks,
        networks == 1 ? "" : "s");
  }

  String address(int sybil) {
    return "100.64." + (sybil % networks) + "." + (1 + (sybil / networks) % 254);
  }

  /**
   * Runs the attack on the opened honest room: the sybils join (after the honest people's indices),
   * open their sockets and rate, paced like honest people. {@code scores} are the posts' scores
   * before the attack (what mimics copy); {@code seed} fixes which posts they copy.
   */
  Outcome run(Run run, Client.RoomKeys room, HonestRoom honest, List<String> postIds, Map<String, Double> scores,
      long seed, int mimicPosts, long pauseMillis) {
    int first = honest.addresses.size();
    List<BenchSocket> sockets = run.audience(room, size, first, s -> {
      PacedRater rater = new PacedRater(s, pauseMillis);
      s.state = rater;
      s.listener = rater;
      s.depth = PacedRater.DEPTH;
    }, index -> address(index - first));
    sockets.sort(Comparator.comparingInt(s -> s.index)); // the same sybil copies the same posts in every run
    String target = postIds.get(honest.the(target()).index());
    List<String> others = new ArrayList<>(postIds);
    others.remove(postIds.get(honest.the(PostKind.TROLL).index()));
    others.remove(postIds.get(honest.the(PostKind.TARGET).index()));
    Random random = new Random(seed * 1_000_003L + mode.ordinal() * 10_007L + size * 31L + networks);

    List<Future<Integer>> acks = new ArrayList<>();
    Set<String> rated = new HashSet<>();
    for (BenchSocket s : sockets) {
      List<PacedRater.Rating> plan = new ArrayList<>();
      if (mode == Mode.MIMIC) {
        Collections.shuffle(others, random);
        for (String post : others.subList(0, Math.min(mimicPosts, others.size()))) {
          int majority = (int) Math.max(-5, Math.min(5, Math.round(scores.getOrDefault(post, 0.0))));
          plan.add(new PacedRater.Rating(post, majority));
        }
      }
      plan.add(new PacedRater.Rating(target, mode == Mode.BRIGADE ? -5 : 5));
      plan.forEach(r -> rated.add(r.post()));
      acks.add(s.lane.call(() -> ((PacedRater) s.state).start(plan)));
    }
    int acked = 0;
    for (Future<Integer> f : acks) {
      acked += Run.await(f, 600);
    }
    return new Outcome(sockets.size(), acked, rated);
  }
}
