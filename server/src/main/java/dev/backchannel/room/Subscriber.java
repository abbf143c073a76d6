package dev.backchannel.room;

import dev.backchannel.model.Role;
import dev.backchannel.wire.TextFrame;
import io.vertx.core.Context;

/**
 * A socket as a room view sees it. The view calls these methods only on the subscriber's own
 * {@link #context()}, so a socket is never touched from two threads.
 */
public interface Subscriber {

  Context context();

  Role role();

  /** The participant on this socket; null for staff. */
  String participantId();

  /** The socket's welcome, which brings the client up to {@code seq}. */
  void welcome(TextFrame frame, long seq);

  /** A frame the client must get (catch-up, room closed). */
  void send(TextFrame frame);

  /**
   * A coalesced {@code posts} batch up to {@code seq}. A socket that is not keeping up may skip it,
   * and is then caught up from the last batch it did get ({@link Rooms#catchUp}).
   */
  void sendBatch(TextFrame frame, long seq);

  /** A frame that holds the whole current state (presence, dashboard): the next one replaces it. */
  void sendLatest(TextFrame frame);

  void close(short code, String reason);
}
