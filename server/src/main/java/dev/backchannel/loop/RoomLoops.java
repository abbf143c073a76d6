package dev.backchannel.loop;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The event loops that own rooms: every room is bound to one loop by its slug, and all its state
 * (store records in memory, the room view) is touched only there, so the hot path needs no locks.
 */
public final class RoomLoops {

  private final Vertx vertx;
  private final List<Context> loops;
  private final List<String> deployments;

  private RoomLoops(Vertx vertx, List<Context> loops, List<String> deployments) {
    this.vertx = vertx;
    this.loops = List.copyOf(loops);
    this.deployments = List.copyOf(deployments);
  }

  /** Starts {@code count} owner loops, each an event-loop context of its own. */
  public static Future<RoomLoops> start(Vertx vertx, int count) {
    List<Anchor> anchors = new ArrayList<>();
    List<Future<String>> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Anchor anchor = new Anchor();
      anchors.add(anchor);
      started.add(vertx.deployVerticle(anchor));
    }
    return Future.all(started).map(all -> new RoomLoops(vertx,
        anchors.stream().map(Anchor::context).toList(), all.list()));
  }

  /** Releases the loops' contexts. */
  public Future<Void> stop() {
    return Future.join(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
  }

  /** The loop that owns {@code slug}. */
  public Context owner(String slug) {
    return loops.get(Math.floorMod(slug.hashCode(), loops.size()));
  }

  /**
   * Runs {@code work} on the owner loop of {@code slug} and completes the answer on the caller's
   * context (or directly when there is none), so callers never see another loop's thread.
   */
  public <T> Future<T> call(String slug, Callable<Future<T>> work) {
    Context owner = owner(slug);
    Context caller = Vertx.currentContext();
    if (caller == owner) {
      return invoke(work);
    }
    Promise<T> answer = Promise.promise();
    owner.runOnContext(v -> invoke(work).onComplete(result -> {
      if (caller == null) {
        answer.handle(result);
      } else {
        caller.runOnContext(x -> answer.handle(result));
      }
    }));
    return answer.future();
  }

  private static <T> Future<T> invoke(Callable<Future<T>> work) {
    try {
      return work.call();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /** A verticle that does nothing but give a loop its own context. */
  private static final class Anchor extends VerticleBase {
    Context context() {
      return context;
    }
  }
}
