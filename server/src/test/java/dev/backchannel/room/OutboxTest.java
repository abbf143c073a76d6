package dev.backchannel.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.model.Role;
import dev.backchannel.wire.Codec;
import dev.backchannel.wire.Frames;
import dev.backchannel.wire.TextFrame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order of a room's frames per socket, and a loop that keeps answering during a large broadcast. */
class OutboxTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final Codec codec = new Codec();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A socket that writes down what it was sent. Touched on {@link #loop} only. */
  private final class Recorder implements Subscriber {
    final List<String> frames = new ArrayList<>();

    @Override
    public Context context() {
      return loop;
    }

    @Override
    public Role role() {
      return Role.PARTICIPANT;
    }

    @Override
    public String participantId() {
      return null;
    }

    @Override
    public void welcome(TextFrame frame, long seq) {
      frames.add(frame.text());
    }

    @Override
    public void send(TextFrame frame) {
      frames.add(frame.text());
    }

    @Override
    public void sendBatch(TextFrame frame, long seq) {
      frames.add(frame.text());
    }

    @Override
    public void sendLatest(TextFrame frame) {
      frames.add(frame.text());
    }

    @Override
    public void close(short code, String reason) {}
  }

  @Test
  void everySocketGetsEveryDeliveryInTheOrderItWasPosted() throws Exception {
    Outbox outbox = new Outbox(loop);
    Recorder[] crowd = crowd(3 * Outbox.CHUNK + 7);
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TextFrame frame = codec.frame(new Frames.Presence(i));
      posted.add(frame.text());
      outbox.post(crowd, s -> frame, (s, f) -> s.sendBatch(f, 0));
    }
    Recorder single = new Recorder();
    TextFrame last = codec.frame(new Frames.Presence(99));
    outbox.post(new Subscriber[] {single}, s -> last, Subscriber::send);

    await(() -> single.frames.size() == 1);
    onLoop(() -> {
      for (Recorder r : crowd) {
        assertThat(r.frames).containsExactlyElementsOf(posted);
      }
    });
  }

  @Test
  void aSocketForWhichTheFrameIsNullIsSkipped() throws Exception {
    Outbox outbox = new Outbox(loop);
    Recorder[] pair = crowd(2);
    TextFrame frame = codec.frame(new Frames.Presence(1));
    outbox.post(pair, s -> s == pair[0] ? null : frame, Subscriber::send);
    await(() -> pair[1].frames.size() == 1);
    onLoop(() -> assertThat(pair[0].frames).isEmpty());
  }

  @Test
  void theLoopRunsOtherWorkBetweenChunksOfALargeBroadcast() throws Exception {
    Outbox outbox = new Outbox(loop);
    Recorder[] crowd = crowd(20 * Outbox.CHUNK);
    TextFrame frame = codec.frame(new Frames.Presence(1));
    CompletableFuture<Integer> seenByOtherWork = new CompletableFuture<>();
    loop.runOnContext(v -> {
      outbox.post(crowd, s -> frame, Subscriber::send);
      // Queued after the broadcast, like an ack arriving during it: it must not wait for all of it.
      loop.runOnContext(w -> seenByOtherWork.complete(written(crowd)));
    });
    assertThat(seenByOtherWork.get(10, TimeUnit.SECONDS)).isLessThan(crowd.length);
    await(() -> written(crowd) == crowd.length);
  }

  private Recorder[] crowd(int n) {
    Recorder[] crowd = new Recorder[n];
    for (int i = 0; i < n; i++) {
      crowd[i] = new Recorder();
    }
    return crowd;
  }

  private static int written(Recorder[] crowd) {
    int n = 0;
    for (Recorder r : crowd) {
      n += r.frames.size();
    }
    return n;
  }

  private void onLoop(Runnable check) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        check.run();
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    done.get(10, TimeUnit.SECONDS);
  }

  private void await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CompletableFuture<Boolean> met = new CompletableFuture<>();
      loop.runOnContext(v -> met.complete(condition.getAsBoolean()));
      if (met.get(10, TimeUnit.SECONDS)) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("condition not met within 10 s");
  }
}
