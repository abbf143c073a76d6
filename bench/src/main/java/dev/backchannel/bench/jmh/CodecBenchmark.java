package dev.backchannel.bench.jmh;

import dev.backchannel.model.Author;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.wire.Codec;
import dev.backchannel.wire.Frames;
import dev.backchannel.wire.TextFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batch serialisation: {@link Codec} writing a {@code posts} frame of N posts, done once per
 * broadcast interval per room; and, for comparison, turning that text into UTF-8 bytes, which the
 * server pays per socket when it writes a String frame; plus an {@code ack} of one post (once per
 * rating).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

  @Param({"1", "10", "100"})
  public int posts;

  private final Codec codec = new Codec();
  private Frames.Posts batch;
  private Frames.Ack ack;
  private String written;

  @Setup
  public void setUp() {
    List<Post> list = new ArrayList<>();
    Instant at = Instant.parse("2025-01-01T10:00:00Z");
    for (int i = 0; i < posts; i++) {
      list.add(new Post("p" + Integer.toString(i + 1, 36), i + 1, new Author("Xk3v9QmZ0aB7cD1e", "Ada " + i, 2.25),
          "How does karma decay when nobody rates my posts for a while? (" + i + ")", null, at.plusSeconds(i),
          1.6666, 0.4012, 12 + i, PostStatus.VISIBLE, null, 0));
    }
    batch = new Frames.Posts(1_250, list);
    ack = new Frames.Ack("r1k2j3.4", list.get(0).withMine(3));
    written = codec.write(batch);
  }

  /** One batch, serialised to UTF-8 once per room per interval (what the server does). */
  @Benchmark
  public TextFrame frameBatch() {
    return codec.frame(batch);
  }

  /**
   * The same batch's text to UTF-8: what every socket's {@code writeTextMessage(String)} cost
   * before frames were written as shared bytes (the per-socket cost that change removed).
   */
  @Benchmark
  public byte[] encodeBatchUtf8() {
    return written.getBytes(StandardCharsets.UTF_8);
  }

  /** One ack with its post, serialised once per rating (independent of {@code posts}). */
  @Benchmark
  public TextFrame frameAck() {
    return codec.frame(ack);
  }
}
