package dev.backchannel.store;

import dev.backchannel.model.Author;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.model.RankedPosts;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Tally;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One room of the memory engine. Not thread-safe by design: it is touched only on the room's owner
 * loop, which makes every command atomic without locks.
 */
final class MemoryRoom {

  /** A participant's record: karma as the exact sum of the {@code w·r} terms on their posts. */
  private static final class Member {
    final String id;
    final String nick;
    long karmaUnits;
    boolean banned;
    /** This participant's counted ratings, by post id. */
    final Map<String, Given> ratings = new HashMap<>();

    Member(String id, String nick) {
      this.id = id;
      this.nick = nick;
    }
  }

  /** One counted rating, with the weight it was given with. */
  private record Given(int value, long weight, Instant at) {}

  private static final class Entry {
    final String authorId;
    final long priorUnits;
    Tally tally = Tally.EMPTY;
    Mark mark = Mark.VISIBLE;
    final Map<String, Given> ratings = new HashMap<>();
    Post post;

    Entry(String authorId, long priorUnits) {
      this.authorId = authorId;
      this.priorUnits = priorUnits;
    }
  }

  private final String slug;
  private final String hashtag;
  private final String title;
  private final Instant createdAt;
  private final byte[] speakerKeyHash;
  private final byte[] moderatorKeyHash;
  private final ScoringRules rules;
  private final Clock clock;
  private final RoomEvents events;
  private final Ids ids;
  private final int historyLimit;

  private RoomStatus status = RoomStatus.OPEN;
  private long seq;
  private long historyFloor;
  private final ArrayDeque<RoomEvent> history = new ArrayDeque<>();
  private final Map<String, Member> members = new HashMap<>();
  private final Map<String, Entry> posts = new LinkedHashMap<>();
  private final Map<PostOrder, RankedPosts> listings = new EnumMap<>(PostOrder.class);
  private final AckCache acks;
  private String highlighted;
  private int visiblePosts;

  MemoryRoom(NewRoom room, MemoryStore.Settings settings, RoomEvents events) {
    this.slug = room.slug();
    this.hashtag = room.hashtag();
    this.title = room.title();
    this.speakerKeyHash = room.speakerKeyHash().clone();
    this.moderatorKeyHash = room.moderatorKeyHash().clone();
    this.rules = settings.rules();
    this.clock = settings.clock();
    this.ids = settings.ids();
    this.historyLimit = settings.historyLimit();
    this.acks = new AckCache(settings.ackRetention());
    this.events = events;
    this.createdAt = clock.instant();
    for (PostOrder order : PostOrder.values()) {
      listings.put(order, new RankedPosts(order.comparator(), p -> !p.hidden() && (order != PostOrder.DIVERGENT
          || p.ratings() >= rules.divergentMinRatings())));
    }
  }

  RoomInfo info() {
    return new RoomInfo(slug, hashtag, title, status, createdAt, speakerKeyHash.clone(), moderatorKeyHash.clone(), visiblePosts);
  }

  Participant join(String nick) {
    Member m = new Member(ids.participant(), nick);
    members.put(m.id, m);
    return participant(m);
  }

  Participant participant(String participantId) {
    return participant(member(participantId));
  }

  Post post(String participantId, String cid, String text, String replyTo) {
    Post earlier = acks.find(participantId, cid);
    if (earlier != null) {
      return earlier;
    }
    Member author = activeMember(participantId);
    requireOpen();
    if (replyTo != null) {
      Entry parent = posts.get(replyTo);
      if (parent == null || parent.mark == Mark.HIDDEN) {
        throw ErrorCode.NOT_FOUND.failure("replyTo names no post of this room");
      }
    }
    Entry entry = new Entry(author.id, rules.priorUnits(rules.karma(author.karmaUnits)));
    String id = ids.post(posts.size() + 1);
    entry.post = render(id, posts.size() + 1L, entry, text, replyTo, clock.instant());
    posts.put(id, entry);
    publish(List.of(changed(null, entry)), null);
    acks.remember(participantId, cid, entry.post, clock.instant());
    return entry.post;
  }

  Post answered(String participantId, String cid) {
    return acks.find(participantId, cid);
  }

  Post rate(String participantId, String cid, String postId, Integer value) {
    Post earlier = acks.find(participantId, cid);
    if (earlier != null) {
      return earlier;
    }
    Member rater = activeMember(participantId);
    requireOpen();
    Entry entry = posts.get(postId);
    if (entry == null || entry.mark == Mark.HIDDEN) {
      throw ErrorCode.NOT_FOUND.failure("no such post");
    }
    if (entry.authorId.equals(participantId)) {
      throw ErrorCode.FORBIDDEN.failure("you cannot rate your own post");
    }
    Given old = entry.ratings.get(participantId);
    Integer oldValue = old == null ? null : old.value();
    if (!Objects.equals(oldValue, value)) {
      Given now = value == null ? null : new Given(value, rules.weightUnits(rules.karma(rater.karmaUnits)), clock.instant());
      Post previous = entry.post;
      count(entry, rater, old, now);
      publish(List.of(changed(previous, entry)), now == null ? null : new RoomEvent.RatingGiven(now.value(), now.weight()));
    }
    Post answer = entry.post.withMine(value);
    acks.remember(participantId, cid, answer, clock.instant());
    return answer;
  }

  Post mark(String postId, Mark mark, boolean moderator) {
    Entry entry = posts.get(postId);
    if (entry == null) {
      throw ErrorCode.NOT_FOUND.failure("no such post");
    }
    if (!moderator && (mark == Mark.HIDDEN || entry.mark == Mark.HIDDEN)) {
      throw ErrorCode.FORBIDDEN.failure("only moderators hide and unhide posts");
    }
    if (entry.mark == mark) {
      return entry.post;
    }
    List<Post> touched = new ArrayList<>(2);
    if (mark == Mark.HIGHLIGHTED && highlighted != null) {
      Entry previous = posts.get(highlighted);
      Post before = previous.post;
      previous.mark = Mark.VISIBLE;
      touched.add(changed(before, previous));
    }
    Post before = entry.post;
    if (entry.mark == Mark.HIGHLIGHTED) {
      highlighted = null;
    }
    entry.mark = mark;
    if (mark == Mark.HIGHLIGHTED) {
      highlighted = postId;
    }
    touched.add(changed(before, entry));
    publish(touched, null);
    return entry.post;
  }

  void ban(String participantId) {
    Member banned = member(participantId);
    if (banned.banned) {
      return;
    }
    banned.banned = true;
    // Two passes: every rating leaves first, then posts are rendered, so each shows its author's
    // karma after the whole ban rather than a state part-way through it.
    Map<Entry, Post> before = new LinkedHashMap<>();
    for (Map.Entry<String, Given> r : List.copyOf(banned.ratings.entrySet())) {
      Entry entry = posts.get(r.getKey());
      before.put(entry, entry.post);
      count(entry, banned, r.getValue(), null);
    }
    List<Post> touched = new ArrayList<>(before.size());
    before.forEach((entry, previous) -> touched.add(changed(previous, entry)));
    publish(new RoomEvent(slug, seq + 1, touched, false, participantId, null));
  }

  void close() {
    if (status == RoomStatus.CLOSED) {
      return;
    }
    status = RoomStatus.CLOSED;
    publish(new RoomEvent(slug, seq + 1, List.of(), true, null, null));
  }

  RoomState state() {
    List<Post> all = new ArrayList<>(posts.size());
    posts.values().forEach(e -> all.add(e.post));
    return new RoomState(info(), seq, all);
  }

  History history(long since) {
    if (!ResumePoint.resumable(since, historyFloor, seq)) {
      return new History(false, seq, List.of());
    }
    List<RoomEvent> after = new ArrayList<>();
    for (RoomEvent e : history) {
      if (e.seq() > since) {
        after.add(e);
      }
    }
    return new History(true, seq, after);
  }

  Map<String, Integer> ratingsOf(String participantId) {
    Map<String, Integer> out = new HashMap<>();
    member(participantId).ratings.forEach((post, given) -> out.put(post, given.value()));
    return out;
  }

  List<Post> list(PostOrder order, int limit) {
    return listings.get(order).first(limit);
  }

  RoomExport export() {
    List<Post> all = new ArrayList<>(posts.size());
    List<RoomExport.ExportedRating> ratings = new ArrayList<>();
    posts.forEach((id, e) -> {
      all.add(e.post);
      e.ratings.forEach((rater, g) -> ratings.add(
          new RoomExport.ExportedRating(id, rater, g.value(), (double) g.weight() / ScoringRules.UNITS, g.at())));
    });
    List<Participant> people = members.values().stream().map(this::participant).toList();
    return new RoomExport(info(), all, ratings, people);
  }

  /** Replaces {@code rater}'s rating {@code old} of {@code entry} with {@code now} (either may be null). */
  private void count(Entry entry, Member rater, Given old, Given now) {
    Tally tally = entry.tally;
    long karmaDelta = 0;
    if (old != null) {
      tally = tally.minus(old.weight(), old.value());
      karmaDelta -= old.weight() * old.value();
      entry.ratings.remove(rater.id);
      rater.ratings.remove(entry.post.id());
    }
    if (now != null) {
      tally = tally.plus(now.weight(), now.value());
      karmaDelta += now.weight() * now.value();
      entry.ratings.put(rater.id, now);
      rater.ratings.put(entry.post.id(), now);
    }
    entry.tally = tally;
    members.get(entry.authorId).karmaUnits += karmaDelta;
  }

  /** Re-renders an entry after a change and keeps the listings in step; returns the new state. */
  private Post changed(Post before, Entry entry) {
    Post current = before == null ? entry.post
        : render(before.id(), before.number(), entry, before.text(), before.replyTo(), before.createdAt());
    entry.post = current;
    boolean wasVisible = before != null && !before.hidden();
    if (wasVisible != !current.hidden()) {
      visiblePosts += current.hidden() ? -1 : 1;
    }
    listings.values().forEach(l -> l.replace(before, current));
    return current;
  }

  private Post render(String id, long number, Entry entry, String text, String replyTo, Instant createdAt) {
    Member author = members.get(entry.authorId);
    double score = rules.score(entry.tally, entry.priorUnits);
    PostStatus status = PostStatus.of(entry.mark, rules.collapsed(score, entry.tally.n()));
    return new Post(id, number, new Author(author.id, author.nick, rules.karma(author.karmaUnits)), text, replyTo,
        createdAt, score, rules.divergence(entry.tally), entry.tally.n(), status, null);
  }

  private void publish(List<Post> touched, RoomEvent.RatingGiven rating) {
    publish(RoomEvent.posts(slug, seq + 1, touched, rating));
  }

  private void publish(RoomEvent event) {
    seq = event.seq();
    history.addLast(event);
    if (history.size() > historyLimit) {
      historyFloor = history.removeFirst().seq();
    }
    events.onEvent(event);
  }

  private Participant participant(Member m) {
    return new Participant(m.id, m.nick, rules.karma(m.karmaUnits), m.banned);
  }

  private Member member(String participantId) {
    Member m = members.get(participantId);
    if (m == null) {
      throw ErrorCode.NOT_FOUND.failure("no such participant");
    }
    return m;
  }

  private Member activeMember(String participantId) {
    Member m = members.get(participantId);
    if (m == null) {
      throw ErrorCode.UNAUTHORIZED.failure("unknown participant");
    }
    if (m.banned) {
      throw ErrorCode.FORBIDDEN.failure("you are banned from this room");
    }
    return m;
  }

  private void requireOpen() {
    if (status == RoomStatus.CLOSED) {
      throw ErrorCode.ROOM_CLOSED.failure("this room is closed");
    }
  }
}
