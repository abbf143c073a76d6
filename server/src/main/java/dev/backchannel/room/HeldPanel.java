package dev.backchannel.room;

import dev.backchannel.model.Post;
import dev.backchannel.store.HeldNetwork;
import dev.backchannel.wire.Codec;
import dev.backchannel.wire.Frames;
import dev.backchannel.wire.TextFrame;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The moderators' list of held (post, network) pairs for one room view: read again from the store
 * when a change touches a post with held ratings (at most once per interval, and only while
 * moderators watch), sent to them when it differs. Lives on the room's owner loop.
 */
final class HeldPanel {

  private final Vertx vertx;
  private final Codec codec;
  private final long intervalMs;
  private final Supplier<Future<List<HeldNetwork>>> source;
  private final Consumer<TextFrame> toModerators;

  private List<HeldNetwork> shown = List.of();
  private Set<String> listed = Set.of();
  private TextFrame frame;
  /** Something changed that the list may show; read again once moderators watch. */
  private boolean stale = true;
  private long timer = -1;
  private boolean reading;

  HeldPanel(Vertx vertx, Codec codec, long intervalMs, Supplier<Future<List<HeldNetwork>>> source,
      Consumer<TextFrame> toModerators) {
    this.vertx = vertx;
    this.codec = codec;
    this.intervalMs = intervalMs;
    this.source = source;
    this.toModerators = toModerators;
  }

  /** A post changed: the list needs reading again when the post had or has held ratings, or is listed. */
  void changed(Post before, Post after, boolean watched) {
    if (after.held() > 0 || (before != null && before.held() > 0) || listed.contains(after.id())) {
      stale(watched);
    }
  }

  /** Participants were banned, or moderators decided: the list may have changed anywhere. */
  void stale(boolean watched) {
    stale = true;
    if (watched && timer < 0) {
      timer = vertx.setTimer(intervalMs, id -> {
        timer = -1;
        read();
      });
    }
  }

  /** The list as last sent, for a moderator who just arrived (null before the first read). */
  TextFrame frame() {
    return frame;
  }

  void dispose() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void read() {
    if (reading || !stale) {
      return;
    }
    reading = true;
    stale = false;
    source.get().onComplete(done -> {
      reading = false;
      if (done.failed()) {
        stale(true); // the store is away for now: try again after the interval
        return;
      }
      List<HeldNetwork> now = done.result();
      if (!now.equals(shown) || frame == null) {
        shown = now;
        Set<String> posts = new HashSet<>();
        now.forEach(h -> posts.add(h.post()));
        listed = posts;
        frame = codec.frame(new Frames.Held(now));
        toModerators.accept(frame);
      }
      if (stale) {
        stale(true);
      }
    });
  }
}
