package dev.backchannel.room;

import dev.backchannel.wire.TextFrame;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What one room sends to the sockets of one event loop, in the order the room sent it. A broadcast
 * to thousands of sockets is written {@link #CHUNK} sockets at a time, and the loop reads and
 * answers commands between chunks: otherwise every ack on that loop would wait behind thousands of
 * socket writes (about 15 µs each on loopback).
 */
final class Outbox {

  /** Sockets written before the loop gets to read again. */
  static final int CHUNK = 256;
  /**
   * Deliveries waiting on a loop that has fallen this far behind are written at once, without
   * yielding: the queue stays bounded and nothing is lost, only the acks wait.
   */
  static final int MAX_WAITING = 16;

  /** One frame (or one per socket, e.g. for moderators) for a group of sockets. */
  private record Delivery(Subscriber[] targets, Function<Subscriber, TextFrame> frameFor,
      BiConsumer<Subscriber, TextFrame> write) {}

  private final Context context;
  /** Touched on {@link #context} only. */
  private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
  private int next;
  private boolean draining;

  Outbox(Context context) {
    this.context = context;
  }

  /**
   * Queues a delivery from any thread: {@code frameFor} picks each socket's frame (null skips the
   * socket) and {@code write} sends it, on the sockets' own loop.
   */
  void post(Subscriber[] targets, Function<Subscriber, TextFrame> frameFor, BiConsumer<Subscriber, TextFrame> write) {
    Delivery delivery = new Delivery(targets, frameFor, write);
    context.runOnContext(v -> {
      waiting.add(delivery);
      if (!draining) {
        draining = true;
        drain();
      }
    });
  }

  private void drain() {
    int budget = waiting.size() > MAX_WAITING ? Integer.MAX_VALUE : CHUNK;
    while (budget > 0 && !waiting.isEmpty()) {
      Delivery d = waiting.peek();
      int end = (int) Math.min(d.targets.length, (long) next + budget);
      for (int i = next; i < end; i++) {
        Subscriber s = d.targets[i];
        TextFrame frame = d.frameFor.apply(s);
        if (frame != null) {
          writeSafely(s, frame, d.write);
        }
      }
      budget -= end - next;
      next = end;
      if (next == d.targets.length) {
        waiting.poll();
        next = 0;
      }
    }
    if (waiting.isEmpty()) {
      draining = false;
    } else {
      // A timer rather than runOnContext: Netty runs every queued task before it polls the sockets
      // again, but a timer only once the loop has been round (and read what arrived meanwhile).
      context.owner().setTimer(1, id -> drain());
    }
  }

  /** One socket failing (e.g. closing under our feet) must never cost the others their frame. */
  private static void writeSafely(Subscriber s, TextFrame frame, BiConsumer<Subscriber, TextFrame> write) {
    try {
      write.accept(s, frame);
    } catch (RuntimeException e) {
      s.close(RoomView.POLICY, "send failed");
    }
  }
}
