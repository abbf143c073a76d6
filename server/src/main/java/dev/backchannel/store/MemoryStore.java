package dev.backchannel.store;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.loop.RoomLoops;
import dev.backchannel.scoring.ScoringRules;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The embedded engine: every room lives in this JVM, on its owner loop. State lasts as long as the
 * process. Events reach the node synchronously, on the owner loop, inside the command.
 */
public final class MemoryStore implements Store {

  /** What the memory engine is configured with. */
  public record Settings(ScoringRules rules, Clock clock, Ids ids, int historyLimit, Duration ackRetention) {}

  private final RoomLoops loops;
  private final Settings settings;
  private final RoomEvents events;
  /** The directory is shared by all loops; each room's content is only touched on its owner loop. */
  private final Map<String, MemoryRoom> rooms = new ConcurrentHashMap<>();

  public MemoryStore(RoomLoops loops, Settings settings, RoomEvents events) {
    this.loops = loops;
    this.settings = settings;
    this.events = events;
  }

  @Override
  public Future<RoomInfo> createRoom(NewRoom room) {
    return createRoom(room, settings.ids().secret(), settings.clock().instant());
  }

  /**
   * The commands below take the inputs that are not a function of the room's state (the room's
   * salt, a new participant's id, the instant) from the caller, so that the embedded engine's
   * journal can give a replay the very inputs of the first run. The {@link Store} methods draw
   * fresh ones.
   */
  public Future<RoomInfo> createRoom(NewRoom room, String salt, Instant at) {
    return loops.call(room.slug(), () -> {
      MemoryRoom created = new MemoryRoom(room, salt, at, settings, events);
      if (rooms.putIfAbsent(room.slug(), created) != null) {
        throw ErrorCode.CONFLICT.failure("a room for this hashtag exists already");
      }
      return Future.succeededFuture(created.info());
    });
  }

  @Override
  public Future<RoomInfo> room(String slug) {
    return inRoom(slug, MemoryRoom::info);
  }

  @Override
  public Future<Admission> join(String slug, JoinRequest request) {
    return join(slug, request, settings.ids().participant(), settings.clock().instant());
  }

  /**
   * {@link #join(String, JoinRequest)} with the new participant's id and join instant given (unused
   * when the request's identity is bound already).
   */
  public Future<Admission> join(String slug, JoinRequest request, String participantId, Instant at) {
    return inRoom(slug, r -> r.join(participantId, request, at));
  }

  @Override
  public Future<RoomInfo> configure(String slug, SettingsPatch patch) {
    return inRoom(slug, r -> r.configure(patch));
  }

  @Override
  public Future<Integer> invite(String slug, List<Invitation> invitations) {
    return inRoom(slug, r -> r.invite(invitations));
  }

  @Override
  public Future<List<Invitation>> invitations(String slug) {
    return inRoom(slug, MemoryRoom::invitations);
  }

  @Override
  public Future<Void> audit(String slug, AuditEntry entry) {
    return inRoom(slug, r -> {
      r.audit(entry);
      return null;
    });
  }

  @Override
  public Future<List<AuditEntry>> auditLog(String slug) {
    return inRoom(slug, MemoryRoom::auditLog);
  }

  @Override
  public Future<Participant> participant(String slug, String participantId) {
    return inRoom(slug, r -> r.participant(participantId));
  }

  @Override
  public Future<Post> post(String slug, String participantId, String cid, String text, String replyTo) {
    return post(slug, participantId, cid, text, replyTo, settings.clock().instant());
  }

  /** {@link #post(String, String, String, String, String)} at a given instant. */
  public Future<Post> post(String slug, String participantId, String cid, String text, String replyTo, Instant at) {
    return inRoom(slug, r -> r.post(participantId, cid, text, replyTo, at));
  }

  @Override
  public Future<Post> answered(String slug, String participantId, String cid) {
    return inRoom(slug, r -> r.answered(participantId, cid));
  }

  @Override
  public Future<Post> rate(String slug, String participantId, String cid, String postId, Integer value) {
    return rate(slug, participantId, cid, postId, value, settings.clock().instant());
  }

  /** {@link #rate(String, String, String, String, Integer)} at a given instant. */
  public Future<Post> rate(String slug, String participantId, String cid, String postId, Integer value, Instant at) {
    return inRoom(slug, r -> r.rate(participantId, cid, postId, value, at));
  }

  @Override
  public Future<Post> mark(String slug, String postId, Mark mark, boolean moderator) {
    return inRoom(slug, r -> r.mark(postId, mark, moderator));
  }

  @Override
  public Future<Void> ban(String slug, String participantId) {
    return inRoom(slug, r -> {
      r.ban(participantId);
      return null;
    });
  }

  @Override
  public Future<Post> decide(String slug, String network, String postId, NetworkDecision decision) {
    return inRoom(slug, r -> r.decide(network, postId, decision));
  }

  @Override
  public Future<Void> sweep(String slug) {
    return inRoom(slug, r -> {
      r.sweep();
      return null;
    });
  }

  @Override
  public Future<PostEvidence> evidence(String slug, String postId) {
    return inRoom(slug, r -> r.evidence(postId));
  }

  @Override
  public Future<List<PostEvidence>> heldEvidence(String slug) {
    return inRoom(slug, MemoryRoom::heldEvidence);
  }

  @Override
  public Future<Void> close(String slug) {
    return close(slug, settings.clock().instant());
  }

  /** {@link #close(String)} at a given instant. */
  public Future<Void> close(String slug, Instant at) {
    return inRoom(slug, r -> {
      r.close(at);
      return null;
    });
  }

  @Override
  public Future<RoomInfo> reopen(String slug) {
    return inRoom(slug, MemoryRoom::reopen);
  }

  @Override
  public Future<RoomInfo> rotateKeys(String slug, RotatedKeys keys) {
    return inRoom(slug, r -> r.rotateKeys(keys));
  }

  @Override
  public Future<Void> delete(String slug) {
    return inRoom(slug, r -> {
      rooms.remove(slug);
      r.deleted();
      return null;
    });
  }

  @Override
  public Future<RoomPage> rooms(int limit, String cursor) {
    RoomCursor after;
    try {
      after = cursor == null ? null : RoomCursor.decode(cursor);
    } catch (dev.backchannel.model.Failure bad) {
      return Future.failedFuture(bad);
    }
    // Creation instants and slugs never change, so the order is read here; each room's figures on its own loop.
    List<RoomCursor> order = rooms.values().stream().map(r -> r.cursor())
        .filter(c -> after == null || after.before(c))
        .sorted(RoomCursor.NEWEST_FIRST)
        .limit(limit + 1L)
        .toList();
    List<RoomCursor> page = order.subList(0, Math.min(limit, order.size()));
    List<Future<RoomPage.Summary>> summaries = page.stream()
        .map(c -> inRoom(c.slug(), MemoryRoom::summary).otherwise((RoomPage.Summary) null)).toList();
    return Future.all(summaries).map(all -> new RoomPage(
        summaries.stream().map(Future::result).filter(java.util.Objects::nonNull).toList(),
        order.size() > limit ? page.get(page.size() - 1).encode() : null));
  }

  @Override
  public Future<RoomState> load(String slug) {
    return inRoom(slug, MemoryRoom::state);
  }

  @Override
  public Future<History> history(String slug, long since) {
    return inRoom(slug, r -> r.history(since));
  }

  @Override
  public Future<Map<String, Integer>> ratingsOf(String slug, String participantId) {
    return inRoom(slug, r -> r.ratingsOf(participantId));
  }

  @Override
  public Future<List<Post>> list(String slug, PostOrder order, int limit) {
    return inRoom(slug, r -> r.list(order, limit));
  }

  @Override
  public Future<RoomExport> export(String slug) {
    return inRoom(slug, MemoryRoom::export);
  }

  /** Every event of this engine reaches the node synchronously already; nothing to subscribe to. */
  @Override
  public Future<Void> follow(String slug) {
    return Future.succeededFuture();
  }

  @Override
  public void unfollow(String slug) {}

  @Override
  public void present(String slug, String participantId, boolean online) {}

  /** One node: its own count is everyone. */
  @Override
  public Future<Integer> online(String slug, int local) {
    return Future.succeededFuture(local);
  }

  @Override
  public Future<String> tokenSecret(String proposed) {
    return Future.succeededFuture(proposed);
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private <T> Future<T> inRoom(String slug, Function<MemoryRoom, T> work) {
    return loops.call(slug, () -> {
      MemoryRoom room = rooms.get(slug);
      if (room == null) {
        throw ErrorCode.NOT_FOUND.failure("no such room");
      }
      return Future.succeededFuture(work.apply(room));
    });
  }
}
