package dev.backchannel.store;

import dev.backchannel.model.Author;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.model.RankedPosts;
import dev.backchannel.model.Verification;
import dev.backchannel.model.Network;
import dev.backchannel.scoring.NetworkRules;
import dev.backchannel.scoring.NetworkWeighting;
import dev.backchannel.scoring.ScoringRules;
import dev.backchannel.scoring.Tally;
import dev.backchannel.scoring.Totals;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One room of the memory engine. Not thread-safe by design: it is touched only on the room's owner
 * loop, which makes every command atomic without locks.
 */
final class MemoryRoom {

  /** A participant's record: karma as the exact sum of the {@code w·r} terms on their posts. */
  private static final class Member {
    final String id;
    final String nick;
    final String network;
    final Instant joinedAt;
    final Verification verified;
    long karmaUnits;
    boolean banned;
    /** This participant's counted ratings, by post id. */
    final Map<String, Given> ratings = new HashMap<>();

    Member(String id, String nick, String network, Instant joinedAt, Verification verified) {
      this.id = id;
      this.nick = nick;
      this.network = network;
      this.joinedAt = joinedAt;
      this.verified = verified;
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
    /** The ratings' sums by the raters' networks. */
    final Map<String, Tally> networks = new HashMap<>();
    /** Networks the rule looks at one by one ({@link NetworkRules#special}), in the order they are added. */
    final TreeSet<String> special = new TreeSet<>();
    /** Moderators' hold factors by network. */
    final Map<String, Double> decisions = new HashMap<>();
    NetworkWeighting.Weighed weighed = new NetworkWeighting.Weighed(Tally.EMPTY, Map.of());
    /** What this post adds to its author's karma now: {@code round(T1)}. */
    long karmaShare;
    Post post;

    Entry(String authorId, long priorUnits) {
      this.authorId = authorId;
      this.priorUnits = priorUnits;
    }
  }

  private final String slug;
  private final String hashtag;
  private String title;
  private RoomSettings settings = RoomSettings.DEFAULTS;
  private final Admissions admissions = new Admissions();
  private final AuditLog audit = new AuditLog();
  private final Instant createdAt;
  private byte[] speakerKeyHash;
  private byte[] moderatorKeyHash;
  private Instant closedAt;
  private final ScoringRules rules;
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
  private final NetworkWeighting weighting;
  /** Salt of the network labels staff see. */
  private final String salt;
  /** Current ratings in the room by the raters' networks: a venue network's usual share. */
  private final Map<String, Long> networkRatings = new HashMap<>();
  /** Networks a moderator banned: nobody joins from them again. */
  private final Set<String> bannedNetworks = new HashSet<>();
  /** Posts with special networks: what a sweep re-tests. */
  private final Set<Entry> watched = new LinkedHashSet<>();
  private boolean sweepDue;

  /** {@code salt} and {@code createdAt} come from the caller, so that a journal can replay them. */
  MemoryRoom(NewRoom room, String salt, Instant createdAt, MemoryStore.Settings settings, RoomEvents events) {
    this.slug = room.slug();
    this.hashtag = room.hashtag();
    this.title = room.title();
    this.speakerKeyHash = room.speakerKeyHash().clone();
    this.moderatorKeyHash = room.moderatorKeyHash().clone();
    this.rules = settings.rules();
    this.ids = settings.ids();
    this.historyLimit = settings.historyLimit();
    this.acks = new AckCache(settings.ackRetention());
    this.events = events;
    this.createdAt = createdAt;
    this.weighting = new NetworkWeighting(rules.networks());
    this.salt = salt;
    for (PostOrder order : PostOrder.values()) {
      listings.put(order, new RankedPosts(order.comparator(), p -> !p.hidden() && (order != PostOrder.DIVERGENT
          || p.ratings() >= rules.divergentMinRatings())));
    }
  }

  /** Where the room stands in the list of rooms: from final fields, so any thread may ask. */
  RoomCursor cursor() {
    return new RoomCursor(createdAt.toEpochMilli(), slug);
  }

  RoomInfo info() {
    return new RoomInfo(slug, hashtag, title, status, createdAt, speakerKeyHash.clone(), moderatorKeyHash.clone(),
        visiblePosts, settings);
  }

  Admission join(String participantId, JoinRequest request, Instant at) {
    if (bannedNetworks.contains(request.network())) {
      throw ErrorCode.FORBIDDEN.failure("your network is banned from this room");
    }
    Admissions.Admit admit = admissions.admit(request, settings);
    String bound = admissions.boundTo(admit.identity());
    if (bound != null) {
      return new Admission(participant(members.get(bound)), false);
    }
    Member m = new Member(participantId, request.nick(), request.network(), at, admit.verified());
    members.put(m.id, m);
    admissions.bind(admit.identity(), m.id);
    return new Admission(participant(m), true);
  }

  RoomInfo configure(SettingsPatch patch) {
    RoomSettings before = settings;
    String titleBefore = title;
    settings = settings.apply(patch);
    if (patch.title() != null) {
      title = patch.title();
    }
    if (!settings.venueNetworks().equals(before.venueNetworks())) {
      retest(List.copyOf(watched));
    }
    Map<String, String> described = RoomDescription.changes(titleBefore, before, title, settings);
    if (!described.isEmpty()) {
      publish(RoomEvent.described(slug, seq + 1, described));
    }
    return info();
  }

  int invite(List<Invitation> added) {
    return admissions.invite(added);
  }

  List<Invitation> invitations() {
    return admissions.invitations();
  }

  void audit(AuditEntry entry) {
    audit.add(entry);
  }

  List<AuditEntry> auditLog() {
    return audit.entries();
  }

  Participant participant(String participantId) {
    return participant(member(participantId));
  }

  Post post(String participantId, String cid, String text, String replyTo, Instant at) {
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
    entry.post = render(id, posts.size() + 1L, entry, text, replyTo, at);
    posts.put(id, entry);
    sweepDue = true; // one more post: every venue network's usual share per post shrank
    publish(List.of(changed(null, entry)), null);
    acks.remember(participantId, cid, entry.post, at);
    return entry.post;
  }

  Post answered(String participantId, String cid) {
    return acks.find(participantId, cid);
  }

  Post rate(String participantId, String cid, String postId, Integer value, Instant at) {
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
      Given now = value == null ? null : new Given(value, weightUnits(rater), at);
      Post previous = entry.post;
      count(entry, rater, old, now);
      reweigh(entry);
      sweepDue = true;
      publish(List.of(changed(previous, entry)), now == null ? null : new RoomEvent.RatingGiven(now.value(), now.weight()));
    }
    Post answer = entry.post.withMine(value);
    acks.remember(participantId, cid, answer, at);
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
    if (!banned.banned) {
      ban(List.of(banned));
    }
  }

  /**
   * Bans members in one change. Two passes: every rating leaves first, then posts are weighed and
   * rendered, so each shows its author's karma after the whole ban rather than part-way through it.
   */
  private void ban(List<Member> banned) {
    Map<Entry, Post> before = new LinkedHashMap<>();
    for (Member m : banned) {
      m.banned = true;
      for (Map.Entry<String, Given> r : List.copyOf(m.ratings.entrySet())) {
        Entry entry = posts.get(r.getKey());
        before.putIfAbsent(entry, entry.post);
        count(entry, m, r.getValue(), null);
      }
    }
    before.keySet().forEach(this::reweigh);
    sweepDue |= !before.isEmpty(); // the banned networks' usual shares changed
    List<Post> touched = new ArrayList<>(before.size());
    before.forEach((entry, previous) -> touched.add(changed(previous, entry)));
    publish(new RoomEvent(slug, seq + 1, touched, false, banned.stream().map(m -> m.id).toList(), null, Map.of(), List.of(), false));
  }

  /**
   * A moderator's decision about a network the rule flagged ({@code network} is its label); the
   * post the decision is about, when it names one, in its new state.
   */
  Post decide(String label, String postId, NetworkDecision decision) {
    Entry entry = postId == null ? null : posts.get(postId);
    if (postId != null && entry == null) {
      throw ErrorCode.NOT_FOUND.failure("no such post");
    }
    String network = network(label, entry);
    switch (decision) {
      case RELEASE, CONFIRM -> {
        if (entry == null) {
          throw ErrorCode.INVALID.failure("release and confirm name a post");
        }
        Post before = entry.post;
        entry.decisions.put(network, decision == NetworkDecision.RELEASE ? 1.0 : 0.0);
        if (rules.networks().special(entry.networks.getOrDefault(network, Tally.EMPTY), true)) {
          entry.special.add(network); // with the rule switched off a decision is kept but weighs nothing
        }
        reweigh(entry);
        publish(List.of(changed(before, entry)), null);
      }
      case VENUE -> {
        if (!NetworkReport.venue(network, settings.venueNetworks())) {
          List<String> venue = new ArrayList<>(settings.venueNetworks());
          venue.add(network);
          settings = settings.withVenueNetworks(venue);
          retest(List.copyOf(watched));
        }
      }
      case BAN -> {
        bannedNetworks.add(network);
        List<Member> banned = members.values().stream().filter(m -> !m.banned && m.network.equals(network)).toList();
        if (!banned.isEmpty()) {
          ban(banned);
        }
      }
    }
    return entry == null ? null : entry.post;
  }

  /**
   * Re-tests the posts with special networks after ratings elsewhere changed a venue network's
   * usual share; at most every {@code sweepSeconds}, and only when something was rated since.
   */
  void sweep() {
    if (sweepDue) {
      sweepDue = false;
      retest(List.copyOf(watched));
    }
  }

  private void retest(List<Entry> entries) {
    List<Post> touched = new ArrayList<>();
    for (Entry entry : entries) {
      Post before = entry.post;
      reweigh(entry);
      Post after = changed(before, entry);
      if (!after.sameNumbers(before)) {
        touched.add(after);
      }
    }
    if (!touched.isEmpty()) {
      publish(touched, null);
    }
  }

  /** The network a moderator names by its label: among the post's raters, else the room's members. */
  private String network(String label, Entry entry) {
    if (entry != null) {
      for (String g : entry.networks.keySet()) {
        if (Network.label(salt, g).equals(label)) {
          return g;
        }
      }
    }
    for (Member m : members.values()) {
      if (Network.label(salt, m.network).equals(label)) {
        return m.network;
      }
    }
    throw ErrorCode.NOT_FOUND.failure("no such network in this room");
  }

  /** What staff ask about one post, for {@link NetworkReport}. */
  PostEvidence evidence(String postId) {
    Entry entry = posts.get(postId);
    if (entry == null) {
      throw ErrorCode.NOT_FOUND.failure("no such post");
    }
    return evidence(entry);
  }

  /** The evidence of every post with a flagged or decided network. */
  List<PostEvidence> heldEvidence() {
    List<PostEvidence> out = new ArrayList<>();
    for (Entry entry : watched) {
      if (!entry.decisions.isEmpty()
          || entry.weighed.verdicts().values().stream().anyMatch(NetworkWeighting.Verdict::flagged)) {
        out.add(evidence(entry));
      }
    }
    return out;
  }

  private PostEvidence evidence(Entry entry) {
    List<PostEvidence.Rater> raters = new ArrayList<>(entry.ratings.size());
    Map<String, Long> roomRatings = new HashMap<>();
    entry.ratings.forEach((id, g) -> {
      Member m = members.get(id);
      raters.add(new PostEvidence.Rater(id, m.network, g.value(), g.weight(), m.joinedAt, m.ratings.size() > 1));
      roomRatings.put(m.network, networkRatings.getOrDefault(m.network, 0L));
    });
    entry.decisions.keySet().forEach(g -> roomRatings.put(g, networkRatings.getOrDefault(g, 0L)));
    return new PostEvidence(entry.post, entry.priorUnits, salt, raters, Map.copyOf(entry.decisions), settings.venueNetworks(),
        roomRatings, posts.size());
  }

  void close(Instant at) {
    if (status == RoomStatus.CLOSED) {
      return;
    }
    status = RoomStatus.CLOSED;
    closedAt = at;
    publish(new RoomEvent(slug, seq + 1, List.of(), true, List.of(), null, Map.of(), List.of(), false));
  }

  RoomInfo reopen() {
    if (status == RoomStatus.OPEN) {
      return info();
    }
    status = RoomStatus.OPEN;
    closedAt = null;
    publish(RoomEvent.described(slug, seq + 1, Map.of("status", "open")));
    return info();
  }

  RoomInfo rotateKeys(RotatedKeys keys) {
    List<String> roles = new ArrayList<>(2);
    Map<String, com.fasterxml.jackson.databind.JsonNode> sealed = new LinkedHashMap<>();
    if (keys.speakerHash() != null) {
      speakerKeyHash = keys.speakerHash().clone();
      sealed.put("speakerKeySealed", com.fasterxml.jackson.databind.node.TextNode.valueOf(keys.speakerSealed()));
      roles.add("speaker");
    }
    if (keys.moderatorHash() != null) {
      moderatorKeyHash = keys.moderatorHash().clone();
      sealed.put("moderatorKeySealed", com.fasterxml.jackson.databind.node.TextNode.valueOf(keys.moderatorSealed()));
      roles.add("moderator");
    }
    settings = settings.apply(new SettingsPatch(sealed));
    if (!roles.isEmpty()) {
      publish(RoomEvent.revoked(slug, seq + 1, roles));
    }
    return info();
  }

  /** The room's last event: its sockets are closed everywhere. */
  void deleted() {
    publish(RoomEvent.deleted(slug, seq + 1));
  }

  RoomPage.Summary summary() {
    int ratings = 0;
    for (long n : networkRatings.values()) {
      ratings += (int) n;
    }
    return new RoomPage.Summary(info(), ratings, closedAt);
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

  /**
   * Replaces {@code rater}'s rating {@code old} of {@code entry} with {@code now} (either may be
   * null) in the post's sums, its network's sums and the room's count per network. The post's
   * totals and its author's karma follow in {@link #reweigh}.
   */
  private void count(Entry entry, Member rater, Given old, Given now) {
    Tally tally = entry.tally;
    Tally network = entry.networks.getOrDefault(rater.network, Tally.EMPTY);
    if (old != null) {
      tally = tally.minus(old.weight(), old.value());
      network = network.minus(old.weight(), old.value());
      networkRatings.merge(rater.network, -1L, Long::sum);
      entry.ratings.remove(rater.id);
      rater.ratings.remove(entry.post.id());
    }
    if (now != null) {
      tally = tally.plus(now.weight(), now.value());
      network = network.plus(now.weight(), now.value());
      networkRatings.merge(rater.network, 1L, Long::sum);
      entry.ratings.put(rater.id, now);
      rater.ratings.put(entry.post.id(), now);
    }
    entry.tally = tally;
    if (network.n() == 0) {
      entry.networks.remove(rater.network);
    } else {
      entry.networks.put(rater.network, network);
    }
    if (rules.networks().special(network, entry.decisions.containsKey(rater.network))) {
      entry.special.add(rater.network);
    } else {
      entry.special.remove(rater.network);
    }
  }

  /**
   * Weighs the post's networks again (cap, hold test) and moves its author's karma by the change of
   * its {@code round(T1)}: O(special networks of the post).
   */
  private void reweigh(Entry entry) {
    SortedMap<String, NetworkWeighting.Sums> special = new TreeMap<>();
    NetworkRules n = rules.networks();
    for (String g : entry.special) {
      Tally t = entry.networks.getOrDefault(g, Tally.EMPTY);
      boolean exempt = n.venueExempt(NetworkReport.venue(g, settings.venueNetworks()), t.n(), networkRatings.getOrDefault(g, 0L), posts.size());
      special.put(g, new NetworkWeighting.Sums(t, entry.decisions.get(g), exempt));
    }
    entry.weighed = weighting.weigh(entry.tally, special);
    long share = Math.round(entry.weighed.totals().t1());
    members.get(entry.authorId).karmaUnits += share - entry.karmaShare;
    entry.karmaShare = share;
    if (special.isEmpty()) {
      watched.remove(entry);
    } else {
      watched.add(entry);
    }
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
    Totals totals = entry.weighed.totals();
    double score = rules.score(totals, entry.priorUnits);
    PostStatus status = PostStatus.of(entry.mark, rules.collapsed(score, totals.n()));
    return new Post(id, number, new Author(author.id, author.nick, rules.karma(author.karmaUnits)), text, replyTo,
        createdAt, score, rules.divergence(totals), totals.n(), status, null, entry.weighed.held());
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
    return new Participant(m.id, m.nick, rules.karma(m.karmaUnits), m.banned, m.verified);
  }

  /**
   * The weight a rating of {@code rater}'s gets now: their karma's, times the room's factor for
   * participants who joined unverified (1 unless the organizer chose otherwise).
   */
  private long weightUnits(Member rater) {
    long units = rules.weightUnits(rules.karma(rater.karmaUnits));
    return rater.verified == null ? ScoringRules.unverified(units, settings.unverifiedWeight()) : units;
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
