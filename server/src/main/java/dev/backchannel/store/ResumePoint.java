package dev.backchannel.store;

/**
 * Decides whether a client that last saw {@code since} can be caught up from history: only when
 * every event after it is still held, i.e. {@code floor ≤ since ≤ seq}, where {@code floor} is the
 * seq of the newest event already dropped. A {@code since} above the room's seq means the store
 * lost history the client saw, so it too gets a fresh snapshot.
 */
public final class ResumePoint {

  private ResumePoint() {}

  public static boolean resumable(long since, long floor, long seq) {
    return since >= floor && since <= seq;
  }
}
