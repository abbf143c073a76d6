package dev.backchannel.store;

import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * A store engine: applies every command of a room atomically, gives each applied change the room's
 * next {@code seq} and publishes it as a {@link RoomEvent} to the node's {@link RoomEvents} on the
 * room's owner loop. Futures complete on the caller's context. Refusals fail with a
 * {@link dev.backchannel.model.Failure} carrying the protocol's error code.
 */
public interface Store {

  /** Creates an open room; {@code conflict} when the slug is taken. Keys arrive already hashed. */
  Future<RoomInfo> createRoom(NewRoom room);

  /** The room's current description; {@code not_found} when there is none. */
  Future<RoomInfo> room(String slug);

  /**
   * A new participant of the room, with no karma, from {@code network} (their client address cut
   * to its prefix, {@link dev.backchannel.model.Network}), fixed for them; or, when the request's
   * identity is bound already, the participant it is bound to. A network a moderator banned is
   * {@code forbidden}, and so is an invitation the room never issued.
   */
  Future<Admission> join(String slug, JoinRequest request);

  /** {@link #join(String, JoinRequest)} for an open room. */
  default Future<Participant> join(String slug, String nick, String network) {
    return join(slug, JoinRequest.open(nick, network)).map(Admission::participant);
  }

  /**
   * Merges changed settings (and the title) into the room in one step and answers the room as it
   * is then. A change of a public field ({@code title}, {@code language}, {@code access}) is an
   * event of the room ({@link RoomEvent#described()}).
   */
  Future<RoomInfo> configure(String slug, SettingsPatch patch);

  /**
   * Adds invitations to the room (in the order given, after the earlier ones) and answers how many
   * the room has then; an invitation whose hash the room has already is {@code conflict}.
   */
  Future<Integer> invite(String slug, List<Invitation> invitations);

  /** Every invitation of the room, in the order issued, with the participant each one made. */
  Future<List<Invitation>> invitations(String slug);

  /** Appends a staff action to the room's audit log (at most {@link AuditEntry#LIMIT}, oldest dropped). */
  Future<Void> audit(String slug, AuditEntry entry);

  /** The room's audit log, oldest first. */
  Future<List<AuditEntry>> auditLog(String slug);

  /** One participant of the room; {@code not_found} when unknown. */
  Future<Participant> participant(String slug, String participantId);

  /** Creates a post; a {@code cid} seen before for this participant returns the first answer again. */
  Future<Post> post(String slug, String participantId, String cid, String text, String replyTo);

  /** The answer already given to this participant's {@code cid}, or null when there is none. */
  Future<Post> answered(String slug, String participantId, String cid);

  /** Sets, changes ({@code value}) or withdraws ({@code null}) a rating; the answer carries {@code mine}. */
  Future<Post> rate(String slug, String participantId, String cid, String postId, Integer value);

  /**
   * Sets the staff mark of a post; highlighting one post un-highlights the previous one. Only a
   * moderator may hide a post or touch a hidden one ({@code forbidden} otherwise), checked in the
   * same atomic step as the change.
   */
  Future<Post> mark(String slug, String postId, Mark mark, boolean moderator);

  /** Bans a participant: their ratings stop counting and every post they rated is recomputed. */
  Future<Void> ban(String slug, String participantId);

  /**
   * A moderator's decision about a network ({@code network} is the label staff see): release or
   * confirm its ratings of {@code postId}, declare it part of the venue, or ban it. Answers the
   * post's new state when the decision names a post, else null; {@code not_found} for an unknown
   * post or network.
   */
  Future<Post> decide(String slug, String network, String postId, NetworkDecision decision);

  /**
   * Re-tests the room's posts with capped, held or large networks when anything was rated since the
   * last sweep (a venue network's usual share moves with every rating); a no-op otherwise.
   */
  Future<Void> sweep(String slug);

  /** What the store holds about one post's ratings; {@code not_found} for an unknown post. */
  Future<PostEvidence> evidence(String slug, String postId);

  /** The evidence of every post with a network the hold test flags or a moderator decided about. */
  Future<List<PostEvidence>> heldEvidence(String slug);

  /** Turns the room read-only. */
  Future<Void> close(String slug);

  /** Opens a closed room again ({@code {"type":"room","status":"open"}} for its sockets); no-op when open. */
  Future<RoomInfo> reopen(String slug);

  /**
   * Replaces the staff keys of the roles {@code keys} names; sockets opened with a replaced key are
   * closed on every node ({@link RoomEvent#revoked()}).
   */
  Future<RoomInfo> rotateKeys(String slug, RotatedKeys keys);

  /**
   * Deletes the room and everything of it: afterwards it is {@code not_found} everywhere, its
   * sockets are closed ({@link RoomEvent#deleted()}) and its slug can be created again.
   */
  Future<Void> delete(String slug);

  /** Rooms newest first, at most {@code limit}, after the {@code cursor} a previous page gave (null: from the newest). */
  Future<RoomPage> rooms(int limit, String cursor);

  /** Everything a room view needs to start: the room, its seq and every post, hidden ones too. */
  Future<RoomState> load(String slug);

  /** The events after {@code since}, or empty history with {@code resumed == false} when they are gone. */
  Future<History> history(String slug, long since);

  /** The participant's current ratings by post id. */
  Future<Map<String, Integer>> ratingsOf(String slug, String participantId);

  /** Non-hidden posts in the given order, at most {@code limit}. */
  Future<List<Post>> list(String slug, PostOrder order, int limit);

  /** Every post, current rating and participant of the room. */
  Future<RoomExport> export(String slug);

  /**
   * Starts delivering the room's events to the node's {@link RoomEvents} (a node follows the rooms
   * it has sockets in); events after the room's seq at that moment arrive in order.
   */
  Future<Void> follow(String slug);

  /** Stops delivering the room's events to this node. */
  void unfollow(String slug);

  /** Records that a participant now has (or no longer has) a socket of the room on this node. */
  void present(String slug, String participantId, boolean online);

  /**
   * Distinct participants with an open socket in the room on any node; {@code local} is this
   * node's own count (all there is for a single-node engine).
   */
  Future<Integer> online(String slug, int local);

  /** The secret every node signs participant tokens with: the first one proposed wins. */
  Future<String> tokenSecret(String proposed);

  /** Succeeds when the store answers; used by {@code /health}. */
  Future<Void> ping();

  /** Releases connections and timers. */
  Future<Void> close();
}
