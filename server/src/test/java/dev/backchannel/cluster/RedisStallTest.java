package dev.backchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.RedisServer;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, fault 3: the connection to Redis stalls (a network that swallows packets; the TCP
 * connection stays open) and later flows again or is reset. Commands meanwhile answer
 * {@code unavailable}, /health says 503, and afterwards the stored state equals a full
 * recomputation with no cid applied twice, although Redis may run a refused command late.
 */
class RedisStallTest {

  private RedisServer redis;
  private Vertx proxyVertx;
  private Vertx vertx;
  private RedisProxy proxy;
  private TestServer node;
  private final List<Phone> phones = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    proxyVertx = Vertx.vertx();
    proxy = RedisProxy.start(proxyVertx, redis.port());
    vertx = Vertx.vertx();
    node = TestServer.start(vertx, "--store=redis", "--redis-uri=" + proxy.uri(), "--broadcast-interval-ms=20",
        "--dashboard-interval-ms=20", "--ratings-per-second=1000", "--rating-burst=1000", "--loops=2", "--gateways=2");
  }

  @AfterEach
  void stop() {
    phones.forEach(Phone::close);
    proxy.resume();
    node.close();
    TestServer.await(vertx.close());
    proxy.close();
    TestServer.await(proxyVertx.close());
    redis.close();
  }

  @Test
  void aStalledRedisConnectionRefusesCommandsAndLeavesAStateEqualToARecomputation() {
    JsonObject room = node.createRoom("#stall");
    String slug = room.getString("slug");
    String moderatorKey = room.getString("moderatorKey");
    for (int i = 0; i < 5; i++) {
      Phone phone = new Phone(vertx, "s" + i, slug, node.join(slug, "S" + i));
      phones.add(phone);
      phone.connect(node.port());
    }
    List<String> posts = new ArrayList<>();
    for (Phone phone : phones.subList(0, 3)) {
      Phone.Sent sent = phone.post("stall question from " + phone.name);
      assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();
      posts.add(sent.ack.getJsonObject("post").getString("id"));
    }
    rateRound(posts, 0);
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).as("ratings before the stall").isTrue();
    assertThat(phones.stream().allMatch(p -> p.refused.isEmpty())).isTrue();

    Outage flowing = outage(slug, posts, 1, false);
    Outage reset = outage(slug, posts, 2, true);

    int commands = phones.stream().mapToInt(p -> p.log.size()).sum();
    System.out.printf("[fault: redis stall, then it flows again] %s%n[fault: redis stall, then reset] %s%n"
            + "[fault: redis stall] %d commands in all, every one acked in the end: %s%n",
        flowing, reset, commands, phones.stream().allMatch(p -> p.pending.isEmpty()));

    assertThat(flowing.health).as("/health while Redis does not answer").isEqualTo(503);
    assertThat(reset.health).as("/health while Redis does not answer").isEqualTo(503);
    assertThat(flowing.refused).as("commands refused during the first stall").isEqualTo(flowing.sent);
    assertThat(reset.refused).as("commands refused during the second stall").isEqualTo(reset.sent);
    assertThat(flowing.socketsOpen && reset.socketsOpen).as("sockets stay open through a stall").isTrue();
    phones.forEach(p -> assertThat(p.otherErrors).as("errors %s got", p.name).isEmpty());

    JsonObject export = Ledger.export(node, slug, moderatorKey);
    Ledger.assertRatingsAreTheAcknowledgedOnes(export, phones);
    Ledger.assertEqualsRecomputation(export);
    Ledger.assertParticipantsListedOnce(export);
    assertThat(Ledger.seq(node, slug, moderatorKey)).as("seq: one per change, none for a retried cid")
        .isEqualTo(Ledger.expectedSeq(phones));
    assertThat(Ledger.viewsConverge(export, phones)).as("every phone's view matches the store").isTrue();
  }

  /**
   * Redis ran the commands but their replies were lost with the connection, which came back before
   * the command timeout: Lettuce sends commands without a reply again after a reconnect (it is
   * at-least-once), so every script must be safe to run twice. A rating is (its cid is
   * remembered); a join and a room creation must be too.
   */
  @Test
  void commandsWhoseRepliesWereLostWithTheConnectionTakeEffectOnce() throws Exception {
    JsonObject room = node.createRoom("#lost-replies");
    String slug = room.getString("slug");
    Phone author = new Phone(vertx, "author", slug, node.join(slug, "Author"));
    Phone rater = new Phone(vertx, "rater", slug, node.join(slug, "Rater"));
    phones.add(author);
    phones.add(rater);
    author.connect(node.port());
    rater.connect(node.port());
    Phone.Sent post = author.post("rate me once");
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();
    String postId = post.ack.getJsonObject("post").getString("id");

    proxy.stallReplies();
    long stalledAt = System.nanoTime();
    CompletableFuture<TestServer.Response> join = CompletableFuture.supplyAsync(() ->
        node.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, "{\"nick\":\"Late\"}"));
    CompletableFuture<TestServer.Response> create = CompletableFuture.supplyAsync(() ->
        node.request(HttpMethod.POST, "/api/rooms", node.organizerKey(), "{\"hashtag\":\"#created-once\"}"));
    Phone.Sent rating = rater.rate(postId, 3);
    boolean ran;
    try (Ledger.Probe probe = new Ledger.Probe(redis.uri())) {
      ran = Ledger.waitFor(TestServer.TIMEOUT, () -> probe.redis.llen("bc:{" + slug + "}:members") == 3
          && probe.redis.exists("bc:{created-once}:room") == 1 && probe.applied(slug, rater.id, rating.cid));
    }
    assertThat(ran).as("Redis ran the join, the room creation and the rating").isTrue();
    proxy.reset();
    proxy.resume();
    long resetAt = System.nanoTime();
    TestServer.Response joined = join.get(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    TestServer.Response created = create.get(TestServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();
    long answeredMillis = millis(resetAt);
    JsonObject export = Ledger.export(node, slug, room.getString("moderatorKey"));
    long listed = export.getJsonArray("participants").stream()
        .filter(o -> joined.status() == 201
            && ((JsonObject) o).getString("id").equals(joined.json().getJsonObject("participant").getString("id")))
        .count();
    System.out.printf("[fault: replies lost, connection reset after %d ms] answers %d ms after the reset: join %d, "
            + "create room %d (%s), rating %s; the joined participant is listed %d times in the export; the post "
            + "counts %d ratings%n", (resetAt - stalledAt) / 1_000_000, answeredMillis, joined.status(), created.status(),
        created.body(), rating.ack != null ? "acked" : "not acked", listed,
        export.getJsonArray("posts").getJsonObject(0).getInteger("ratings"));

    assertThat(rating.ack).as("the rating is acknowledged").isNotNull();
    assertThat(export.getJsonArray("posts").getJsonObject(0).getInteger("ratings")).as("the rating counts once")
        .isEqualTo(1);
    assertThat(joined.status()).as("the join is answered").isEqualTo(201);
    Ledger.assertParticipantsListedOnce(export);
    assertThat(created.status()).as("the room this very request created: %s", created.body()).isEqualTo(201);
  }

  /**
   * A Redis that lost its script cache (a restart, a failover, SCRIPT FLUSH) once made the store send
   * a script again with EVAL while another node had already reloaded it, so a later command of the
   * same participant, pipelined behind the first, could run first. The scripts are a Functions
   * library now, which a lost script cache does not touch: the earlier command must still never land
   * after the later one.
   */
  @Test
  void aScriptReloadDoesNotReorderOneParticipantsCommands() {
    Vertx directVertx = Vertx.vertx();
    TestServer direct = TestServer.start(directVertx, "--store=redis", "--redis-uri=" + redis.uri(),
        "--broadcast-interval-ms=20", "--ratings-per-second=1000", "--rating-burst=1000");
    try {
      JsonObject room = direct.createRoom("#reload");
      String slug = room.getString("slug");
      Phone author = new Phone(directVertx, "author", slug, direct.join(slug, "Author"));
      Phone other = new Phone(directVertx, "other", slug, direct.join(slug, "Other"));
      Phone rater = new Phone(vertx, "rater", slug, direct.join(slug, "Rater"));
      phones.addAll(List.of(author, other, rater));
      author.connect(direct.port());
      other.connect(direct.port());
      rater.connect(node.port());
      Phone.Sent post = author.post("rate me in order");
      assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();
      String postId = post.ack.getJsonObject("post").getString("id");

      try (Ledger.Probe probe = new Ledger.Probe(redis.uri())) {
        probe.redis.scriptFlush();
        proxy.stallReplies();
        Phone.Sent first = rater.rate(postId, 5);
        assertThat(Ledger.waitFor(TestServer.TIMEOUT, () -> proxy.forwardedToRedis(first.cid))).isTrue();
        Phone.Sent loads = other.rate(postId, 2);
        assertThat(Ledger.waitFor(TestServer.TIMEOUT, () -> {
          other.pump(Duration.ofMillis(10));
          return loads.ack != null;
        })).as("the other node's rating, which loads the script again").isTrue();
        Phone.Sent second = rater.rate(postId, -5);
        boolean secondRanFirst = Ledger.waitFor(TestServer.TIMEOUT, () -> probe.applied(slug, rater.id, second.cid));
        proxy.resume();
        assertThat(Ledger.settle(phones, TestServer.TIMEOUT)).isTrue();
        JsonObject export = Ledger.export(direct, slug, room.getString("moderatorKey"));
        System.out.printf("[fault: script cache lost, another node reloads it] rater sent 5 then -5; the second had "
                + "run in Redis while the first's reply was held: %s; acks: first %s, second %s; stored ratings: %s%n",
            secondRanFirst, first.ack != null, second.ack != null, export.getJsonArray("ratings"));
        assertThat(first.ack).isNotNull();
        assertThat(second.ack).isNotNull();
        Ledger.assertRatingsAreTheAcknowledgedOnes(export, phones);
        Ledger.assertEqualsRecomputation(export);
      }
    } finally {
      phones.stream().filter(p -> !"rater".equals(p.name)).forEach(Phone::close);
      direct.close();
      TestServer.await(directVertx.close());
    }
  }

  /** What one stall did, as the clients saw it. */
  private record Outage(int sent, int refused, int health, boolean socketsOpen, long refusedAfterMillis,
      long stalledMillis, long healthyAfterMillis, int appliedLate, long retriedMillis) {
    @Override
    public String toString() {
      return String.format("%d commands sent into the stall, %d answered unavailable (the last after %d ms), "
              + "/health %d; stalled for %d ms; /health 200 again %d ms after the stall ended; Redis had applied %d "
              + "of the refused commands late; their retries (same cids) were all acked within %d ms",
          sent, refused, refusedAfterMillis, health, stalledMillis, healthyAfterMillis, appliedLate, retriedMillis);
    }
  }

  /**
   * Stalls the Redis connection, has every phone send two commands on one post (so a refused
   * command that Redis runs late, then runs again on retry, would flip the value and show), ends
   * the stall (or resets every connection) and retries what was refused with the same cids.
   */
  private Outage outage(String slug, List<String> posts, int round, boolean resetConnections) {
    int before = phones.stream().mapToInt(p -> p.unavailable).sum();
    proxy.stall();
    long stalledAt = System.nanoTime();
    int sent = 0;
    for (int i = 0; i < phones.size(); i++) {
      String post = target(posts, i, round);
      phones.get(i).rate(post, value(i, round));
      phones.get(i).rate(post, value(i, round + 10));
      sent += 2;
    }
    int health = node.request(HttpMethod.GET, "/health", null, null).status();
    Ledger.settle(phones, TestServer.TIMEOUT);
    long refusedAfter = millis(stalledAt);
    int refused = phones.stream().mapToInt(p -> p.unavailable).sum() - before;
    boolean open = phones.stream().allMatch(p -> !p.isClosed() && p.pingPong());

    if (resetConnections) {
      proxy.reset();
    }
    proxy.resume();
    long resumedAt = System.nanoTime();
    long stalledMillis = (resumedAt - stalledAt) / 1_000_000;
    // A PING answered on the command connection comes after every command queued before it.
    Ledger.waitFor(TestServer.TIMEOUT, () -> node.request(HttpMethod.GET, "/health", null, null).status() == 200);
    long healthyAfter = millis(resumedAt);
    int appliedLate;
    try (Ledger.Probe probe = new Ledger.Probe(redis.uri())) {
      appliedLate = (int) phones.stream()
          .flatMap(p -> p.refused.values().stream().map(s -> probe.applied(slug, p.id, s.cid)))
          .filter(Boolean::booleanValue).count();
    }

    long retryAt = System.nanoTime();
    Ledger.waitFor(TestServer.TIMEOUT, () -> {
      phones.forEach(Phone::retryRefused);
      Ledger.settle(phones, Duration.ofSeconds(5));
      return phones.stream().allMatch(p -> p.pending.isEmpty());
    });
    return new Outage(sent, refused, health, open, refusedAfter, stalledMillis, healthyAfter, appliedLate, millis(retryAt));
  }

  private void rateRound(List<String> posts, int round) {
    for (int i = 0; i < phones.size(); i++) {
      for (String post : posts) {
        if (!post.equals(ownPost(posts, i))) {
          phones.get(i).rate(post, value(i + posts.indexOf(post), round));
        }
      }
    }
  }

  /** A post phone {@code i} may rate in this round (never its own). */
  private static String target(List<String> posts, int i, int round) {
    String post = posts.get(Math.floorMod(i + round, posts.size()));
    return post.equals(ownPost(posts, i)) ? posts.get(Math.floorMod(i + round + 1, posts.size())) : post;
  }

  private static String ownPost(List<String> posts, int i) {
    return i < posts.size() ? posts.get(i) : null;
  }

  private static int value(int i, int round) {
    return Math.floorMod(i * 3 + round * 4, 11) - 5;
  }

  private static long millis(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }
}
