package dev.backchannel.store.embedded;

import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.store.MemoryStore;
import dev.backchannel.store.NetworkDecision;
import dev.backchannel.store.NewRoom;
import dev.backchannel.store.Participant;
import dev.backchannel.store.RoomInfo;
import io.vertx.core.Future;
import java.time.Instant;

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

  /** A participant joining with the id they were given. */
  record Join(String room, String participant, String nick, String network, Instant at)
      implements JournalEntry<Participant> {
    @Override
    public Future<Participant> apply(MemoryStore memory) {
      return memory.join(room, nick, network, participant, at);
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
  record CloseRoom(String room) implements JournalEntry<Void> {
    @Override
    public Future<Void> apply(MemoryStore memory) {
      return memory.close(room);
    }
  }
}
