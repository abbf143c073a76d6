package dev.backchannel.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The generator's event loops. Each lane owns the sockets it opened and its own {@link Metrics},
 * and all their callbacks run on its loop, so per-socket state needs no synchronisation.
 */
final class Lanes {

  /** One event-loop context of the generator. */
  static final class Lane {
    final int index;
    final Context context;
    final Metrics metrics = new Metrics();
    final List<BenchSocket> sockets = new ArrayList<>();

    Lane(int index, Context context) {
      this.index = index;
      this.context = context;
    }

    /** Runs {@code work} on this lane and completes with its answer. */
    <T> Future<T> call(Callable<Future<T>> work) {
      Promise<T> done = Promise.promise();
      context.runOnContext(v -> {
        try {
          work.call().onComplete(done);
        } catch (Exception e) {
          done.fail(e);
        }
      });
      return done.future();
    }

    Vertx vertx() {
      return context.owner();
    }
  }

  private final List<Lane> lanes;

  private Lanes(List<Lane> lanes) {
    this.lanes = List.copyOf(lanes);
  }

  /** Deploys one anchor verticle per lane: Vert.x gives each its own event-loop context. */
  static Lanes start(Vertx vertx, int count) {
    List<Anchor> anchors = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Anchor a = new Anchor();
      anchors.add(a);
      deployed.add(vertx.deployVerticle(a));
    }
    Run.await(Future.all(deployed), 30);
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lanes.add(new Lane(i, anchors.get(i).context()));
    }
    return new Lanes(lanes);
  }

  List<Lane> all() {
    return lanes;
  }

  Lane get(int i) {
    return lanes.get(Math.floorMod(i, lanes.size()));
  }

  int size() {
    return lanes.size();
  }

  /** Every lane's metrics added up; read on each lane so the numbers are complete and visible. */
  Metrics merged() {
    Metrics total = new Metrics();
    for (Lane lane : lanes) {
      Metrics copy = Run.await(lane.call(() -> {
        Metrics m = new Metrics();
        m.addAll(lane.metrics);
        return Future.succeededFuture(m);
      }), 30);
      total.addAll(copy);
    }
    return total;
  }

  /** Every socket of every lane. */
  List<BenchSocket> sockets() {
    List<BenchSocket> all = new ArrayList<>();
    for (Lane lane : lanes) {
      all.addAll(Run.await(lane.call(() -> Future.succeededFuture(List.copyOf(lane.sockets))), 30));
    }
    return all;
  }

  /** A verticle that does nothing but give a lane its event-loop context. */
  private static final class Anchor extends VerticleBase {
    Context context() {
      return context;
    }
  }
}
