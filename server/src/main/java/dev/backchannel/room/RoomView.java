package dev.backchannel.room;

import dev.backchannel.limit.TokenBucket;
import dev.backchannel.metrics.ServerMetrics;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.model.RankedPosts;
import dev.backchannel.model.Role;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.store.HeldNetwork;
import dev.backchannel.store.History;
import dev.backchannel.store.Participant;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.RoomEvent;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.RoomState;
import dev.backchannel.wire.Codec;
import dev.backchannel.wire.Frames;
import dev.backchannel.wire.TextFrame;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One room as this node shows it: the posts and their orderings, fed by room events in seq order,
 * and the sockets watching it. It coalesces changes into at most one {@code posts} frame per
 * broadcast interval (serialised once for the audience, once more for moderators when needed) and
 * one {@code dashboard} frame per dashboard interval for staff. Lives on the room's owner loop only.
 */
final class RoomView {

  /** Close codes the view uses on sockets. */
  static final short BANNED = 4403;
  /** Close codes of PROTOCOL.md: a key that was replaced, a room that was deleted. */
  static final short KEY_REPLACED = 4401;
  static final short DELETED = 4404;
  static final short POLICY = 1008;

  private static final int DASHBOARD_SIZE = 10;
  private static final Predicate<Post> ON_STAGE =
      p -> p.status() == PostStatus.VISIBLE || p.status() == PostStatus.HIGHLIGHTED;

  private final String slug;
  private final Vertx vertx;
  private final Codec codec;
  private final Clock clock;
  private final ViewSettings settings;
  private final Presence presence;
  private final ServerMetrics metrics;

  /** Where the view reports participants coming online here and leaving (for a count across nodes). */
  interface Presence {
    void changed(String participantId, boolean online);
  }

  private RoomInfo room;
  private long seq;
  private final Map<String, Post> posts = new HashMap<>();
  /** Every post, newest first: the moderator's snapshot. */
  private final RankedPosts everything = new RankedPosts(PostOrder.NEW.comparator(), p -> true);
  /** Posts the audience sees, newest first: snapshots and the dashboard's recent column. */
  private final RankedPosts recent = new RankedPosts(PostOrder.NEW.comparator(), p -> !p.hidden());
  private final RankedPosts top = new RankedPosts(PostOrder.TOP.comparator(), ON_STAGE);
  private final RankedPosts divergent;
  private int visiblePosts;

  private final Map<Context, Set<Subscriber>> audience = new HashMap<>();
  private final Map<Context, Set<Subscriber>> staff = new HashMap<>();
  private final Map<String, ArrayDeque<Subscriber>> byParticipant = new HashMap<>();
  /** Where frames for each event loop's sockets wait their turn; one per loop, kept with the view. */
  private final Map<Context, Outbox> outboxes = new HashMap<>();
  private int moderators;
  private int subscribers;

  private final Map<String, Post> pending = new LinkedHashMap<>();
  /** Sockets let in since the last flush, with the seq their welcome showed. */
  private Map<Subscriber, Long> admittedSinceFlush = new HashMap<>();
  private boolean presenceChanged;
  /** The store's count across nodes and this node's own count when it was read. */
  private int onlineEverywhere;
  private int localWhenCounted;
  private int presenceSent = -1;
  private long flushTimer = -1;
  private long lastFlushMillis;

  private final Map<String, ParticipantLimits> limits = new HashMap<>();
  private final Pulse pulse = new Pulse();
  private final HeldPanel heldPanel;
  private boolean dashboardChanged;
  private Frames.Pulse pulseSent;
  private long dashboardTimer = -1;

  RoomView(String slug, Vertx vertx, Codec codec, Clock clock, ViewSettings settings, RoomState state,
      Presence presence, Supplier<Future<List<HeldNetwork>>> held, ServerMetrics metrics) {
    this.slug = slug;
    this.presence = presence;
    this.metrics = metrics;
    this.vertx = vertx;
    this.codec = codec;
    this.clock = clock;
    this.settings = settings;
    this.divergent = new RankedPosts(PostOrder.DIVERGENT.comparator(),
        ON_STAGE.and(p -> p.ratings() >= settings.divergentMinRatings()));
    this.heldPanel = new HeldPanel(vertx, codec, settings.dashboardIntervalMs(), held, this::toModerators);
    this.room = state.room();
    this.seq = state.seq();
    state.posts().forEach(p -> replace(p));
  }

  long seq() {
    return seq;
  }

  /** Whether {@code event} is the next one; a gap means this view must be rebuilt from the store. */
  boolean follows(RoomEvent event) {
    return event.seq() <= seq + 1;
  }

  /** Applies one room event in seq order; events already seen are ignored. */
  void apply(RoomEvent event) {
    if (event.seq() <= seq) {
      return;
    }
    seq = event.seq();
    for (Post p : event.posts()) {
      heldPanel.changed(posts.get(p.id()), p, moderators > 0);
      replace(p);
      pending.remove(p.id()); // a batch lists posts in the order they last changed
      pending.put(p.id(), p);
    }
    if (event.rating() != null) {
      pulse.record(clock.millis() / 1000, event.rating().value(), event.rating().weightUnits());
    }
    dashboardChanged = true;
    for (String banned : event.banned()) {
      closeParticipant(banned, BANNED, "banned");
    }
    if (!event.banned().isEmpty()) {
      heldPanel.stale(moderators > 0);
    }
    if (event.closed()) {
      room = room.withStatus(RoomStatus.CLOSED);
      flush();
      fanout(everyone(), codec.frame(new Frames.RoomChange(RoomStatus.CLOSED)));
    } else if (event.deleted()) {
      closeWhere(everyone(), s -> true, DELETED, "room deleted");
    } else if (!event.revoked().isEmpty()) {
      closeWhere(List.of(staff), s -> event.revoked().contains(s.role().wire()), KEY_REPLACED, "key replaced");
    } else if (!event.described().isEmpty()) {
      room = room.described(event.described());
      fanout(everyone(), codec.frame(new Frames.RoomDescribed(event.described())));
    } else {
      scheduleFlush();
    }
  }

  /** Replaces the whole picture after a gap, sending every post that changed meanwhile. */
  void rebuild(RoomState state) {
    room = state.room();
    seq = Math.max(seq, state.seq());
    for (Post p : state.posts()) {
      if (!p.equals(posts.get(p.id()))) {
        replace(p);
        pending.remove(p.id()); // a batch lists posts in the order they last changed
        pending.put(p.id(), p);
      }
    }
    dashboardChanged = true;
    scheduleFlush();
  }

  /**
   * Lets a socket in: sends its {@code welcome} (a resume or a fresh snapshot) and from then on
   * every change. {@code you} is null for staff; {@code history} is null when the client gave no since.
   */
  void admit(Subscriber s, Participant you, History history, Map<String, Integer> mine) {
    boolean resumed = history != null && history.resumed();
    List<Post> snapshot = resumed ? List.of() : snapshotFor(s.role(), mine);
    Frames.You me = you == null ? null : new Frames.You(you.id(), you.nick(), you.karma());
    add(s);
    admittedSinceFlush.put(s, seq);
    TextFrame welcome = codec.frame(new Frames.Welcome(s.role().wire(), wireRoom(), me, seq, resumed, snapshot));
    long at = seq;
    deliver(s, welcome, (x, frame) -> x.welcome(frame, at));
    if (resumed) {
      sendMissed(s, history);
    }
    if (s.role().staff()) {
      deliver(s, dashboardFrame(pulseNow()), Subscriber::send);
      startDashboard();
    }
    if (s.role() == Role.MODERATOR) {
      TextFrame held = heldPanel.frame();
      if (held != null) {
        deliver(s, held, Subscriber::send);
      }
      heldPanel.stale(true);
    }
  }

  /** The held pairs' list, to every moderator socket: each frame holds the whole list. */
  private void toModerators(TextFrame frame) {
    fanout(List.of(staff), s -> s.role() == Role.MODERATOR ? frame : null, Subscriber::sendLatest);
  }

  /**
   * Catches up a socket that skipped batches while it was not keeping up: one {@code posts} frame
   * with the current state of every post changed since; when that history is gone, the socket is
   * closed so the client resumes (and gets a snapshot).
   */
  void catchUp(Subscriber s, History history) {
    Set<Subscriber> group = (s.role().staff() ? staff : audience).get(s.context());
    if (group == null || !group.contains(s)) {
      return;
    }
    if (history.resumed()) {
      sendMissed(s, history);
    } else {
      remove(s);
      closeOn(s, POLICY, "fell too far behind; reconnect with since");
    }
  }

  /** The current state of every post the events touched, as one frame. */
  private void sendMissed(Subscriber s, History history) {
    Map<String, Post> missed = new LinkedHashMap<>();
    history.events().forEach(e -> e.posts().forEach(p -> missed.put(p.id(), posts.get(p.id()))));
    if (!missed.isEmpty()) {
      List<Post> batch = new ArrayList<>(missed.size());
      missed.values().forEach(p -> batch.add(s.role() == Role.MODERATOR ? p : p.redacted()));
      deliver(s, codec.frame(new Frames.Posts(seq, batch)), Subscriber::send);
    }
  }

  boolean hasSubscribers() {
    return subscribers > 0;
  }

  /** Lets a socket go. */
  void remove(Subscriber s) {
    Set<Subscriber> group = (s.role().staff() ? staff : audience).get(s.context());
    if (group == null || !group.remove(s)) {
      return;
    }
    if (group.isEmpty()) {
      (s.role().staff() ? staff : audience).remove(s.context());
    }
    subscribers--;
    if (s.role() == Role.MODERATOR) {
      moderators--;
    }
    if (s.participantId() != null) {
      ArrayDeque<Subscriber> own = byParticipant.get(s.participantId());
      own.remove(s);
      if (own.isEmpty()) {
        byParticipant.remove(s.participantId());
        presence.changed(s.participantId(), false);
        presenceChanged();
      }
    }
    if (staff.isEmpty() && dashboardTimer >= 0) {
      vertx.cancelTimer(dashboardTimer);
      dashboardTimer = -1;
    }
  }

  /** Takes a post from the participant's allowance; false when they are over the limit. */
  boolean allowPost(String participantId) {
    return limitsOf(participantId).posts().tryTake(System.nanoTime());
  }

  /** Takes a rating from the participant's allowance; false when they are over the limit. */
  boolean allowRating(String participantId) {
    return limitsOf(participantId).ratings().tryTake(System.nanoTime());
  }

  /** The current state of a post, or null. */
  Post post(String postId) {
    return posts.get(postId);
  }

  private ParticipantLimits limitsOf(String participantId) {
    return limits.computeIfAbsent(participantId, id -> {
      long now = System.nanoTime();
      return new ParticipantLimits(
          new TokenBucket(settings.postsPerWindow(), (double) settings.postsPerWindow() / settings.postWindowSeconds(), now),
          new TokenBucket(settings.ratingBurst(), settings.ratingsPerSecond(), now));
    });
  }

  /** A participant's allowances; kept as long as the view, so reconnecting does not refill them. */
  private record ParticipantLimits(TokenBucket posts, TokenBucket ratings) {}

  /**
   * Participants online on any node: the store's last count, adjusted at once for what changed
   * here since (for a single node the two counts are the same and this is exact).
   */
  int online() {
    return onlineEverywhere + byParticipant.size() - localWhenCounted;
  }

  int localOnline() {
    return byParticipant.size();
  }

  /** The store's count across nodes, read when this node had {@code local} participants online. */
  void counted(int everywhere, int local) {
    int before = online();
    onlineEverywhere = everywhere;
    localWhenCounted = local;
    if (online() != before) {
      presenceChanged();
    }
  }

  Frames.Room wireRoom() {
    return new Frames.Room(room.slug(), room.hashtag(), room.title(), room.status(), room.settings().language(),
        room.settings().access(), online(), visiblePosts, null);
  }

  RoomStatus status() {
    return room.status();
  }

  /** Stops the view's timers; it gets no more events. */
  void dispose() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
    }
    if (dashboardTimer >= 0) {
      vertx.cancelTimer(dashboardTimer);
    }
    heldPanel.dispose();
  }

  private void add(Subscriber s) {
    (s.role().staff() ? staff : audience).computeIfAbsent(s.context(), c -> new LinkedHashSet<>()).add(s);
    subscribers++;
    if (s.role() == Role.MODERATOR) {
      moderators++;
    }
    if (s.participantId() != null) {
      ArrayDeque<Subscriber> own = byParticipant.computeIfAbsent(s.participantId(), id -> new ArrayDeque<>());
      own.addLast(s);
      if (own.size() == 1) {
        presence.changed(s.participantId(), true);
        presenceChanged();
      }
      if (own.size() > settings.socketsPerParticipant()) {
        Subscriber oldest = own.peekFirst();
        remove(oldest);
        closeOn(oldest, POLICY, "too many sockets for one participant");
      }
    }
  }

  private List<Post> snapshotFor(Role role, Map<String, Integer> mine) {
    List<Post> newest = (role == Role.MODERATOR ? everything : recent).first(settings.snapshotLimit());
    if (mine.isEmpty()) {
      return newest;
    }
    List<Post> out = new ArrayList<>(newest.size());
    newest.forEach(p -> out.add(mine.containsKey(p.id()) ? p.withMine(mine.get(p.id())) : p));
    return out;
  }

  private void replace(Post p) {
    Post before = posts.put(p.id(), p);
    everything.replace(before, p);
    recent.replace(before, p);
    top.replace(before, p);
    divergent.replace(before, p);
    boolean wasVisible = before != null && !before.hidden();
    if (wasVisible != !p.hidden()) {
      visiblePosts += p.hidden() ? -1 : 1;
    }
  }

  private void presenceChanged() {
    presenceChanged = true;
    dashboardChanged = true;
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (flushTimer >= 0) {
      return;
    }
    long wait = Math.max(1, lastFlushMillis + settings.broadcastIntervalMs() - clock.millis());
    flushTimer = vertx.setTimer(wait, id -> {
      flushTimer = -1;
      flush();
    });
  }

  /** Sends what changed since the last flush: one frame for the audience, one for moderators if needed. */
  private void flush() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    lastFlushMillis = clock.millis();
    if (!pending.isEmpty()) {
      List<Post> batch = new ArrayList<>(pending.values());
      pending.clear();
      boolean anyHidden = batch.stream().anyMatch(Post::hidden);
      TextFrame redacted = codec.frame(new Frames.Posts(seq, anyHidden ? batch.stream().map(Post::redacted).toList() : batch));
      TextFrame full = anyHidden && moderators > 0 ? codec.frame(new Frames.Posts(seq, batch)) : redacted;
      // A socket admitted at this very seq already has every post of the batch from its welcome.
      Map<Subscriber, Long> fresh = admittedSinceFlush;
      long batchSeq = seq;
      metrics.broadcast(batch.size(), subscribers);
      fanout(everyone(), s -> fresh.getOrDefault(s, -1L) == batchSeq ? null
          : s.role() == Role.MODERATOR ? full : redacted, (s, frame) -> s.sendBatch(frame, batchSeq));
    }
    admittedSinceFlush = new HashMap<>();
    if (presenceChanged) {
      presenceChanged = false;
      if (online() != presenceSent) {
        presenceSent = online();
        fanoutLatest(everyone(), codec.frame(new Frames.Presence(presenceSent)));
      }
    }
  }

  private void startDashboard() {
    if (dashboardTimer < 0) {
      dashboardTimer = vertx.setPeriodic(settings.dashboardIntervalMs(), id -> dashboardTick());
    }
  }

  private void dashboardTick() {
    Frames.Pulse now = pulseNow();
    if (dashboardChanged || !now.equals(pulseSent)) {
      fanoutLatest(List.of(staff), dashboardFrame(now));
    }
  }

  private TextFrame dashboardFrame(Frames.Pulse now) {
    dashboardChanged = false;
    pulseSent = now;
    List<Post> best = top.first(DASHBOARD_SIZE);
    List<Post> split = divergent.first(DASHBOARD_SIZE);
    List<Post> newest = recent.first(DASHBOARD_SIZE);
    Set<String> held = new LinkedHashSet<>();
    for (List<Post> column : List.of(best, split, newest)) {
      column.forEach(p -> {
        if (p.held() > 0) {
          held.add(p.id());
        }
      });
    }
    return codec.frame(new Frames.Dashboard(seq, best, split, newest, now, List.copyOf(held)));
  }

  private Frames.Pulse pulseNow() {
    long second = clock.millis() / 1000;
    return new Frames.Pulse(online(), visiblePosts, pulse.ratingsPerMinute(second), pulse.mood(second));
  }

  private void closeWhere(List<Map<Context, Set<Subscriber>>> groups, java.util.function.Predicate<Subscriber> which,
      short code, String reason) {
    List<Subscriber> closing = new ArrayList<>();
    groups.forEach(group -> group.values().forEach(members -> members.stream().filter(which).forEach(closing::add)));
    for (Subscriber s : closing) {
      remove(s);
      closeOn(s, code, reason);
    }
  }

  private void closeParticipant(String participantId, short code, String reason) {
    ArrayDeque<Subscriber> own = byParticipant.get(participantId);
    if (own == null) {
      return;
    }
    for (Subscriber s : List.copyOf(own)) {
      remove(s);
      closeOn(s, code, reason);
    }
  }

  private List<Map<Context, Set<Subscriber>>> everyone() {
    return List.of(audience, staff);
  }

  private void fanout(List<Map<Context, Set<Subscriber>>> groups, TextFrame frame) {
    fanout(groups, s -> frame, (s, f) -> s.send(f));
  }

  /** Presence and dashboards: each holds the whole state, so a socket that is behind may skip one. */
  private void fanoutLatest(List<Map<Context, Set<Subscriber>>> groups, TextFrame frame) {
    fanout(groups, s -> frame, Subscriber::sendLatest);
  }

  /**
   * One delivery per event loop, not per socket: the frame (already serialised; null skips the
   * socket) is written by the loop that owns each socket, in order with the room's other frames.
   */
  private void fanout(List<Map<Context, Set<Subscriber>>> groups, Function<Subscriber, TextFrame> frameFor,
      BiConsumer<Subscriber, TextFrame> write) {
    for (Map<Context, Set<Subscriber>> group : groups) {
      group.forEach((context, members) -> outbox(context).post(members.toArray(new Subscriber[0]), frameFor, write));
    }
  }

  /** One socket's frame, in order with the broadcasts its loop has waiting. */
  private void deliver(Subscriber s, TextFrame frame, BiConsumer<Subscriber, TextFrame> write) {
    outbox(s.context()).post(new Subscriber[] {s}, x -> frame, write);
  }

  private Outbox outbox(Context context) {
    return outboxes.computeIfAbsent(context, Outbox::new);
  }

  private static void closeOn(Subscriber s, short code, String reason) {
    s.context().runOnContext(v -> s.close(code, reason));
  }

}
