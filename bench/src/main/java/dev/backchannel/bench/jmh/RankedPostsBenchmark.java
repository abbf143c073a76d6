package dev.backchannel.bench.jmh;

import dev.backchannel.model.Author;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.model.RankedPosts;
import dev.backchannel.store.PostOrder;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
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
 * The room view's ordering update: a rated post's new state replaces its old one in a
 * {@link RankedPosts} ordered by score (O(log n) in the room's posts), and the dashboard's read of
 * the first ten.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RankedPostsBenchmark {

  @Param({"100", "1000", "10000"})
  public int posts;

  private final SplittableRandom random = new SplittableRandom(7);
  private RankedPosts top;
  private Post[] current;

  @Setup
  public void setUp() {
    top = new RankedPosts(PostOrder.TOP.comparator(), p -> p.status() == PostStatus.VISIBLE);
    current = new Post[posts];
    Author author = new Author("a", "Ada", 1.5);
    Instant now = Instant.parse("2025-01-01T10:00:00Z");
    for (int i = 0; i < posts; i++) {
      current[i] = new Post("p" + i, i + 1, author, "question " + i, null, now, random.nextDouble(-5, 5),
          random.nextDouble(), 10, PostStatus.VISIBLE, null, 0);
      top.replace(null, current[i]);
    }
  }

  /** One rating's effect on one ordering: the post moves to its new score. */
  @Benchmark
  public Post replace() {
    int i = random.nextInt(posts);
    Post before = current[i];
    Post after = new Post(before.id(), before.number(), before.author(), before.text(), before.replyTo(),
        before.createdAt(), random.nextDouble(-5, 5), before.divergence(), before.ratings() + 1, before.status(), null, 0);
    top.replace(before, after);
    current[i] = after;
    return after;
  }

  /** The dashboard's read: the first ten. */
  @Benchmark
  public List<Post> firstTen() {
    return top.first(10);
  }
}
