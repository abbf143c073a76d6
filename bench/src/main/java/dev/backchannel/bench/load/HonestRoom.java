package dev.backchannel.bench.load;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@code stuffing} scenario's honest room, planned from a seed: who the people are and from
 * which address they join, which posts they write (of known {@link PostKind}s) and how each of them
 * rates which posts. The same seed plans the same room, so every attack meets the same room.
 *
 * <p>Addresses are only values of {@code X-Forwarded-For} (all traffic goes to the target): a
 * share of the people sit behind the venue's NAT (a few addresses, 198.51.100.7 and up, spread over
 * up to 3 /24s: 198.51.100-102.x), everyone else on a /24 of their own (10.a.b.c, home and mobile
 * networks).
 */
final class HonestRoom {

  /** The room's size and make-up. */
  record Shape(int people, int posts, double venueShare, int venueAddresses, int venueNetworks, int minRaters,
      int maxRaters) {

    Shape {
      if (people < 2 || people > 65_536) {
        throw new IllegalArgumentException("--people must be 2..65536");
      }
      if (posts < 4 || posts > Math.min(people, 200)) {
        // One post per author keeps every author within the post limit (3 per 30 s), and GET .../posts
        // lists at most 200: a post missing from it is then one the server does not list at all.
        throw new IllegalArgumentException("--posts must be 4..min(--people, 200)");
      }
      if (venueShare < 0 || venueShare > 1) {
        throw new IllegalArgumentException("--venue-share must be in 0..1");
      }
      if (venueAddresses < 1 || venueAddresses > 200 || venueNetworks < 1
          || venueNetworks > Math.min(3, venueAddresses)) {
        throw new IllegalArgumentException(
            "--venue-addresses must be 1..200, --venue-networks 1..min(3, --venue-addresses)");
      }
      if (minRaters < 1 || maxRaters < minRaters) {
        throw new IllegalArgumentException("--min-raters must be at least 1 and at most --max-raters");
      }
    }
  }

  /** A post of the plan: its kind, true quality and author (an index into the people). */
  record Post(int index, PostKind kind, double trueMean, int author) {}

  /** One planned rating: a post's index and the value. */
  record Rating(int post, int value) {}

  /** The room as opened on a server: the ids its posts got (by index) and how many ratings were acked. */
  record Opened(List<String> postIds, List<PostKind> kinds, int ratingsAcked, int ratingsPlanned) {

    /** The kind of the post with this id; null for an id not of this room. */
    PostKind kindOf(String id) {
      int i = postIds.indexOf(id);
      return i < 0 ? null : kinds.get(i);
    }
  }

  final long seed;
  final List<String> addresses;
  final List<Post> posts;
  /** Per person, the ratings in the order they give them. */
  final List<List<Rating>> ratings;

  private HonestRoom(long seed, List<String> addresses, List<Post> posts, List<List<Rating>> ratings) {
    this.seed = seed;
    this.addresses = addresses;
    this.posts = posts;
    this.ratings = ratings;
  }

  static HonestRoom plan(long seed, Shape shape) {
    Random random = new Random(seed);
    List<String> addresses = new ArrayList<>();
    int venue = (int) Math.round(shape.people() * shape.venueShare());
    for (int i = 0; i < venue; i++) {
      int address = i % shape.venueAddresses();
      addresses.add("198.51." + (100 + address % shape.venueNetworks()) + "." + (7 + address));
    }
    for (int home = 0; addresses.size() < shape.people(); home++) {
      addresses.add("10." + (home / 256) + "." + (home % 256) + "." + (1 + random.nextInt(254)));
    }
    Collections.shuffle(addresses, random);

    List<PostKind> kinds = kinds(shape.posts());
    Collections.shuffle(kinds, random);
    List<Integer> authors = IntStream.range(0, shape.people()).boxed().collect(Collectors.toList());
    Collections.shuffle(authors, random);
    List<Post> posts = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      posts.add(new Post(i, kinds.get(i), kinds.get(i).trueMean(random), authors.get(i)));
    }

    List<List<Rating>> ratings = new ArrayList<>();
    for (int i = 0; i < shape.people(); i++) {
      ratings.add(new ArrayList<>());
    }
    for (Post post : posts) {
      int count = Math.min(shape.people() - 1,
          shape.minRaters() + random.nextInt(shape.maxRaters() - shape.minRaters() + 1));
      List<Integer> raters = IntStream.range(0, shape.people()).filter(p -> p != post.author()).boxed()
          .collect(Collectors.toList());
      Collections.shuffle(raters, random);
      for (int rater : raters.subList(0, count)) {
        ratings.get(rater).add(new Rating(post.index(), post.kind().rate(post.trueMean(), random)));
      }
    }
    ratings.forEach(mine -> Collections.shuffle(mine, random));
    return new HonestRoom(seed, List.copyOf(addresses), List.copyOf(posts), ratings);
  }

  /**
   * One troll and one good target; about 7.5 % good posts (9 of 120: with the target, the 10 best),
   * 10 % divisive, the rest half mediocre, half bad.
   */
  private static List<PostKind> kinds(int count) {
    int good = Math.max(1, (int) Math.round(count * 0.075));
    int divisive = Math.max(1, (int) Math.round(count * 0.10));
    int rest = count - 2 - good - divisive;
    List<PostKind> kinds = new ArrayList<>(List.of(PostKind.TROLL, PostKind.TARGET));
    kinds.addAll(Collections.nCopies(good, PostKind.GOOD));
    kinds.addAll(Collections.nCopies(divisive, PostKind.DIVISIVE));
    kinds.addAll(Collections.nCopies(rest - rest / 2, PostKind.MEDIOCRE));
    kinds.addAll(Collections.nCopies(rest / 2, PostKind.BAD));
    return kinds;
  }

  Post the(PostKind kind) {
    return posts.stream().filter(p -> p.kind() == kind).findFirst().orElseThrow();
  }

  /** The {@code k} posts of highest true quality. */
  Set<Integer> best(int k) {
    return posts.stream().sorted(Comparator.comparingDouble(Post::trueMean).reversed().thenComparingInt(Post::index))
        .limit(k).map(Post::index).collect(Collectors.toSet());
  }

  Set<Integer> ofKind(PostKind kind) {
    return posts.stream().filter(p -> p.kind() == kind).map(Post::index).collect(Collectors.toSet());
  }

  /**
   * Opens the room on the server: everyone joins (from their address, through the trusted proxy)
   * and opens a socket, the authors post, then everyone rates, each at most one rating per
   * {@code pauseMillis} (plus the round trip). Fails when anyone cannot join or post: a partial
   * honest room would measure something else.
   */
  Opened open(Run run, Client.RoomKeys room, long pauseMillis) {
    List<BenchSocket> sockets = run.audience(room, addresses.size(), 0, s -> {
      PacedRater rater = new PacedRater(s, pauseMillis);
      s.state = rater;
      s.listener = rater;
      s.depth = PacedRater.DEPTH;
    }, addresses::get);
    if (sockets.size() < addresses.size()) {
      throw new IllegalStateException((addresses.size() - sockets.size()) + " of " + addresses.size()
          + " honest people could not join: " + run.firstSetupError());
    }
    BenchSocket[] person = new BenchSocket[addresses.size()];
    sockets.forEach(s -> person[s.index] = s);

    List<Future<Frame>> written = new ArrayList<>();
    for (Post post : posts) {
      BenchSocket author = person[post.author()];
      String text = "Post " + post.index() + " of the honest room (seed " + seed + ")";
      written.add(author.lane.call(() -> author.request('c', cid -> Json.post(cid, text))));
    }
    List<String> ids = new ArrayList<>();
    for (Future<Frame> ack : written) {
      ids.add(Run.await(ack, 60).post.id());
    }

    List<Future<Integer>> rated = new ArrayList<>();
    int planned = 0;
    for (BenchSocket s : sockets) {
      List<PacedRater.Rating> mine = ratings.get(s.index).stream()
          .map(r -> new PacedRater.Rating(ids.get(r.post()), r.value())).toList();
      planned += mine.size();
      rated.add(s.lane.call(() -> ((PacedRater) s.state).start(mine)));
    }
    int acked = 0;
    for (Future<Integer> f : rated) {
      acked += Run.await(f, 600);
    }
    return new Opened(List.copyOf(ids), posts.stream().map(Post::kind).toList(), acked, planned);
  }
}
