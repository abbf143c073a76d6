package dev.backchannel.wire;

import dev.backchannel.model.Mark;
import dev.backchannel.store.NetworkDecision;

/** A validated frame from a client (PROTOCOL.md "WebSocket"). */
public sealed interface Command {

  /** The client id the answer repeats; null for hello and ping. */
  default String cid() {
    return null;
  }

  /** Opens a session: a participant with a token, or staff with a key. {@code since} is -1 when absent. */
  record Hello(String room, String token, String key, long since) implements Command {}

  record Ping() implements Command {}

  record NewPost(String cid, String text, String replyTo) implements Command {}

  /** {@code value} null withdraws the rating. */
  record Rate(String cid, String post, Integer value) implements Command {}

  record SetMark(String cid, String post, Mark status) implements Command {}

  record Ban(String cid, String participant) implements Command {}

  /**
   * A moderator's decision about a network the rule flagged ({@code network} is its label);
   * {@code post} is required for release and confirm, optional otherwise.
   */
  record DecideNetwork(String cid, String network, String post, NetworkDecision decision) implements Command {}
}
