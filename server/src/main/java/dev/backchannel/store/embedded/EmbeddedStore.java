package dev.backchannel.store.embedded;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.Admission;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.History;
import dev.backchannel.store.Invitation;
import dev.backchannel.store.JoinRequest;
import dev.backchannel.store.SettingsPatch;
import dev.backchannel.store.Ids;
import dev.backchannel.store.MemoryStore;
import dev.backchannel.store.NetworkDecision;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.Participant;
import dev.backchannel.store.PostEvidence;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.RoomEvents;
import dev.backchannel.store.RoomExport;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.RoomPage;
import dev.backchannel.store.RoomState;
import dev.backchannel.store.RotatedKeys;
import dev.backchannel.store.Store;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The durable single-node engine: the memory engine's rooms, with every mutating command journaled
 * to an SQLite file under {@code dataDir} and replayed through the same memory engine at start
 * (command sourcing). Scoring, the network rule, acks and history are the memory engine's, so both
 * engines give the same answers by construction.
 *
 * <p>Durability {@code always}: a command is journaled first and applied only after its group's
 * commit is synced, so no answer, event or read ever shows a change a crash could lose.
 * Durability {@code batch}: a command is queued for the journal and applied at once, and the
 * journal is synced at least every half second.
 */
public final class EmbeddedStore implements Store {

  /** When an {@code ack} is sent relative to the sync of the command. */
  public enum Durability {
    /** After the commit holding the command is synced. */
    ALWAYS,
    /** At once; the journal is synced at least every {@link JournalWriter#SYNC_INTERVAL_MS} ms. */
    BATCH;

    /** The durability a configuration word names; fails start-up on anything else. */
    public static Durability of(String word) {
      for (Durability d : values()) {
        if (d.name().toLowerCase(Locale.ROOT).equals(word)) {
          return d;
        }
      }
      throw new IllegalArgumentException("durability must be always or batch, got " + word);
    }
  }

  /** What the embedded engine is configured with; {@code queueSize} bounds the commands waiting for the disk. */
  public record Settings(ScoringRules rules, Clock clock, Ids ids, int historyLimit, Duration ackRetention,
      Path dataDir, Durability durability, int queueSize) {}

  /** How long start-up waits for the loops to apply one slice of the replay. */
  private static final long REPLAY_SLICE_TIMEOUT_SECONDS = 60;
  /** Entries replayed between two waits for the loops, so replay never floods their queues. */
  private static final int REPLAY_SLICE = 4096;
  private static final Logger LOG = Logger.getLogger(EmbeddedStore.class.getName());

  private final RoomLoops loops;
  private final Settings settings;
  private final MemoryStore memory;
  /** Rooms created so far: commands for any other slug are refused before they reach the journal. */
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();
  /**
   * Durability {@code always}: each room's newest command still waiting for its commit. Its
   * completion means every earlier command of the room is applied (they complete in journal order).
   */
  private final Map<String, Future<?>> inFlight = new ConcurrentHashMap<>();
  /** False while the journal is replayed: those events are history, not news for the node. */
  private volatile boolean serving;
  private volatile JournalWriter writer;

  private EmbeddedStore(RoomLoops loops, Settings settings, RoomEvents events) {
    this.loops = loops;
    this.settings = settings;
    RoomEvents node = event -> {
      if (serving) {
        events.onEvent(event);
      }
    };
    this.memory = new MemoryStore(loops, new MemoryStore.Settings(settings.rules(), settings.clock(), settings.ids(),
        settings.historyLimit(), settings.ackRetention()), node);
  }

  /**
   * Opens (or creates) the journal under {@code dataDir}, replays it into the memory engine and
   * starts the writer; completes on the caller's context. Fails when the directory is not writable,
   * is used by another server, or holds a journal that cannot be read completely.
   */
  public static Future<EmbeddedStore> open(Vertx vertx, RoomLoops loops, Settings settings, RoomEvents events) {
    EmbeddedStore store = new EmbeddedStore(loops, settings, events);
    Context caller = vertx.getOrCreateContext();
    boolean sync = settings.durability() == Durability.ALWAYS;
    return Future.fromCompletionStage(JournalWriter.start(settings.dataDir(), sync, settings.queueSize(), store::replay),
            caller)
        .map(writer -> {
          store.writer = writer;
          store.serving = true;
          return store;
        });
  }

  // ------------------------------------------------------------------ commands: journaled

  @Override
  public Future<RoomInfo> createRoom(NewRoom room) {
    return command(new JournalEntry.CreateRoom(room.slug(), room.hashtag(), room.title(), room.speakerKeyHash(),
        room.moderatorKeyHash(), settings.ids().secret(), settings.clock().instant()));
  }

  @Override
  public Future<Admission> join(String slug, JoinRequest r) {
    return command(new JournalEntry.Join(slug, settings.ids().participant(), r.nick(), r.network(), r.codeHash(),
        r.inviteHash(), r.signin(), settings.clock().instant()));
  }

  @Override
  public Future<RoomInfo> configure(String slug, SettingsPatch patch) {
    return command(new JournalEntry.Configure(slug, patch.fields()));
  }

  @Override
  public Future<Integer> invite(String slug, List<Invitation> invitations) {
    return command(new JournalEntry.Invite(slug, invitations));
  }

  @Override
  public Future<Void> audit(String slug, AuditEntry entry) {
    return command(new JournalEntry.Audit(slug, entry));
  }

  @Override
  public Future<Post> post(String slug, String participantId, String cid, String text, String replyTo) {
    return command(new JournalEntry.Write(slug, participantId, cid, text, replyTo, settings.clock().instant()));
  }

  @Override
  public Future<Post> rate(String slug, String participantId, String cid, String postId, Integer value) {
    return command(new JournalEntry.Rate(slug, participantId, cid, postId, value, settings.clock().instant()));
  }

  @Override
  public Future<Post> mark(String slug, String postId, Mark mark, boolean moderator) {
    return command(new JournalEntry.SetMark(slug, postId, mark, moderator));
  }

  @Override
  public Future<Void> ban(String slug, String participantId) {
    return command(new JournalEntry.Ban(slug, participantId));
  }

  @Override
  public Future<Post> decide(String slug, String network, String postId, NetworkDecision decision) {
    return command(new JournalEntry.Decide(slug, network, postId, decision));
  }

  @Override
  public Future<Void> sweep(String slug) {
    return command(new JournalEntry.Sweep(slug));
  }

  @Override
  public Future<Void> close(String slug) {
    return command(new JournalEntry.CloseRoom(slug, settings.clock().instant()));
  }

  @Override
  public Future<RoomInfo> reopen(String slug) {
    return command(new JournalEntry.Reopen(slug));
  }

  @Override
  public Future<RoomInfo> rotateKeys(String slug, RotatedKeys keys) {
    return command(new JournalEntry.RotateKeys(slug, keys));
  }

  @Override
  public Future<Void> delete(String slug) {
    return command(new JournalEntry.Delete(slug));
  }

  @Override
  public Future<RoomPage> rooms(int limit, String cursor) {
    return memory.rooms(limit, cursor);
  }

  // ------------------------------------------------------------------ reads: the memory engine's

  @Override
  public Future<List<Invitation>> invitations(String slug) {
    return memory.invitations(slug);
  }

  @Override
  public Future<List<AuditEntry>> auditLog(String slug) {
    return memory.auditLog(slug);
  }

  @Override
  public Future<RoomInfo> room(String slug) {
    return memory.room(slug);
  }

  @Override
  public Future<Participant> participant(String slug, String participantId) {
    return memory.participant(slug, participantId);
  }

  /**
   * Waits for the room's commands in flight first (durability {@code always}): a cid that is
   * still waiting for its commit must not look unanswered, and a refusal based on this answer (the
   * rooms' rate limits) must not overtake the socket's earlier commands.
   */
  @Override
  public Future<Post> answered(String slug, String participantId, String cid) {
    Future<?> pending = inFlight.get(slug);
    if (pending == null) {
      return memory.answered(slug, participantId, cid);
    }
    Context caller = Vertx.currentContext();
    Promise<Post> answer = Promise.promise();
    pending.onComplete(done -> memory.answered(slug, participantId, cid)
        .onComplete(result -> reply(caller, answer, result)));
    return answer.future();
  }

  @Override
  public Future<PostEvidence> evidence(String slug, String postId) {
    return memory.evidence(slug, postId);
  }

  @Override
  public Future<List<PostEvidence>> heldEvidence(String slug) {
    return memory.heldEvidence(slug);
  }

  @Override
  public Future<RoomState> load(String slug) {
    return memory.load(slug);
  }

  @Override
  public Future<History> history(String slug, long since) {
    return memory.history(slug, since);
  }

  @Override
  public Future<Map<String, Integer>> ratingsOf(String slug, String participantId) {
    return memory.ratingsOf(slug, participantId);
  }

  @Override
  public Future<List<Post>> list(String slug, PostOrder order, int limit) {
    return memory.list(slug, order, limit);
  }

  @Override
  public Future<RoomExport> export(String slug) {
    return memory.export(slug);
  }

  @Override
  public Future<Void> follow(String slug) {
    return memory.follow(slug);
  }

  @Override
  public void unfollow(String slug) {
    memory.unfollow(slug);
  }

  @Override
  public void present(String slug, String participantId, boolean online) {
    memory.present(slug, participantId, online);
  }

  @Override
  public Future<Integer> online(String slug, int local) {
    return memory.online(slug, local);
  }

  // ------------------------------------------------------------------ the node

  /** Kept in the journal's meta table, so participants' tokens stay valid across restarts. */
  @Override
  public Future<String> tokenSecret(String proposed) {
    return onCaller(writer.call(journal -> journal.metaIfAbsent("tokenSecret", proposed)))
        .recover(e -> Future.failedFuture(unavailable()));
  }

  /** Fails while the journal cannot be written (a full disk, an I/O error), so {@code /health} answers 503. */
  @Override
  public Future<Void> ping() {
    return writer.healthy() ? Future.succeededFuture()
        : Future.failedFuture(ErrorCode.UNAVAILABLE.failure("the journal cannot be written"));
  }

  /** Writes and syncs what is queued, then closes the file. */
  @Override
  public Future<Void> close() {
    return onCaller(writer.stop()).compose(v -> memory.close());
  }

  /** Runs {@code task} with the journal on the writer thread (tests: a disk that fills up). */
  <T> Future<T> withJournal(JournalWriter.Task<T> task) {
    return onCaller(writer.call(task));
  }

  /** Caps the journal at {@code pages} pages from the next commit on (tests: a disk that fills up). */
  void limitPages(long pages) {
    writer.limitPages(pages);
  }

  // ------------------------------------------------------------------ how a command runs

  /**
   * {@code always}: journal, then apply on the owner loop once synced (the writer hands committed
   * entries to the loops in journal order, which is therefore each room's apply order).
   * {@code batch}: on the owner loop, queue for the journal, then apply, in one step, so that the
   * journal's order is again the apply order. A command that the journal refuses is never applied.
   */
  private <T> Future<T> command(JournalEntry<T> entry) {
    if (!(entry instanceof JournalEntry.CreateRoom) && !rooms.contains(entry.room())) {
      return Future.failedFuture(ErrorCode.NOT_FOUND.failure("no such room"));
    }
    JournalWriter journal = writer;
    if (settings.durability() == Durability.BATCH) {
      return loops.call(entry.room(), () -> journal.append(entry, failure -> {})
          ? apply(entry) : Future.failedFuture(unavailable()));
    }
    Context caller = Vertx.currentContext();
    Context owner = loops.owner(entry.room());
    Promise<T> answer = Promise.promise();
    boolean queued = journal.append(entry, failure -> {
      if (failure != null) {
        reply(caller, answer, Future.failedFuture(unavailable()));
      } else {
        owner.runOnContext(v -> apply(entry).onComplete(result -> reply(caller, answer, result)));
      }
    });
    if (!queued) {
      return Future.failedFuture(unavailable());
    }
    Future<T> answered = answer.future();
    inFlight.put(entry.room(), answered);
    answered.onComplete(done -> inFlight.remove(entry.room(), answered));
    return answered;
  }

  private <T> Future<T> apply(JournalEntry<T> entry) {
    Future<T> applied = entry.apply(memory);
    if (entry instanceof JournalEntry.CreateRoom) {
      applied.onSuccess(created -> rooms.add(entry.room()));
    } else if (entry instanceof JournalEntry.Delete) {
      applied.onSuccess(deleted -> rooms.remove(entry.room()));
    }
    return applied;
  }

  private static <T> void reply(Context caller, Promise<T> answer, AsyncResult<T> result) {
    if (caller == null || caller == Vertx.currentContext()) {
      answer.handle(result);
    } else {
      caller.runOnContext(v -> answer.handle(result));
    }
  }

  /**
   * Applies every journaled entry to the memory engine on its room's owner loop, in journal order;
   * runs on the journal's thread before any command is taken. Entries that were refused the first
   * time (a rating of a hidden post, say) are refused again the same way and change nothing.
   */
  private Void replay(Journal journal) throws Exception {
    long started = System.nanoTime();
    Set<Context> used = new HashSet<>();
    AtomicLong refused = new AtomicLong();
    long[] count = {0};
    long entries = journal.replay(entry -> {
      Context owner = loops.owner(entry.room());
      used.add(owner);
      owner.runOnContext(v -> {
        try {
          apply(entry).onFailure(e -> refused.incrementAndGet());
        } catch (RuntimeException e) {
          refused.incrementAndGet();
        }
      });
      if (++count[0] % REPLAY_SLICE == 0) {
        drain(used);
      }
    });
    drain(used);
    if (entries > 0) {
      LOG.info(String.format("embedded store: replayed %d journaled commands (%d refused, as they were the first"
              + " time) of %d rooms in %d ms", entries, refused.get(), rooms.size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
    }
    return null;
  }

  /** Waits until every loop in {@code used} has run what the replay handed it so far. */
  private static void drain(Set<Context> used) {
    CountDownLatch done = new CountDownLatch(used.size());
    used.forEach(c -> c.runOnContext(v -> done.countDown()));
    boolean applied;
    try {
      applied = done.await(REPLAY_SLICE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying the journal", e);
    }
    if (!applied) {
      throw new IllegalStateException("the room loops did not apply the journal within "
          + REPLAY_SLICE_TIMEOUT_SECONDS + " s");
    }
  }

  private static Failure unavailable() {
    return ErrorCode.UNAVAILABLE.failure("the store cannot write to disk; try again");
  }

  private static <T> Future<T> onCaller(CompletionStage<T> stage) {
    Context caller = Vertx.currentContext();
    return caller == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, caller);
  }
}
