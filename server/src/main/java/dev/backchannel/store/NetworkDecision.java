package dev.backchannel.store;

import java.util.Locale;

/** What a moderator decides about a held network (DESIGN.md v2). */
public enum NetworkDecision {
  /** Its ratings on the post count in full again ({@code h = 1}). */
  RELEASE,
  /** Its ratings on the post stay out ({@code h = 0}). */
  CONFIRM,
  /** It is part of the venue: held only when it rates a post far above its usual share. */
  VENUE,
  /** Every participant of it is banned from the room. */
  BAN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The decision a wire word names, or null. */
  public static NetworkDecision of(String wire) {
    for (NetworkDecision d : values()) {
      if (d.wire().equals(wire)) {
        return d;
      }
    }
    return null;
  }
}
