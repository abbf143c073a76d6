package dev.backchannel.room;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.metrics.ServerMetrics;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.model.Role;
import dev.backchannel.scoring.NetworkRules;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.store.HeldNetwork;
import dev.backchannel.store.History;
import dev.backchannel.store.NetworkReport;
import dev.backchannel.store.PostWhy;
import dev.backchannel.store.Participant;
import dev.backchannel.store.RoomEvent;
import dev.backchannel.store.RoomEvents;
import dev.backchannel.store.Store;
import dev.backchannel.wire.Codec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * This node's rooms: a {@link RoomView} for every room that has sockets here, fed by the store's
 * events, and the command path from sockets through the per-participant limits to the store. Every
 * room's part runs on its owner loop; callers get their answers on their own context.
 */
public final class Rooms implements RoomEvents {

  /** How long a view with no socket is kept, so a room of reconnecting phones is not reloaded. */
  private static final long IDLE_VIEW_MILLIS = 30_000;
  /** How often the presence count across nodes is read for each room with sockets here. */
  private static final long PRESENCE_MILLIS = 1_000;
  /** Events held for a view that is still loading; past this it reloads instead. */
  private static final int MAX_EARLY_EVENTS = 10_000;

  /** A room's place in this node: its view once loaded, and what arrived while loading. */
  private static final class Slot {
    RoomView view;
    Future<RoomView> ready;
    List<RoomEvent> early = new ArrayList<>();
    boolean reloading;
    int admitting;
    long idleTimer = -1;
    long presenceTimer = -1;
    long sweepTimer = -1;
  }

  private final Vertx vertx;
  private final RoomLoops loops;
  private final Codec codec;
  private final Clock clock;
  private final ViewSettings settings;
  private final ServerMetrics metrics;
  private final NetworkRules networks;
  private final NetworkReport report;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private Store store;

  public Rooms(Vertx vertx, RoomLoops loops, Codec codec, Clock clock, ViewSettings settings, ScoringRules rules,
      ServerMetrics metrics) {
    this.vertx = vertx;
    this.networks = rules.networks();
    this.report = new NetworkReport(rules);
    this.metrics = metrics;
    this.loops = loops;
    this.codec = codec;
    this.clock = clock;
    this.settings = settings;
  }

  /** Connects the store whose events this node receives (the store is built with this node as its listener). */
  public void use(Store store) {
    this.store = store;
  }

  @Override
  public void onEvent(RoomEvent event) {
    Slot slot = slots.get(event.room());
    if (slot == null) {
      return;
    }
    if (slot.view == null || slot.reloading) {
      if (slot.early.size() < MAX_EARLY_EVENTS) {
        slot.early.add(event); // applied once the picture they follow is in
      }
      return;
    }
    if (slot.view.follows(event)) {
      slot.view.apply(event);
    } else {
      reload(event.room(), slot, event);
    }
  }

  /** A gap in the seqs: rebuild the view from the store, then apply what arrived meanwhile. */
  private void reload(String slug, Slot slot, RoomEvent trigger) {
    slot.reloading = true;
    slot.early = new ArrayList<>(List.of(trigger));
    store.load(slug).onComplete(state -> {
      slot.reloading = false;
      List<RoomEvent> meanwhile = slot.early;
      slot.early = new ArrayList<>();
      if (state.succeeded()) {
        slot.view.rebuild(state.result());
        meanwhile.forEach(this::onEvent);
      }
    });
  }

  /**
   * Admits a socket to a room: loads the view if needed, then sends the {@code welcome} (resumed
   * from {@code since} when history allows, else a snapshot). {@code you} is null for staff.
   */
  public Future<Void> attach(Subscriber s, String slug, Participant you, long since) {
    return loops.call(slug, () -> {
      Slot slot = slots.computeIfAbsent(slug, k -> new Slot());
      slot.admitting++;
      cancelIdle(slot);
      return view(slug, slot)
          .compose(view -> {
            Future<History> history = since >= 0 ? store.history(slug, since) : Future.succeededFuture(null);
            Future<Map<String, Integer>> mine = you != null ? store.ratingsOf(slug, you.id()) : Future.succeededFuture(Map.of());
            return Future.all(history, mine).map(all -> {
              view.admit(s, you, history.result(), mine.result());
              return (Void) null;
            });
          })
          .eventually(() -> {
            slot.admitting--;
            idleCheck(slug, slot);
            return Future.succeededFuture();
          });
    });
  }

  /** Sends a socket that skipped batches every change since {@code since}, the seq of its last batch. */
  public Future<Void> catchUp(Subscriber s, String slug, long since) {
    return loops.call(slug, () -> {
      RoomView view = viewOf(slug);
      if (view == null) {
        return Future.succeededFuture();
      }
      return store.history(slug, since).map(history -> {
        view.catchUp(s, history);
        return (Void) null;
      });
    });
  }

  /** Lets a socket go. */
  public Future<Void> detach(Subscriber s, String slug) {
    return loops.call(slug, () -> {
      Slot slot = slots.get(slug);
      if (slot != null && slot.view != null) {
        slot.view.remove(s);
        idleCheck(slug, slot);
      }
      return Future.succeededFuture();
    });
  }

  /** Rooms with a view on this node. */
  public int count() {
    return slots.size();
  }

  /**
   * Distinct participants with an open socket in the room on any node: the view's count when this
   * node has one, else the store's.
   */
  public Future<Integer> online(String slug) {
    return loops.call(slug, () -> {
      RoomView view = viewOf(slug);
      return view != null ? Future.succeededFuture(view.online()) : store.online(slug, 0);
    });
  }

  public Future<Post> post(String slug, String participantId, String cid, String text, String replyTo) {
    return withinAllowance(slug, participantId, cid, view -> view.allowPost(participantId),
        "too many posts; wait a little", () -> store.post(slug, participantId, cid, text, replyTo));
  }

  public Future<Post> rate(String slug, String participantId, String cid, String postId, Integer value) {
    return withinAllowance(slug, participantId, cid, view -> view.allowRating(participantId),
        "too many ratings; slow down", () -> store.rate(slug, participantId, cid, postId, value));
  }

  /**
   * Runs a participant's command if their allowance has room; over it, a retry of a command already
   * applied still gets its answer, anything else is {@code rate_limited}.
   */
  private Future<Post> withinAllowance(String slug, String participantId, String cid, Predicate<RoomView> allowance,
      String refusal, Supplier<Future<Post>> command) {
    return loops.call(slug, () -> {
      RoomView view = viewOf(slug);
      if (view == null || allowance.test(view)) {
        return command.get();
      }
      return store.answered(slug, participantId, cid).compose(earlier -> earlier != null
          ? Future.succeededFuture(earlier)
          : Future.failedFuture(ErrorCode.RATE_LIMITED.failure(refusal)));
    });
  }

  /** Marks a post; the store refuses speakers who would hide a post or bring back a hidden one. */
  public Future<Post> mark(String slug, Role role, String postId, Mark mark) {
    return store.mark(slug, postId, mark, role == Role.MODERATOR);
  }

  /** The room's held (post, network) pairs as moderators see them, most held first. */
  public Future<List<HeldNetwork>> held(String slug) {
    return store.heldEvidence(slug).map(posts -> {
      List<HeldNetwork> out = new ArrayList<>();
      posts.forEach(e -> out.addAll(report.held(e)));
      out.sort(Comparator.comparingDouble(HeldNetwork::hold).thenComparing(HeldNetwork::post)
          .thenComparing(HeldNetwork::network));
      return out;
    });
  }

  /** "Why is this post here?" for staff. */
  public Future<PostWhy> why(String slug, String postId) {
    return store.evidence(slug, postId).map(report::why);
  }

  private RoomView viewOf(String slug) {
    Slot slot = slots.get(slug);
    return slot == null ? null : slot.view;
  }

  private Future<RoomView> view(String slug, Slot slot) {
    if (slot.ready == null) {
      // Follow first, then load: every event after the loaded seq is then sure to arrive.
      slot.ready = store.follow(slug).compose(v -> store.load(slug)).map(state -> {
        RoomView view = new RoomView(slug, vertx, codec, clock, settings, state,
            (participant, online) -> store.present(slug, participant, online), () -> held(slug), metrics);
        slot.presenceTimer = vertx.setPeriodic(PRESENCE_MILLIS, id -> {
          int local = view.localOnline();
          store.online(slug, local).onSuccess(everywhere -> view.counted(everywhere, local));
        });
        if (networks.enabled()) {
          // Every node with sockets in the room asks; the store sweeps only when something was rated since.
          slot.sweepTimer = vertx.setPeriodic(networks.sweepSeconds() * 1000L, id -> store.sweep(slug));
        }
        List<RoomEvent> early = slot.early;
        slot.early = new ArrayList<>();
        slot.view = view;
        early.forEach(this::onEvent);
        return view;
      });
      slot.ready.onFailure(e -> {
        slots.remove(slug, slot);
        store.unfollow(slug);
      });
    }
    return slot.ready;
  }

  private void idleCheck(String slug, Slot slot) {
    boolean idle = slot.admitting == 0 && (slot.view == null || !slot.view.hasSubscribers());
    if (idle && slot.idleTimer < 0 && slot.view != null) {
      slot.idleTimer = vertx.setTimer(IDLE_VIEW_MILLIS, id -> {
        slot.idleTimer = -1;
        if (slot.admitting == 0 && !slot.view.hasSubscribers()) {
          slot.view.dispose();
          vertx.cancelTimer(slot.presenceTimer);
          vertx.cancelTimer(slot.sweepTimer);
          slots.remove(slug, slot);
          store.unfollow(slug);
        }
      });
    }
  }

  private void cancelIdle(Slot slot) {
    if (slot.idleTimer >= 0) {
      vertx.cancelTimer(slot.idleTimer);
      slot.idleTimer = -1;
    }
  }
}
