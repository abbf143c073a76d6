package dev.backchannel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Totals;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * A store engine's incremental state against a full recomputation from its own export, after
 * random sequences of joins from a few networks, posts, ratings, changes, withdrawals, bans and
 * moderators' decisions about networks (PROTOCOL.md: "the stored state is always what a full
 * recomputation from the stored ratings would give"; DESIGN.md v2: per network, capped and held).
 * Every engine has a subclass that says how to build it.
 */
abstract class RecomputationProperties {

  static final ScoringRules RULES = ScoringRules.defaults();
  private static final NetworkReport REPORT = new NetworkReport(RULES);
  private static final AtomicInteger ROOMS = new AtomicInteger();

  /** The engine under test, configured with {@link #RULES}. */
  abstract Store store();

  /** One generated step; indices pick among the participants and posts that exist when it runs. */
  sealed interface Action permits Join, Write, Rate, Ban, Decide {}

  /**
   * A new participant joins from one of the room's networks: few networks, so that caps, holds and
   * the reference all come into play.
   */
  record Join(int network) implements Action {}

  /** A moderator decides about one of a post's special networks (release, confirm, venue). */
  record Decide(int post, int network, int decision) implements Action {}

  /** Someone posts. */
  record Write(int actor) implements Action {}

  /** Someone rates, changes or withdraws ({@code value == null}) a rating. */
  record Rate(int actor, int post, Integer value) implements Action {}

  /** A moderator bans someone. */
  record Ban(int actor) implements Action {}

  /** A rating as the model expects the store to hold it: the value and the weight it was given with. */
  record Given(int value, long weight) {}

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 10_000);
    Arbitrary<Integer> value = Arbitraries.integers().between(ScoringRules.MIN_RATING, ScoringRules.MAX_RATING)
        .injectNull(0.15);
    Arbitrary<Action> action = Arbitraries.frequencyOf(
        Tuple.of(6, index.map(Join::new)),
        Tuple.of(2, index.map(Write::new)),
        // Most raters agree on a post's sign, so the hold test meets both kinds of networks.
        Tuple.of(30, Combinators.combine(index, index, value).as(Rate::new)),
        Tuple.of(1, index.map(Ban::new)),
        Tuple.of(2, Combinators.combine(index, index, Arbitraries.integers().between(0, 2)).as(Decide::new)));
    // Uniform sizes: the default bias towards short lists would leave long-lived posts rarely tested.
    return action.list().ofMaxSize(200).withSizeDistribution(RandomDistribution.uniform());
  }

  /** What the test expects of one room, tracked beside the store. */
  private final class Model {
    final String slug = newRoom();
    /** How many networks this room's participants come from. */
    final int networks;
    final List<String> participants = new ArrayList<>();
    final Map<String, String> networkOf = new HashMap<>();
    /** Moderators' hold factors: post id → network → factor. */
    final Map<String, Map<String, Double>> decisions = new HashMap<>();
    final List<String> venue = new ArrayList<>();
    final Set<String> banned = new HashSet<>();
    final List<String> posts = new ArrayList<>();
    final Map<String, String> authors = new HashMap<>();
    final Map<String, Long> priors = new HashMap<>();
    /** Current ratings: post id → rater id → rating. */
    final Map<String, Map<String, Given>> ratings = new LinkedHashMap<>();
    int cids;

    Model(int networks) {
      this.networks = networks;
    }

    String network(int index) {
      return "10.0." + (index % networks) + ".0/24";
    }

    String cid() {
      return "c" + cids++;
    }
  }

  @Property(tries = 100)
  void incrementalStateEqualsRecomputationFromTheExport(@ForAll("actions") List<Action> actions,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 6) int networks) {
    Model m = new Model(networks);
    // A few people from the start so that the first posts can already be rated by someone else.
    join(m, 0);
    join(m, 1);
    join(m, 2);
    for (Action a : actions) {
      if (a instanceof Join j) {
        join(m, j.network());
      } else if (a instanceof Write w) {
        write(m, m.participants.get(w.actor() % m.participants.size()));
      } else if (a instanceof Rate r && !m.posts.isEmpty()) {
        String rater = m.participants.get(r.actor() % m.participants.size());
        int post = r.post() % m.posts.size();
        // The first network rates like a bloc (+5 on even posts, -5 on odd ones) and the others
        // mildly (-2..2), so that the hold test has someone to flag.
        Integer value = r.value();
        if (value != null) {
          value = m.networkOf.get(rater).equals(m.network(0)) ? 5 - 10 * (post % 2) : value / 2;
        }
        rate(m, rater, m.posts.get(post), value);
      } else if (a instanceof Ban b) {
        ban(m, m.participants.get(b.actor() % m.participants.size()));
      } else if (a instanceof Decide d && !m.posts.isEmpty()) {
        decide(m, m.posts.get(d.post() % m.posts.size()), d.network(), d.decision());
      }
    }
    TestServer.await(store().sweep(m.slug));
    List<Post> posts = checkAgainstRecomputation(m);
    // The rooms generated must meet what the rule does, not only rooms where it never acts.
    Statistics.label("a network held").collect(posts.stream().anyMatch(p -> p.held() > 0))
        .coverage(c -> c.check(true).percentage(p -> p >= 3));
    Statistics.label("decisions").collect(!m.decisions.isEmpty() || !m.venue.isEmpty())
        .coverage(c -> c.check(true).percentage(p -> p >= 3));
  }

  private void join(Model m, int network) {
    String address = m.network(network);
    Participant p = TestServer.await(store().join(m.slug, "n" + m.participants.size(), address));
    assertThat(p.karma()).isEqualTo(0.0);
    assertThat(p.banned()).isFalse();
    m.participants.add(p.id());
    m.networkOf.put(p.id(), address);
  }

  /** Releases, confirms or declares the venue's one of the networks "why" lists for the post. */
  private void decide(Model m, String postId, int pick, int kind) {
    PostEvidence evidence = TestServer.await(store().evidence(m.slug, postId));
    List<PostWhy.NetworkShare> special = REPORT.why(evidence).special();
    if (special.isEmpty()) {
      return;
    }
    String label = special.get(pick % special.size()).network();
    String network = m.networkOf.values().stream()
        .filter(g -> dev.backchannel.model.Network.label(evidence.salt(), g).equals(label)).findFirst().orElseThrow();
    NetworkDecision decision = List.of(NetworkDecision.RELEASE, NetworkDecision.CONFIRM, NetworkDecision.VENUE).get(kind);
    TestServer.await(store().decide(m.slug, label, postId, decision));
    switch (decision) {
      case RELEASE -> m.decisions.computeIfAbsent(postId, k -> new HashMap<>()).put(network, 1.0);
      case CONFIRM -> m.decisions.computeIfAbsent(postId, k -> new HashMap<>()).put(network, 0.0);
      default -> {
        if (!m.venue.contains(network)) {
          m.venue.add(network);
        }
      }
    }
  }

  private void write(Model m, String actor) {
    double karma = TestServer.await(store().participant(m.slug, actor)).karma();
    Outcome<Post> out = attempt(store().post(m.slug, actor, m.cid(), "text " + m.posts.size(), null));
    if (m.banned.contains(actor)) {
      assertThat(out.refusal()).as("a banned participant posted").isNotNull();
      assertThat(out.refusal().code()).isEqualTo(ErrorCode.FORBIDDEN);
      return;
    }
    assertThat(out.refusal()).as("post refused: %s", out.refusal()).isNull();
    Post post = out.value();
    long prior = RULES.priorUnits(karma);
    // With no ratings the Bayesian average is the prior itself.
    assertThat(post.score()).isCloseTo((double) prior / ScoringRules.UNITS, within(1e-9));
    assertThat(post.ratings()).isZero();
    assertThat(post.divergence()).isEqualTo(0.0);
    m.posts.add(post.id());
    m.authors.put(post.id(), actor);
    m.priors.put(post.id(), prior);
    m.ratings.put(post.id(), new HashMap<>());
  }

  private void rate(Model m, String actor, String postId, Integer value) {
    double karma = TestServer.await(store().participant(m.slug, actor)).karma();
    Outcome<Post> out = attempt(store().rate(m.slug, actor, m.cid(), postId, value));
    if (m.banned.contains(actor) || m.authors.get(postId).equals(actor)) {
      assertThat(out.refusal()).as("a banned participant or the author rated").isNotNull();
      assertThat(out.refusal().code()).isEqualTo(ErrorCode.FORBIDDEN);
      return;
    }
    assertThat(out.refusal()).as("rating refused: %s", out.refusal()).isNull();
    Map<String, Given> onPost = m.ratings.get(postId);
    Given old = onPost.get(actor);
    if (value == null) {
      onPost.remove(actor);
    } else if (old == null || old.value() != value) {
      // A new value takes the rater's weight of now; an unchanged value keeps the weight it had.
      onPost.put(actor, new Given(value, RULES.weightUnits(karma)));
    }
    assertThat(out.value().mine()).isEqualTo(value);
    assertThat(out.value().ratings()).isEqualTo(onPost.size());
  }

  private void ban(Model m, String actor) {
    TestServer.await(store().ban(m.slug, actor));
    m.banned.add(actor);
    m.ratings.values().forEach(onPost -> onPost.remove(actor));
  }

  /** Checks the room against the model's recomputation; returns its posts. */
  private List<Post> checkAgainstRecomputation(Model m) {
    RoomExport export = TestServer.await(store().export(m.slug));

    Map<String, Map<String, Given>> exported = new LinkedHashMap<>();
    m.posts.forEach(id -> exported.put(id, new HashMap<>()));
    for (RoomExport.ExportedRating r : export.ratings()) {
      double units = r.weight() * ScoringRules.UNITS;
      assertThat(units).as("exported weight in whole units").isCloseTo(Math.rint(units), within(1e-6));
      Given previous = exported.get(r.post()).put(r.participant(), new Given(r.value(), Math.round(units)));
      assertThat(previous).as("two ratings by one participant on one post").isNull();
    }
    // The stored ratings are exactly those the commands left: banned raters' and withdrawn ones gone.
    assertThat(exported).isEqualTo(m.ratings);

    Map<String, Long> roomRatings = new HashMap<>();
    exported.values().forEach(onPost -> onPost.keySet().forEach(rater -> roomRatings.merge(m.networkOf.get(rater), 1L, Long::sum)));
    Map<String, Long> karmaUnits = new HashMap<>();
    assertThat(export.posts()).extracting(Post::id).containsExactlyElementsOf(m.posts);
    for (Post post : export.posts()) {
      // The recomputation: the model's own view of the post's ratings, networks and decisions.
      List<PostEvidence.Rater> raters = new ArrayList<>();
      exported.get(post.id()).forEach((rater, g) -> raters.add(new PostEvidence.Rater(rater, m.networkOf.get(rater),
          g.value(), g.weight(), java.time.Instant.EPOCH, false)));
      PostEvidence evidence = new PostEvidence(post, m.priors.get(post.id()), "", raters,
          m.decisions.getOrDefault(post.id(), Map.of()), m.venue, roomRatings, m.posts.size());
      Totals totals = REPORT.weigh(evidence).totals();
      karmaUnits.merge(post.author().id(), Math.round(totals.t1()), Long::sum);
      double score = RULES.score(totals, m.priors.get(post.id()));
      assertThat(post.ratings()).as("ratings of %s", post.id()).isEqualTo(totals.n());
      assertThat(post.score()).as("score of %s", post.id()).isCloseTo(score, within(1e-9));
      assertThat(post.divergence()).as("divergence of %s", post.id()).isCloseTo(RULES.divergence(totals), within(1e-9));
      assertThat(post.held()).as("held networks of %s", post.id()).isEqualTo(REPORT.weigh(evidence).held());
      assertThat(post.status()).as("status of %s", post.id())
          .isEqualTo(RULES.collapsed(score, totals.n()) ? PostStatus.COLLAPSED : PostStatus.VISIBLE);
      // What the engine hands staff is the same evidence.
      PostEvidence stored = TestServer.await(store().evidence(m.slug, post.id()));
      assertThat(stored.ratings()).extracting(PostEvidence.Rater::participant, PostEvidence.Rater::network,
          PostEvidence.Rater::value, PostEvidence.Rater::weightUnits)
          .containsExactlyInAnyOrderElementsOf(raters.stream().map(r -> net.jqwik.api.Tuple.of(r.participant(), r.network(),
              r.value(), r.weightUnits())).map(t -> org.assertj.core.groups.Tuple.tuple(t.get1(), t.get2(), t.get3(), t.get4()))
              .toList());
    }

    assertThat(export.participants()).extracting(Participant::id).containsExactlyInAnyOrderElementsOf(m.participants);
    for (Participant p : export.participants()) {
      assertThat(p.karma()).as("karma of %s", p.id()).isCloseTo(RULES.karma(karmaUnits.getOrDefault(p.id(), 0L)), within(1e-9));
      assertThat(p.banned()).isEqualTo(m.banned.contains(p.id()));
      assertThat(TestServer.await(store().participant(m.slug, p.id()))).isEqualTo(p);
    }

    // The room view's starting point must agree with the export.
    assertThat(TestServer.await(store().load(m.slug)).posts()).isEqualTo(export.posts());
    return export.posts();
  }

  /** The final ratings of one post, as values per rater, plus noise that must cancel out. */
  record Plan(List<Integer> finalValues, List<List<Integer>> boosts, List<Integer> noise) {}

  @Provide
  Arbitrary<Plan> plans() {
    Arbitrary<Integer> value = Arbitraries.integers().between(ScoringRules.MIN_RATING, ScoringRules.MAX_RATING);
    return Arbitraries.integers().between(1, 12).flatMap(raters -> Combinators.combine(
            value.list().ofSize(raters),
            value.list().ofMaxSize(4).list().ofSize(raters),
            // 0: rate once; 1: a different value first; 2: rate, withdraw, rate again; 3: the same value twice.
            Arbitraries.integers().between(0, 3).list().ofSize(raters))
        .as(Plan::new));
  }

  @Property(tries = 100)
  void orderOfRatingsDoesNotChangeTheResult(@ForAll("plans") Plan plan, @ForAll Random random) {
    String slug = newRoom();
    int raters = plan.finalValues().size();
    List<String> boosters = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boosters.add(TestServer.await(store().join(slug, "booster" + i, StoreConformance.nextNetwork())).id());
    }
    // Raters earn different karma first, so their weights differ and the sums are not trivial.
    List<String> ids = new ArrayList<>();
    int cid = 0;
    for (int i = 0; i < raters; i++) {
      // two networks: from five raters on, each may be capped or held
      String rater = TestServer.await(store().join(slug, "rater" + i, "10.1." + (i % 2) + ".0/24")).id();
      ids.add(rater);
      Post seed = TestServer.await(store().post(slug, rater, "seed", "seed " + i, null));
      List<Integer> boosts = plan.boosts().get(i);
      for (int b = 0; b < boosts.size(); b++) {
        TestServer.await(store().rate(slug, boosters.get(b), "boost" + cid++, seed.id(), boosts.get(b)));
      }
    }
    String authorX = TestServer.await(store().join(slug, "x", StoreConformance.nextNetwork())).id();
    String authorY = TestServer.await(store().join(slug, "y", StoreConformance.nextNetwork())).id();
    Post x = TestServer.await(store().post(slug, authorX, "x", "x", null));
    Post y = TestServer.await(store().post(slug, authorY, "y", "y", null));

    List<Integer> orderX = shuffledIndices(raters, random);
    List<Integer> orderY = shuffledIndices(raters, random);
    for (int i : orderX) {
      TestServer.await(store().rate(slug, ids.get(i), "rx" + cid++, x.id(), plan.finalValues().get(i)));
    }
    for (int i : orderY) {
      String rater = ids.get(i);
      int v = plan.finalValues().get(i);
      switch (plan.noise().get(i)) {
        case 1 -> TestServer.await(store().rate(slug, rater, "ry" + cid++, y.id(), v == 5 ? -5 : v + 1));
        case 2 -> {
          TestServer.await(store().rate(slug, rater, "ry" + cid++, y.id(), v));
          TestServer.await(store().rate(slug, rater, "ry" + cid++, y.id(), null));
        }
        case 3 -> TestServer.await(store().rate(slug, rater, "ry" + cid++, y.id(), v));
        default -> { }
      }
      TestServer.await(store().rate(slug, rater, "ry" + cid++, y.id(), v));
    }

    RoomExport export = TestServer.await(store().export(slug));
    Post finalX = export.posts().stream().filter(p -> p.id().equals(x.id())).findFirst().orElseThrow();
    Post finalY = export.posts().stream().filter(p -> p.id().equals(y.id())).findFirst().orElseThrow();
    // Exact equality: the fixed-point sums make the order invisible down to the last bit.
    assertThat(finalY.score()).isEqualTo(finalX.score());
    assertThat(finalY.divergence()).isEqualTo(finalX.divergence());
    assertThat(finalY.ratings()).isEqualTo(finalX.ratings()).isEqualTo(raters);
    assertThat(finalY.status()).isEqualTo(finalX.status());
    assertThat(TestServer.await(store().participant(slug, authorY)).karma())
        .isEqualTo(TestServer.await(store().participant(slug, authorX)).karma());
  }

  private static List<Integer> shuffledIndices(int n, Random random) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    Collections.shuffle(out, random);
    return out;
  }

  private String newRoom() {
    String slug = "prop" + ROOMS.incrementAndGet();
    TestServer.await(store().createRoom(new NewRoom(slug, "#" + slug, slug, new byte[32], new byte[32])));
    return slug;
  }

  /** A command's answer or its protocol refusal. */
  private record Outcome<T>(T value, Failure refusal) {}

  /** Waits for {@code future}; a {@link Failure} is an outcome to check, anything else fails the test. */
  private static <T> Outcome<T> attempt(Future<T> future) {
    try {
      return new Outcome<>(TestServer.await(future), null);
    } catch (AssertionError e) {
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof Failure f) {
          return new Outcome<>(null, f);
        }
      }
      throw e;
    }
  }
}
