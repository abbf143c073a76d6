package dev.backchannel.bench.load;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a {@code stuffing} room stands at one moment, as anyone can read it (GET .../posts) and as
 * its moderators are told (held networks): the troll's and the target's rank in {@code top}, top-10
 * precision (the share of the room's top 10 that are among the 10 posts of highest true quality),
 * divergent-10 precision (the share of the divergent list's first 10 that are divisive posts) and
 * the (post, network) entries of the latest {@code held} frame.
 */
record Standing(Integer trollRank, Integer targetRank, double topPrecision, double divergentPrecision,
    List<Frame.Held> held, Map<String, Double> scores) {

  static final int K = 10;

  static Standing measure(Run run, Client.RoomKeys room, HonestRoom honest, List<String> postIds, HeldWatch watch) {
    List<Frame.PostRef> top = Run.await(run.client.posts(room.slug(), "top", 200), 30);
    List<Frame.PostRef> divergent = Run.await(run.client.posts(room.slug(), "divergent", K), 30);
    List<String> topIds = top.stream().map(Frame.PostRef::id).toList();
    Map<String, Double> scores = new HashMap<>();
    top.forEach(p -> scores.put(p.id(), p.score()));
    return new Standing(
        Precision.rank(topIds, postIds.get(honest.the(PostKind.TROLL).index())),
        Precision.rank(topIds, postIds.get(honest.the(PostKind.TARGET).index())),
        Precision.atK(topIds, ids(honest.best(K), postIds), K),
        Precision.atK(divergent.stream().map(Frame.PostRef::id).toList(),
            ids(honest.ofKind(PostKind.DIVISIVE), postIds), K),
        watch.current(), scores);
  }

  private static Set<String> ids(Set<Integer> indices, List<String> postIds) {
    return indices.stream().map(postIds::get).collect(Collectors.toSet());
  }

  Integer rank(PostKind kind) {
    return kind == PostKind.TROLL ? trollRank : targetRank;
  }

  /** Distinct networks held back (at least partly) on any post. */
  int heldNetworks() {
    return (int) held.stream().filter(Frame.Held::heldBack).map(Frame.Held::network).distinct().count();
  }

  /** Distinct networks the hold test flagged on any post, held back or not. */
  int flaggedNetworks() {
    return (int) held.stream().map(Frame.Held::network).distinct().count();
  }

  /**
   * Honest networks among those held back, as far as opaque labels tell: those held on a post no
   * sybil rated, or (when more) those beyond the number of sybil networks. Exact when nobody attacked.
   */
  int honestHeldAtLeast(Set<String> sybilRated, int sybilNetworks) {
    Set<String> onHonestPosts = new HashSet<>();
    held.stream().filter(h -> h.heldBack() && !sybilRated.contains(h.post())).forEach(h -> onHonestPosts.add(h.network()));
    return Math.max(onHonestPosts.size(), heldNetworks() - sybilNetworks);
  }
}
