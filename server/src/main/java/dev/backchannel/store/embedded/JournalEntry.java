package dev.backchannel.store.embedded;

import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.store.MemoryStore;
import dev.backchannel.store.NetworkDecision;
import dev.backchannel.store.NewRoom;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.store.Admission;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.Invitation;
import dev.backchannel.store.JoinRequest;
import dev.backchannel.store.RotatedKeys;
import dev.backchannel.store.SettingsPatch;
import dev.backchannel.store.RoomInfo;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One mutating command of a room as the journal keeps it: its arguments plus every input that is
 * not a function of the room's state (a room's salt, a participant's id, the instant). Applying the
 * same entries in the same order to an empty {@link MemoryStore} therefore rebuilds the same rooms,
 * answers, acks and history, which is all the embedded engine's recovery is.
 *
 * @param <T> what the command answers
 */
sealed interface JournalEntry<T> {

  /** The room the command belongs to. */
  String room();

  /** Runs the command on the memory engine; called on the room's owner loop. */
  Future<T> apply(MemoryStore memory);

  /** A new room with the salt of its network labels and its creation instant. */
  record CreateRoom(String room, String hashtag, String title, byte[] speakerKeyHash, byte[] moderatorKeyHash,
      String salt, Instant at) implements JournalEntry<RoomInfo> {
    @Override
    public Future<RoomInfo> apply(MemoryStore memory) {
      return memory.createRoom(new NewRoom(room, hashtag, title, speakerKeyHash, moderatorKeyHash), salt, at);
    }
  }

  /**
   * A participant joining with the id they were given (unused when they turn out to be someone
   * already in). Entries written before access modes existed read with the proofs null: an open
   * room's join, which all rooms were then.
   */
  record Join(String room, String participant, String nick, String network, String codeHash, String inviteHash,
      String signin, Instant at) implements JournalEntry<Admission> {
    @Override
    public Future<Admission> apply(MemoryStore memory) {
      return memory.join(room, new JoinRequest(nick, network, codeHash, inviteHash, signin), participant, at);
    }
  }

  /** Settings changed. */
  record Configure(String room, Map<String, JsonNode> fields) implements JournalEntry<RoomInfo> {
    @Override
    public Future<RoomInfo> apply(MemoryStore memory) {
      return memory.configure(room, new SettingsPatch(fields));
    }
  }

  /** Invitations issued. */
  record Invite(String room, List<Invitation> invitations) implements JournalEntry<Integer> {
    @Override
    public Future<Integer> apply(MemoryStore memory) {
      return memory.invite(room, invitations);
    }
  }

  /** A staff action for the audit log. */
  record Audit(String room, AuditEntry entry) implements JournalEntry<Void> {
    @Override
    public Future<Void> apply(MemoryStore memory) {
      return memory.audit(room, entry);
    }
  }

  /** A post, named {@code Write} so that it does not shadow the model's {@link Post}. */
  record Write(String room, String participant, String cid, String text, String replyTo, Instant at)
      implements JournalEntry<Post> {
    @Override
    public Future<Post> apply(MemoryStore memory) {
      return memory.post(room, participant, cid, text, replyTo, at);
    }
  }

  /** A rating set, changed or withdrawn ({@code value == null}). */
  record Rate(String room, String participant, String cid, String post, Integer value, Instant at)
      implements JournalEntry<Post> {
    @Override
    public Future<Post> apply(MemoryStore memory) {
      return memory.rate(room, participant, cid, post, value, at);
    }
  }

  /** A staff mark. */
  record SetMark(String room, String post, Mark mark, boolean moderator) implements JournalEntry<Post> {
    @Override
    public Future<Post> apply(MemoryStore memory) {
      return memory.mark(room, post, mark, moderator);
    }
  }

  /** A participant banned. */
  record Ban(String room, String participant) implements JournalEntry<Void> {
    @Override
    public Future<Void> apply(MemoryStore memory) {
      return memory.ban(room, participant);
    }
  }

  /** A moderator's decision about a network. */
  record Decide(String room, String network, String post, NetworkDecision decision) implements JournalEntry<Post> {
    @Override
    public Future<Post> apply(MemoryStore memory) {
      return memory.decide(room, network, post, decision);
    }
  }

  /** A sweep of the room's special networks. */
  record Sweep(String room) implements JournalEntry<Void> {
    @Override
    public Future<Void> apply(MemoryStore memory) {
      return memory.sweep(room);
    }
  }

  /** The room turned read-only. */
  /** The room closed; {@code at} is null in entries written before rooms kept when they closed. */
  record CloseRoom(String room, Instant at) implements JournalEntry<Void> {
    @Override
    public Future<Void> apply(MemoryStore memory) {
      return memory.close(room, at);
    }
  }

  /** A closed room opened again. */
  record Reopen(String room) implements JournalEntry<RoomInfo> {
    @Override
    public Future<RoomInfo> apply(MemoryStore memory) {
      return memory.reopen(room);
    }
  }

  /** Staff keys replaced. */
  record RotateKeys(String room, RotatedKeys keys) implements JournalEntry<RoomInfo> {
    @Override
    public Future<RoomInfo> apply(MemoryStore memory) {
      return memory.rotateKeys(room, keys);
    }
  }

  /**
   * The room deleted. Never stored: the journal deletes the room's rows instead, in the same
   * transaction, so nothing of the room is left on disk and a replay never sees it.
   */
  record Delete(String room) implements JournalEntry<Void> {
    @Override
    public Future<Void> apply(MemoryStore memory) {
      return memory.delete(room);
    }
  }
}
