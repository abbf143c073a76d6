package dev.backchannel.room;

import dev.backchannel.model.Role;
import io.vertx.core.Context;

/**
 * A socket as a room view sees it. The view calls {@link #send} and {@link #close} only on the
 * subscriber's own {@link #context()}, so a socket is never touched from two threads.
 */
public interface Subscriber {

  Context context();

  Role role();

  /** The participant on this socket; null for staff. */
  String participantId();

  void send(String frame);

  void close(short code, String reason);
}
