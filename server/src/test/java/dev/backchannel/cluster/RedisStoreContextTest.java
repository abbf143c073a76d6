package dev.backchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.Ids;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.Participant;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.Store;
import dev.backchannel.store.redis.RedisStore;
import dev.backchannel.testing.RedisServer;
import dev.backchannel.testing.TestServer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis engine answers on the caller's Vert.x context (Store's contract), never on Lettuce's
 * threads: for successes, refusals and timeouts alike, from an event-loop and from a worker context.
 * Room code relies on this to touch its state without locks.
 */
class RedisStoreContextTest {

  private static final AtomicLong ROOMS = new AtomicLong();
  private static final byte[] HASH = new byte[32];

  private RedisServer redis;
  private Vertx vertx;
  private RoomLoops loops;
  private RedisStore store;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    loops = TestServer.await(RoomLoops.start(vertx, 2));
    store = connect(Duration.ofSeconds(3));
  }

  @AfterEach
  void stop() {
    if (store != null) {
      TestServer.await(store.close());
    }
    TestServer.await(loops.stop());
    TestServer.await(vertx.close());
    redis.close();
  }

  private RedisStore connect(Duration commandTimeout) {
    return TestServer.await(RedisStore.connect(vertx, loops, new RedisStore.Settings(ScoringRules.defaults(),
        Clock.systemUTC(), new Ids(), 1000, Duration.ofMinutes(10), redis.uri(), commandTimeout, 1000), event -> { }));
  }

  /** Where an answer landed, and what it was. */
  private record Landing<T>(Context context, AsyncResult<T> result) {}

  /** Calls the store from inside {@code context} and records the context its future completes on. */
  private static <T> Landing<T> from(Context context, Supplier<Future<T>> call) {
    Promise<Landing<T>> landed = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(r -> landed.complete(new Landing<>(Vertx.currentContext(), r))));
    return TestServer.await(landed.future());
  }

  /** Succeeds from {@code context}, lands back on it, and gives the value. */
  private static <T> T onSame(Context context, String what, Supplier<Future<T>> call) {
    Landing<T> l = from(context, call);
    assertThat(l.result().succeeded()).as("%s: %s", what, l.result().cause()).isTrue();
    assertThat(l.context()).as("the context %s completes on", what).isSameAs(context);
    return l.result().result();
  }

  /** Fails from {@code context} with {@code code}, on that same context. */
  private static void refusedOnSame(Context context, String what, ErrorCode code, Supplier<Future<?>> call) {
    Landing<?> l = from(context, call::get);
    assertThat(l.result().failed()).as("%s fails", what).isTrue();
    assertThat(l.result().cause()).as(what).isInstanceOf(Failure.class);
    assertThat(((Failure) l.result().cause()).code()).as(what).isEqualTo(code);
    assertThat(l.context()).as("the context %s's refusal completes on", what).isSameAs(context);
  }

  private static String slug() {
    return "ctx-" + ProcessHandle.current().pid() + "-" + ROOMS.incrementAndGet();
  }

  @Test
  void everyCommandAndReadAnswersOnTheCallersEventLoopContext() {
    Context context = vertx.getOrCreateContext();
    assertThat(context.isEventLoopContext()).isTrue();
    String slug = slug();
    Store s = store;
    onSame(context, "createRoom", () -> s.createRoom(new NewRoom(slug, "#" + slug, "Context", HASH, HASH)));
    onSame(context, "room", () -> s.room(slug));
    Participant ada = onSame(context, "join", () -> s.join(slug, "Ada", "192.0.2.0/24"));
    Participant bob = onSame(context, "join", () -> s.join(slug, "Bob", "192.0.2.0/24"));
    onSame(context, "participant", () -> s.participant(slug, ada.id()));
    Post post = onSame(context, "post", () -> s.post(slug, ada.id(), "c1", "hello", null));
    onSame(context, "answered", () -> s.answered(slug, ada.id(), "c1"));
    onSame(context, "rate", () -> s.rate(slug, bob.id(), "r1", post.id(), 4));
    onSame(context, "rate again with the same cid", () -> s.rate(slug, bob.id(), "r1", post.id(), 4));
    onSame(context, "mark", () -> s.mark(slug, post.id(), Mark.ANSWERED, true));
    onSame(context, "ratingsOf", () -> s.ratingsOf(slug, bob.id()));
    onSame(context, "list", () -> s.list(slug, PostOrder.TOP, 10));
    onSame(context, "history", () -> s.history(slug, 0));
    onSame(context, "load", () -> s.load(slug));
    onSame(context, "export", () -> s.export(slug));
    onSame(context, "online", () -> s.online(slug, 0));
    onSame(context, "tokenSecret", () -> s.tokenSecret("a-proposed-secret-0123456789"));
    onSame(context, "ping", s::ping);
    refusedOnSame(context, "room of an unknown slug", ErrorCode.NOT_FOUND, () -> s.room(slug + "-none"));
    refusedOnSame(context, "rate of an unknown post", ErrorCode.NOT_FOUND, () -> s.rate(slug, ada.id(), "r9", "pzz", 1));
    onSame(context, "ban", () -> s.ban(slug, bob.id()));
    onSame(context, "close", () -> s.close(slug));
    refusedOnSame(context, "post in a closed room", ErrorCode.ROOM_CLOSED, () -> s.post(slug, ada.id(), "c2", "late", null));

    onSame(context, "closing the store", store::close);
    store = null;
  }

  @Test
  void answersComeBackOnTheCallersWorkerContext() {
    Anchor anchor = new Anchor();
    TestServer.await(vertx.deployVerticle(anchor, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    Context worker = anchor.context();
    assertThat(worker.isWorkerContext()).isTrue();
    String slug = slug();
    Store s = store;
    onSame(worker, "createRoom", () -> s.createRoom(new NewRoom(slug, "#" + slug, "Worker", HASH, HASH)));
    Participant ada = onSame(worker, "join", () -> s.join(slug, "Ada", "192.0.2.0/24"));
    onSame(worker, "post", () -> s.post(slug, ada.id(), "c1", "from a worker", null));
    onSame(worker, "load", () -> s.load(slug));
    refusedOnSame(worker, "rate of one's own post", ErrorCode.FORBIDDEN, () -> s.rate(slug, ada.id(), "r1", "p1", 3));
  }

  /** A verticle that only gives the test a context of the threading model it is deployed with. */
  private static final class Anchor extends VerticleBase {
    Context context() {
      return context;
    }
  }

  @Test
  void timeoutsWhileRedisIsDownAnswerUnavailableOnTheCallersContext() {
    TestServer.await(store.close());
    store = connect(Duration.ofMillis(500));
    Context context = vertx.getOrCreateContext();
    String slug = slug();
    Store s = store;
    onSame(context, "createRoom", () -> s.createRoom(new NewRoom(slug, "#" + slug, "Down", HASH, HASH)));
    Participant ada = onSame(context, "join", () -> s.join(slug, "Ada", "192.0.2.0/24"));
    redis.kill();
    try {
      Landing<Void> ping = from(context, s::ping);
      assertThat(ping.result().failed()).as("ping while Redis is down fails").isTrue();
      assertThat(ping.context()).as("the context a failed ping completes on").isSameAs(context);
      refusedOnSame(context, "post while Redis is down", ErrorCode.UNAVAILABLE, () -> s.post(slug, ada.id(), "c1", "x", null));
      refusedOnSame(context, "load while Redis is down", ErrorCode.UNAVAILABLE, () -> s.load(slug));
    } finally {
      redis.restart();
    }
    // Lettuce reconnects with a back-off: the retry (same cid) is answered once it is back.
    assertThat(Ledger.waitFor(TestServer.TIMEOUT, () -> from(context, () -> s.post(slug, ada.id(), "c1", "x", null))
        .result().succeeded())).as("the post is taken once Redis is back").isTrue();
    onSame(context, "post after Redis is back", () -> s.post(slug, ada.id(), "c1", "x", null));
  }

  /**
   * {@link Store#follow} too: the Redis engine completes it on the room's owner loop, which is the
   * caller's context only when the caller is that loop (as the room code happens to be).
   */
  @Test
  void followAnswersOnTheCallersContext() {
    Context context = vertx.getOrCreateContext();
    String slug = slug();
    Store s = store;
    onSame(context, "createRoom", () -> s.createRoom(new NewRoom(slug, "#" + slug, "Follow", HASH, HASH)));
    assertThat(loops.owner(slug)).isNotSameAs(context);
    onSame(context, "follow", () -> s.follow(slug));
  }
}
