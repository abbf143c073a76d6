package dev.backchannel.metrics;

import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.store.Admission;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.History;
import dev.backchannel.store.Invitation;
import dev.backchannel.store.JoinRequest;
import dev.backchannel.store.SettingsPatch;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.NetworkDecision;
import dev.backchannel.store.Participant;
import dev.backchannel.store.PostEvidence;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.RoomExport;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.RoomPage;
import dev.backchannel.store.RoomState;
import dev.backchannel.store.RotatedKeys;
import dev.backchannel.store.Store;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Any store engine with the latency of each operation recorded ({@code backchannel_store_seconds}). */
public final class TimedStore implements Store {

  private final Store engine;
  private final ServerMetrics metrics;

  public TimedStore(Store engine, ServerMetrics metrics) {
    this.engine = engine;
    this.metrics = metrics;
  }

  /** The engine whose operations this times (tests reach engine-specific fault hooks through it). */
  public Store engine() {
    return engine;
  }

  private <T> Future<T> timed(String op, Supplier<Future<T>> call) {
    Timer.Sample sample = Timer.start();
    return call.get().andThen(done -> sample.stop(metrics.store(op)));
  }

  @Override
  public Future<RoomInfo> createRoom(NewRoom room) {
    return timed("createRoom", () -> engine.createRoom(room));
  }

  @Override
  public Future<RoomInfo> room(String slug) {
    return timed("room", () -> engine.room(slug));
  }

  @Override
  public Future<Admission> join(String slug, JoinRequest request) {
    return timed("join", () -> engine.join(slug, request));
  }

  @Override
  public Future<RoomInfo> configure(String slug, SettingsPatch patch) {
    return timed("configure", () -> engine.configure(slug, patch));
  }

  @Override
  public Future<Integer> invite(String slug, List<Invitation> invitations) {
    return timed("invite", () -> engine.invite(slug, invitations));
  }

  @Override
  public Future<List<Invitation>> invitations(String slug) {
    return timed("invitations", () -> engine.invitations(slug));
  }

  @Override
  public Future<Void> audit(String slug, AuditEntry entry) {
    return timed("audit", () -> engine.audit(slug, entry));
  }

  @Override
  public Future<List<AuditEntry>> auditLog(String slug) {
    return timed("auditLog", () -> engine.auditLog(slug));
  }

  @Override
  public Future<Participant> participant(String slug, String participantId) {
    return timed("participant", () -> engine.participant(slug, participantId));
  }

  @Override
  public Future<Post> answered(String slug, String participantId, String cid) {
    return timed("answered", () -> engine.answered(slug, participantId, cid));
  }

  @Override
  public Future<Post> post(String slug, String participantId, String cid, String text, String replyTo) {
    return timed("post", () -> engine.post(slug, participantId, cid, text, replyTo));
  }

  @Override
  public Future<Post> rate(String slug, String participantId, String cid, String postId, Integer value) {
    return timed("rate", () -> engine.rate(slug, participantId, cid, postId, value));
  }

  @Override
  public Future<Post> mark(String slug, String postId, Mark mark, boolean moderator) {
    return timed("mark", () -> engine.mark(slug, postId, mark, moderator));
  }

  @Override
  public Future<Post> decide(String slug, String network, String postId, NetworkDecision decision) {
    return timed("decide", () -> engine.decide(slug, network, postId, decision));
  }

  @Override
  public Future<Void> sweep(String slug) {
    return timed("sweep", () -> engine.sweep(slug));
  }

  @Override
  public Future<PostEvidence> evidence(String slug, String postId) {
    return timed("evidence", () -> engine.evidence(slug, postId));
  }

  @Override
  public Future<List<PostEvidence>> heldEvidence(String slug) {
    return timed("heldEvidence", () -> engine.heldEvidence(slug));
  }

  @Override
  public Future<Void> ban(String slug, String participantId) {
    return timed("ban", () -> engine.ban(slug, participantId));
  }

  @Override
  public Future<Void> close(String slug) {
    return timed("close", () -> engine.close(slug));
  }
  @Override
  public Future<RoomInfo> reopen(String slug) {
    return timed("reopen", () -> engine.reopen(slug));
  }

  @Override
  public Future<RoomInfo> rotateKeys(String slug, RotatedKeys keys) {
    return timed("rotateKeys", () -> engine.rotateKeys(slug, keys));
  }

  @Override
  public Future<Void> delete(String slug) {
    return timed("delete", () -> engine.delete(slug));
  }

  @Override
  public Future<RoomPage> rooms(int limit, String cursor) {
    return timed("rooms", () -> engine.rooms(limit, cursor));
  }


  @Override
  public Future<RoomState> load(String slug) {
    return timed("load", () -> engine.load(slug));
  }

  @Override
  public Future<History> history(String slug, long since) {
    return timed("history", () -> engine.history(slug, since));
  }

  @Override
  public Future<Map<String, Integer>> ratingsOf(String slug, String participantId) {
    return timed("ratingsOf", () -> engine.ratingsOf(slug, participantId));
  }

  @Override
  public Future<List<Post>> list(String slug, PostOrder order, int limit) {
    return timed("list", () -> engine.list(slug, order, limit));
  }

  @Override
  public Future<RoomExport> export(String slug) {
    return timed("export", () -> engine.export(slug));
  }

  @Override
  public Future<Void> follow(String slug) {
    return engine.follow(slug);
  }

  @Override
  public void unfollow(String slug) {
    engine.unfollow(slug);
  }

  @Override
  public void present(String slug, String participantId, boolean online) {
    engine.present(slug, participantId, online);
  }

  @Override
  public Future<Integer> online(String slug, int local) {
    return timed("online", () -> engine.online(slug, local));
  }

  @Override
  public Future<String> tokenSecret(String proposed) {
    return engine.tokenSecret(proposed);
  }

  @Override
  public Future<Void> ping() {
    return timed("ping", engine::ping);
  }

  @Override
  public Future<Void> close() {
    return engine.close();
  }
}
