package dev.backchannel.store;

import java.time.Instant;
import java.util.List;

/** A page of the server's rooms, newest first, and the cursor of the next page (null on the last). */
public record RoomPage(List<Summary> rooms, String next) {

  /** A room as the organizer's list shows it (the online count comes from the node, not the store). */
  public record Summary(RoomInfo room, int ratings, Instant closedAt) {}
}
