package dev.backchannel.bench.load;

import java.util.List;

/**
 * A moderator socket in the room that keeps the room's latest list of held networks: a v2 server
 * sends moderators a {@code held} frame with the whole current list whenever it changes. A server
 * without network weighting (v1, or v2 with {@code --network-weighting=false}) never sends one.
 */
final class HeldWatch implements BenchSocket.Listener {

  private volatile List<Frame.Held> current = List.of();
  private volatile boolean heard;

  private HeldWatch() {}

  static HeldWatch open(Run run, Client.RoomKeys room) {
    HeldWatch watch = new HeldWatch();
    run.staff(room, room.moderatorKey(), 0, s -> {
      s.depth = type -> "held".equals(type) ? Frame.Mode.DEEP : Frame.Mode.STOP;
      s.listener = watch;
    });
    return watch;
  }

  @Override
  public void onFrame(BenchSocket socket, Frame f, long nanos) {
    if ("held".equals(f.type)) {
      current = f.networks == null ? List.of() : List.copyOf(f.networks);
      heard = true;
    }
  }

  List<Frame.Held> current() {
    return current;
  }

  /** Whether any {@code held} frame came: without one, "nothing held" cannot be told from "not supported". */
  boolean heard() {
    return heard;
  }
}
