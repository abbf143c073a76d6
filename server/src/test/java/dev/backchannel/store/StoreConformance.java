package dev.backchannel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import dev.backchannel.loop.RoomLoops;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import dev.backchannel.model.PostStatus;
import dev.backchannel.model.RoomStatus;
import dev.backchannel.model.Verification;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Store} that every store engine passes (the memory engine now, Redis
 * later): a subclass only says how to build its engine.
 *
 * <p>Only the {@link Store} interface is exercised, never an engine's internals. Every test works in
 * rooms of its own, with slugs unique across runs, so one shared engine instance (such as a Redis
 * server) never mixes tests. Events may reach the listener after the command's answer (a
 * distributed engine delivers them from wake-ups), so tests wait for them, bounded by
 * {@link #TIMEOUT}; whether a command applied a change is read from {@link Store#load}'s
 * {@code seq}, which is authoritative.
 */
public abstract class StoreConformance {

  /** How long any one store call or awaited event may take before the test fails. */
  protected static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Large enough that no test here outgrows it, so only the dedicated test sees history dropped. */
  private static final int DEFAULT_HISTORY = 10_000;

  private static final AtomicLong ROOMS = new AtomicLong();
  private static final AtomicLong CIDS = new AtomicLong();
  private static final AtomicLong NETWORKS = new AtomicLong();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Vertx vertx;
  private RoomLoops loops;
  private Recorder events;
  private Store store;
  private final List<Store> engines = new ArrayList<>();

  /**
   * Builds the engine under test, configured with {@code ScoringRules.defaults()} and an ack
   * retention of at least 10 minutes, publishing to {@code events}. It keeps at least the newest
   * {@code historyLimit} events of each room for {@link Store#history} and drops older ones; it may
   * keep somewhat more (a Redis stream trimmed approximately), but not five times as many.
   */
  protected abstract Store createStore(Vertx vertx, RoomLoops loops, RoomEvents events, int historyLimit);

  @BeforeEach
  void startEngine() {
    vertx = Vertx.vertx();
    loops = await(RoomLoops.start(vertx, 2));
    events = new Recorder(loops);
    store = engine(DEFAULT_HISTORY);
  }

  @AfterEach
  void stopEngine() {
    try {
      for (Store s : engines) {
        await(s.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  // ---------------------------------------------------------------- v2: the organizer's console

  @Test
  void aClosedRoomReopensWithOneEventAndReopeningAnOpenRoomChangesNothing() {
    String slug = room();
    noChange(slug, () -> store.reopen(slug));
    await(store.close(slug));
    long before = seq(slug);

    RoomInfo reopened = await(store.reopen(slug));

    assertThat(reopened.status()).isEqualTo(RoomStatus.OPEN);
    assertThat(awaitEvent(slug, before + 1).described()).containsOnly(Map.entry("status", "open"));
    Post post = post(slug, joinId(slug), "open again");
    assertThat(post.text()).isEqualTo("open again");
    noChange(slug, () -> store.reopen(slug));
  }

  @Test
  void rotatingAKeyReplacesItsHashAndSealedCopyAndRevokesThatRole() {
    String slug = room();
    RoomInfo before = await(store.room(slug));
    byte[] newHash = sha256("new speaker key");
    long seq = seq(slug);

    RoomInfo after = await(store.rotateKeys(slug, new RotatedKeys(newHash, "sealed-speaker", null, null)));

    assertThat(after.speakerKeyHash()).isEqualTo(newHash);
    assertThat(after.moderatorKeyHash()).isEqualTo(before.moderatorKeyHash());
    assertThat(after.settings().speakerKeySealed()).isEqualTo("sealed-speaker");
    assertThat(await(store.room(slug)).speakerKeyHash()).isEqualTo(newHash);
    assertThat(awaitEvent(slug, seq + 1).revoked()).containsExactly("speaker");
  }

  @Test
  void aDeletedRoomIsGoneEverywhereAndItsHashtagCanBeTakenAgain() {
    String slug = room();
    String author = joinId(slug);
    post(slug, author, "soon gone");
    await(store.invite(slug, List.of(new Invitation("gone-hash", "sealed", null))));
    await(store.audit(slug, new AuditEntry(java.time.Instant.parse("2026-12-01T09:00:00Z"), "organizer", "settings",
        null, null, "review")));
    long seq = seq(slug);

    await(store.delete(slug));

    assertThat(awaitEvent(slug, seq + 1).deleted()).isTrue();
    assertFails(ErrorCode.NOT_FOUND, store.room(slug));
    assertFails(ErrorCode.NOT_FOUND, store.join(slug, null, nextNetwork()));
    assertFails(ErrorCode.NOT_FOUND, store.load(slug));
    assertFails(ErrorCode.NOT_FOUND, store.delete(slug));
    assertThat(await(store.rooms(200, null)).rooms()).extracting(r -> r.room().slug()).doesNotContain(slug);

    await(store.createRoom(roomSpec(slug)));
    RoomState fresh = await(store.load(slug));
    assertThat(fresh.posts()).isEmpty();
    assertThat(fresh.seq()).isZero();
    assertThat(await(store.invitations(slug))).isEmpty();
    assertThat(await(store.auditLog(slug))).isEmpty();
    assertFails(ErrorCode.NOT_FOUND, store.participant(slug, author));
  }

  @Test
  void roomsAreListedNewestFirstInPagesWithTheirFigures() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      made.add(room());
    }
    String rated = made.get(2);
    Post post = post(rated, joinId(rated), "rated twice");
    rate(rated, joinId(rated), post.id(), 3);
    rate(rated, joinId(rated), post.id(), -1);
    await(store.close(made.get(1)));
    List<RoomCursor> expected = new ArrayList<>();
    for (String slug : made) {
      expected.add(RoomCursor.of(await(store.room(slug))));
    }
    expected.sort(RoomCursor.NEWEST_FIRST);

    RoomPage first = await(store.rooms(2, null));
    RoomPage second = await(store.rooms(1, first.next()));

    // Other tests' rooms are older: these three are the newest.
    assertThat(first.rooms()).extracting(r -> r.room().slug())
        .containsExactly(expected.get(0).slug(), expected.get(1).slug());
    assertThat(first.next()).isNotNull();
    assertThat(second.rooms()).extracting(r -> r.room().slug()).containsExactly(expected.get(2).slug());
    RoomPage.Summary ratedRoom = java.util.stream.Stream.of(first, second).flatMap(p -> p.rooms().stream())
        .filter(r -> r.room().slug().equals(rated)).findFirst().orElseThrow();
    assertThat(ratedRoom.ratings()).isEqualTo(2);
    assertThat(ratedRoom.room().posts()).isEqualTo(1);
    assertThat(ratedRoom.closedAt()).isNull();
    RoomPage.Summary closed = java.util.stream.Stream.of(first, second).flatMap(p -> p.rooms().stream())
        .filter(r -> r.room().slug().equals(made.get(1))).findFirst().orElseThrow();
    assertThat(closed.closedAt()).isNotNull();
    assertThat(closed.room().status()).isEqualTo(RoomStatus.CLOSED);
    assertFails(ErrorCode.INVALID, store.rooms(2, "not a cursor"));
  }

  // ---------------------------------------------------------------- v2: room settings, access, audit

  private static SettingsPatch patch(String name, Object value) {
    return new SettingsPatch(Map.of(name, JSON.valueToTree(value)));
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  @Test
  void settingsStartAtTheirDefaultsAndPatchesMergeFieldByField() {
    String slug = room();
    assertThat(await(store.room(slug)).settings()).isEqualTo(RoomSettings.DEFAULTS);

    await(store.configure(slug, patch("review", true)));
    RoomInfo after = await(store.configure(slug, new SettingsPatch(Map.of(
        "language", JSON.valueToTree("de"), "blockedWords", JSON.valueToTree(List.of("spam", "buy now"))))));

    assertThat(after.settings().review()).as("kept from the first patch").isTrue();
    assertThat(after.settings().language()).isEqualTo("de");
    assertThat(after.settings().blockedWords()).containsExactly("spam", "buy now");
    assertThat(after.settings().access()).isEqualTo(dev.backchannel.model.Access.OPEN);
    assertThat(await(store.room(slug)).settings()).isEqualTo(after.settings());
    assertThat(await(store.load(slug)).room().settings()).isEqualTo(after.settings());
  }

  @Test
  void aChangeOfThePublicDescriptionIsOneEventAndOtherSettingsAreNone() {
    String slug = room();
    noChange(slug, () -> store.configure(slug, patch("review", true)));
    noChange(slug, () -> store.configure(slug, patch("language", "en"))); // the default: no change
    long before = seq(slug);

    RoomInfo renamed = await(store.configure(slug, new SettingsPatch(Map.of("title", JSON.valueToTree("Day two"),
        "access", JSON.valueToTree("code"), "joinCodeHash", JSON.valueToTree("ab12")))));

    assertThat(renamed.title()).isEqualTo("Day two");
    assertThat(renamed.settings().joinCodeHash()).isEqualTo("ab12");
    RoomEvent event = awaitEvent(slug, before + 1);
    assertThat(event.described()).containsOnly(Map.entry("title", "Day two"), Map.entry("access", "code"));
    assertThat(event.posts()).isEmpty();
    assertThat(await(store.room(slug)).title()).isEqualTo("Day two");
  }

  @Test
  void venueNetworksInTheSettingsAreTheVenueAndAVenueDecisionAddsToThem() {
    String slug = room();
    Post a = post(slug, joinId(slug), "a");
    post(slug, joinId(slug), "b");
    post(slug, joinId(slug), "c");
    List<String> hall = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      hall.add(joinFrom(slug, "192.0.2.0/24"));
    }
    hall.forEach(p -> rate(slug, p, a.id(), 5));
    for (int i = 0; i < 6; i++) {
      rate(slug, joinId(slug), a.id(), -3);
    }
    assertThat(storedPost(slug, a.id()).held()).as("held before the organizer names the venue").isEqualTo(1);

    await(store.configure(slug, patch("venueNetworks", List.of("192.0.0.0/16"))));

    // The hall's network lies in the declared range: rating one post of three is within its share.
    assertThat(storedPost(slug, a.id()).held()).isZero();
    String other = joinFrom(slug, "198.51.100.0/24");
    Post d = post(slug, joinId(slug), "d");
    rate(slug, other, d.id(), 1);
    String label = dev.backchannel.model.Network.label(await(store.evidence(slug, d.id())).salt(), "198.51.100.0/24");
    await(store.decide(slug, label, null, NetworkDecision.VENUE));
    assertThat(await(store.room(slug)).settings().venueNetworks()).containsExactly("192.0.0.0/16", "198.51.100.0/24");
  }

  private String roomWithAccess(String access) {
    String slug = room();
    await(store.configure(slug, new SettingsPatch(Map.of("access", JSON.valueToTree(access),
        "joinCodeHash", JSON.valueToTree("code-hash")))));
    return slug;
  }

  private static JoinRequest withInvite(String nick, String inviteHash) {
    return new JoinRequest(nick, nextNetwork(), null, inviteHash, null);
  }

  private static JoinRequest withCode(String codeHash) {
    return new JoinRequest(null, nextNetwork(), codeHash, null, null);
  }

  @Test
  void anInvitationMakesOneParticipantWhicheverPhoneUsesIt() {
    String slug = roomWithAccess("invite");
    assertThat(await(store.invite(slug, List.of(new Invitation("h1", "sealed-1", null),
        new Invitation("h2", "sealed-2", null))))).isEqualTo(2);

    Admission made = await(store.join(slug, withInvite("Ada", "h1")));
    Admission again = await(store.join(slug, withInvite("Other name", "h1")));

    assertThat(made.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.participant().id()).isEqualTo(made.participant().id());
    assertThat(again.participant().nick()).as("they keep their name").isEqualTo("Ada");
    assertThat(made.participant().verified()).isEqualTo(Verification.INVITE);
    assertThat(await(store.invitations(slug))).containsExactly(
        new Invitation("h1", "sealed-1", made.participant().id()), new Invitation("h2", "sealed-2", null));
  }

  @Test
  void eachAccessModeRefusesWhatDoesNotProveItAndMakesNobody() {
    String invited = roomWithAccess("invite");
    String elsewhere = roomWithAccess("invite");
    await(store.invite(elsewhere, List.of(new Invitation("h-elsewhere", "s", null))));
    String coded = roomWithAccess("code");
    String signin = roomWithAccess("signin");

    assertRefused(invited, withInvite(null, "h-elsewhere"), Refusals.INVITE_WRONG);
    assertRefused(invited, JoinRequest.open("Ada", nextNetwork()), Refusals.INVITE_MISSING);
    assertRefused(coded, withCode("another-hash"), Refusals.CODE_WRONG);
    assertRefused(coded, withInvite(null, "h-elsewhere"), Refusals.CODE_MISSING);
    assertRefused(signin, withCode("code-hash"), Refusals.SIGNIN_ONLY);
    assertFails(ErrorCode.CONFLICT, store.invite(elsewhere, List.of(new Invitation("h-elsewhere", "t", null))));

    for (String slug : List.of(invited, coded, signin)) {
      assertThat(await(store.export(slug)).participants()).as("nobody joined %s", slug).isEmpty();
    }
    assertThat(await(store.join(coded, withCode("code-hash"))).participant().verified()).isEqualTo(Verification.CODE);
    assertThat(await(store.invitations(elsewhere))).hasSize(1);
  }

  private void assertRefused(String slug, JoinRequest request, String reason) {
    try {
      await(store.join(slug, request));
      fail("%s was let into %s", request, slug);
    } catch (AssertionError e) {
      assertThat(e.getCause()).isInstanceOf(Failure.class).hasMessage(reason);
      assertThat(((Failure) e.getCause()).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }
  }

  @Test
  void aSignedInPersonIsBoundOnFirstUseAndExportsSayHowEachJoined() {
    String slug = room();
    String open = joinId(slug);
    await(store.configure(slug, patch("access", "signin")));
    JoinRequest signin = JoinRequest.signedIn("ada", nextNetwork(), "subject-1");
    Admission first = await(store.join(slug, signin));
    Admission second = await(store.join(slug, signin));
    await(store.configure(slug, new SettingsPatch(Map.of("access", JSON.valueToTree("code"),
        "joinCodeHash", JSON.valueToTree("h")))));
    Participant coded = await(store.join(slug, withCode("h"))).participant();

    assertThat(first.created()).isTrue();
    assertThat(second.participant().id()).isEqualTo(first.participant().id());
    assertThat(await(store.participant(slug, coded.id())).verified()).isEqualTo(Verification.CODE);
    assertThat(await(store.join(slug, signin)).participant().id()).as("a sign-in begun before the switch")
        .isEqualTo(first.participant().id());
    assertThat(await(store.export(slug)).participants())
        .extracting(Participant::id, Participant::verified)
        .containsExactlyInAnyOrder(tuple(first.participant().id(), Verification.SIGNIN),
            tuple(coded.id(), Verification.CODE), tuple(open, null));
  }

  @Test
  void ratingsOfUnverifiedParticipantsWeighTheRoomsFactor() {
    String slug = room();
    Post post = post(slug, joinId(slug), "rated by both kinds");
    String unverified = joinId(slug);
    await(store.configure(slug, new SettingsPatch(Map.of("access", JSON.valueToTree("code"),
        "joinCodeHash", JSON.valueToTree("h"), "unverifiedWeight", JSON.valueToTree(0.5)))));
    String verified = await(store.join(slug, withCode("h"))).participant().id();

    rate(slug, unverified, post.id(), 4);
    // (0.5·4) / (2 + 0.5)
    assertThat(storedPost(slug, post.id()).score()).isCloseTo(0.8, within(1e-9));
    rate(slug, verified, post.id(), 4);
    // (0.5·4 + 4) / (2 + 1.5)
    assertThat(storedPost(slug, post.id()).score()).isCloseTo(6 / 3.5, within(1e-9));
    assertThat(await(store.export(slug)).ratings()).extracting(RoomExport.ExportedRating::participant,
        RoomExport.ExportedRating::weight).containsExactlyInAnyOrder(tuple(unverified, 0.5), tuple(verified, 1.0));
  }

  @Test
  void theAuditLogKeepsStaffActionsOldestFirst() {
    String slug = room();
    AuditEntry settings = new AuditEntry(java.time.Instant.parse("2026-12-01T10:00:00Z"), "organizer", "settings",
        null, null, "access,joinCode");
    AuditEntry ban = new AuditEntry(java.time.Instant.parse("2026-12-01T10:05:00Z"), "moderator", "ban", null, "p-1",
        null);

    noChange(slug, () -> store.audit(slug, settings));
    await(store.audit(slug, ban));

    assertThat(await(store.auditLog(slug))).containsExactly(settings, ban);
    assertThat(await(store.auditLog(room()))).isEmpty();
  }

  // ---------------------------------------------------------------- v2: one network cannot outvote the room

  private static final NetworkReport REPORT = new NetworkReport(dev.backchannel.scoring.ScoringRules.defaults());

  @Test
  void oneNetworkAddsAtMostTheWeightOfTwelveNewcomers() {
    String slug = room();
    String author = joinId(slug);
    Post target = post(slug, author, "rated by one network");
    for (int i = 0; i < 20; i++) {
      rate(slug, joinFrom(slug, "198.51.100.0/24"), target.id(), 4);
    }

    Post rated = storedPost(slug, target.id());
    // E = min(20, 12) = 12 newcomers' weight: (12·4) / (2 + 12), where v1 gave (20·4) / (2 + 20) = 3.64
    assertThat(rated.score()).isCloseTo(48.0 / 14, within(1e-9));
    assertThat(rated.divergence()).isCloseTo(0.0, within(1e-6)); // f = 0.6 is not exact in binary
    assertThat(rated.ratings()).isEqualTo(20);
    assertThat(rated.held()).isZero();
    // karma follows T1 = 12·4: 48/5
    assertThat(await(store.participant(slug, author)).karma()).isCloseTo(48.0 / 5, within(1e-9));
  }

  @Test
  void networksBelowTheCapGiveV1sNumbers() {
    String slug = room();
    Post split = post(slug, joinId(slug), "eighteen +5 and two -5, two raters a network");
    for (int i = 0; i < 20; i++) {
      String network = "203.0." + (i / 2) + ".0/24";
      rate(slug, joinFrom(slug, network), split.id(), i < 18 ? 5 : -5);
    }
    Post rated = storedPost(slug, split.id());
    // DESIGN.md's v1 example, unchanged
    assertThat(rated.score()).isCloseTo(3.64, within(0.005));
    assertThat(rated.divergence()).isCloseTo(0.52, within(0.005));
  }

  @Test
  void aNetworkRatingFarFromTheRoomIsHeldAndReachesModerators() {
    String slug = room();
    Post troll = stuffed(slug);

    Post rated = storedPost(slug, troll.id());
    // twelve honest newcomers (-4, -3, -2 four times each: Σ = -36) alone, the twenty +5s held back
    assertThat(rated.score()).isCloseTo(-36.0 / 14, within(1e-9));
    assertThat(rated.ratings()).isEqualTo(32);
    assertThat(rated.status()).isEqualTo(PostStatus.COLLAPSED);
    assertThat(rated.held()).isEqualTo(1);

    List<PostEvidence> held = await(store.heldEvidence(slug));
    assertThat(held).extracting(e -> e.post().id()).containsExactly(troll.id());
    HeldNetwork pair = only(REPORT.held(held.get(0)));
    assertThat(pair.post()).isEqualTo(troll.id());
    assertThat(pair.network()).matches("n[0-9a-f]{10}").doesNotContain("198.51");
    assertThat(pair.family()).isEqualTo("ipv4");
    assertThat(pair.raters()).isEqualTo(20);
    assertThat(pair.mean()).isEqualTo(5.0);
    assertThat(pair.referenceMean()).isCloseTo(-3.0, within(1e-9));
    assertThat(pair.z()).isGreaterThan(3);
    assertThat(pair.hold()).isZero();
    assertThat(pair.decision()).isNull();
    assertThat(pair.ratedOtherPosts()).isZero();
    assertThat(pair.scoreWith()).isCloseTo(-36.0 / 14, within(1e-9));
    assertThat(pair.scoreWithout()).isCloseTo(-36.0 / 14, within(1e-9));
  }

  @Test
  void aModeratorReleasesAndConfirmsAHeldNetwork() {
    String slug = room();
    Post troll = stuffed(slug);
    String label = only(REPORT.held(await(store.evidence(slug, troll.id())))).network();

    Post released = applied(slug, () -> store.decide(slug, label, troll.id(), NetworkDecision.RELEASE)).result();
    // counted again, capped: (-36 + 12·5) / (2 + 12 + 12)
    assertThat(released.score()).isCloseTo(24.0 / 26, within(1e-9));
    assertThat(released.held()).isZero();
    assertThat(storedPost(slug, troll.id())).isEqualTo(released);
    HeldNetwork pair = only(REPORT.held(await(store.evidence(slug, troll.id()))));
    assertThat(pair.decision()).isEqualTo("released");
    assertThat(pair.hold()).isEqualTo(1.0);

    Post confirmed = applied(slug, () -> store.decide(slug, label, troll.id(), NetworkDecision.CONFIRM)).result();
    assertThat(confirmed.score()).isCloseTo(-36.0 / 14, within(1e-9));
    assertThat(confirmed.held()).isEqualTo(1);
    assertThat(only(REPORT.held(await(store.evidence(slug, troll.id())))).decision()).isEqualTo("confirmed");
  }

  @Test
  void aVenueNetworkRatingItsUsualShareIsNotHeld() {
    String slug = room();
    String author = joinId(slug);
    List<Post> talks = List.of(post(slug, author, "a"), post(slug, joinId(slug), "b"), post(slug, joinId(slug), "c"));
    List<String> hall = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      hall.add(joinFrom(slug, "192.0.2.0/24"));
    }
    for (Post talk : talks) {
      hall.forEach(p -> rate(slug, p, talk.id(), 5));
    }
    Post a = talks.get(0);
    for (int i = 0; i < 6; i++) {
      rate(slug, joinId(slug), a.id(), -3);
    }
    assertThat(storedPost(slug, a.id()).held()).as("held before it is the venue's").isEqualTo(1);
    String label = only(REPORT.held(await(store.evidence(slug, a.id())))).network();

    assertThat(await(store.decide(slug, label, null, NetworkDecision.VENUE))).isNull();

    // 10 ratings on a post against 30 in the room over 3 posts: its usual share. Not held, and ten
    // newcomers stay below the cap: (-18 + 10·5) / (2 + 6 + 10)
    Post counted = storedPost(slug, a.id());
    assertThat(counted.held()).isZero();
    assertThat(counted.score()).isCloseTo(32.0 / 18, within(1e-9));
    assertThat(REPORT.held(await(store.evidence(slug, a.id())))).isEmpty();
    assertThat(REPORT.why(await(store.evidence(slug, a.id()))).special())
        .singleElement().satisfies(n -> assertThat(n.venue()).isTrue());
  }

  @Test
  void theSweepRetestsAVenueNetworkOnceItRatesFarAboveItsShare() {
    String slug = room();
    Post a = post(slug, joinId(slug), "a");
    List<String> hall = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      hall.add(joinFrom(slug, "192.0.2.0/24"));
    }
    for (int i = 0; i < 6; i++) {
      rate(slug, joinId(slug), a.id(), -3);
    }
    hall.forEach(p -> rate(slug, p, a.id(), 5));
    String label = only(REPORT.held(await(store.evidence(slug, a.id())))).network();
    await(store.decide(slug, label, null, NetworkDecision.VENUE));
    assertThat(storedPost(slug, a.id()).held()).as("its usual share while the room has one post").isZero();

    // Nine more posts the hall does not rate: its 10 ratings of `a` are now 10 times its share per post.
    for (int i = 0; i < 9; i++) {
      post(slug, joinId(slug), "more " + i);
    }
    assertThat(storedPost(slug, a.id()).held()).as("not re-tested before the sweep").isZero();
    long before = seq(slug);
    await(store.sweep(slug));

    assertThat(storedPost(slug, a.id()).held()).isEqualTo(1);
    assertThat(storedPost(slug, a.id()).score()).isCloseTo(-18.0 / 8, within(1e-9));
    assertThat(seq(slug)).isEqualTo(before + 1);
    assertThat(awaitEvent(slug, before + 1).posts()).extracting(Post::id).containsExactly(a.id());
    // nothing rated since: the next sweep changes nothing
    await(store.sweep(slug));
    assertThat(seq(slug)).isEqualTo(before + 1);
  }

  @Test
  void banningANetworkBansEveryParticipantOfItAndTheirRatingsLeave() {
    String slug = room();
    Post troll = stuffed(slug);
    String label = only(REPORT.held(await(store.evidence(slug, troll.id())))).network();
    String bystander = joinFrom(slug, "198.51.100.0/24"); // joined from that network, rated nothing

    RoomEvent event = applied(slug, () -> store.decide(slug, label, null, NetworkDecision.BAN)).event();

    assertThat(event.banned()).hasSize(21).contains(bystander);
    for (String id : event.banned()) {
      assertThat(await(store.participant(slug, id)).banned()).isTrue();
    }
    Post after = storedPost(slug, troll.id());
    assertThat(after.ratings()).isEqualTo(12);
    assertThat(after.held()).isZero();
    assertThat(after.score()).isCloseTo(-36.0 / 14, within(1e-9));
    assertThat(await(store.heldEvidence(slug))).isEmpty();
    // nobody joins from that network again; from others, as ever
    noChange(slug, () -> store.join(slug, null, "198.51.100.0/24"), ErrorCode.FORBIDDEN);
    assertThat(await(store.join(slug, null, "198.51.101.0/24")).banned()).isFalse();
  }

  @Test
  void decisionsAboutUnknownNetworksOrPostsAreRefused() {
    String slug = room();
    Post troll = stuffed(slug);
    String label = only(REPORT.held(await(store.evidence(slug, troll.id())))).network();

    noChange(slug, () -> store.decide(slug, "n0000000000", troll.id(), NetworkDecision.RELEASE), ErrorCode.NOT_FOUND);
    noChange(slug, () -> store.decide(slug, label, "p-unknown", NetworkDecision.RELEASE), ErrorCode.NOT_FOUND);
    noChange(slug, () -> store.decide(slug, label, null, NetworkDecision.CONFIRM), ErrorCode.INVALID);
    assertFails(ErrorCode.NOT_FOUND, store.evidence(slug, "p-unknown"));
  }

  @Test
  void whyNamesTheIngredientsOfTheScore() {
    String slug = room();
    Post troll = stuffed(slug);

    PostWhy why = REPORT.why(await(store.evidence(slug, troll.id())));

    assertThat(why.post()).isEqualTo(troll.id());
    assertThat(why.ratings()).isEqualTo(32);
    assertThat(why.rawWeight()).isCloseTo(32.0, within(1e-9));
    assertThat(why.weight()).isCloseTo(12.0, within(1e-9));
    assertThat(why.newcomers()).isEqualTo(new PostWhy.Share(32, 32.0));
    assertThat(why.established().ratings()).isZero();
    assertThat(why.networks()).isEqualTo(13);
    assertThat(why.special()).singleElement().satisfies(n -> {
      assertThat(n.raters()).isEqualTo(20);
      assertThat(n.capped()).isTrue();
      assertThat(n.hold()).isZero();
      assertThat(n.counted()).isZero();
      assertThat(n.venue()).isFalse();
    });
    assertThat(why.score()).isCloseTo(-36.0 / 14, within(1e-9));
    assertThat(why.scoreWithoutHeldOrCapped()).isCloseTo(-36.0 / 14, within(1e-9));
  }

  /**
   * A troll post rated by twelve honest newcomers, each from a network of their own (-4, -3, -2
   * four times each), then stuffed with +5 by twenty identities from one network.
   */
  private Post stuffed(String slug) {
    Post troll = post(slug, joinId(slug), "troll");
    for (int i = 0; i < 12; i++) {
      rate(slug, joinId(slug), troll.id(), -4 + i % 3);
    }
    for (int i = 0; i < 20; i++) {
      rate(slug, joinFrom(slug, "198.51.100.0/24"), troll.id(), 5);
    }
    return storedPost(slug, troll.id());
  }

  private String joinFrom(String slug, String network) {
    return await(store.join(slug, null, network)).id();
  }

  private static <T> T only(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  // ---------------------------------------------------------------- rooms

  @Test
  void createdRoomIsOpenEmptyAndReadable() {
    String slug = freshSlug();
    NewRoom spec = roomSpec(slug);
    RoomInfo created = await(store.createRoom(spec));
    RoomInfo read = await(store.room(slug));

    for (RoomInfo info : List.of(created, read)) {
      assertThat(info.slug()).isEqualTo(slug);
      assertThat(info.hashtag()).isEqualTo(spec.hashtag());
      assertThat(info.title()).isEqualTo(spec.title());
      assertThat(info.status()).isEqualTo(RoomStatus.OPEN);
      assertThat(info.createdAt()).isNotNull();
      assertThat(info.speakerKeyHash()).isEqualTo(spec.speakerKeyHash());
      assertThat(info.moderatorKeyHash()).isEqualTo(spec.moderatorKeyHash());
      assertThat(info.posts()).isZero();
    }
    assertThat(read.createdAt()).isEqualTo(created.createdAt());
    RoomState state = await(store.load(slug));
    assertThat(state.seq()).isZero();
    assertThat(state.posts()).isEmpty();
  }

  @Test
  void creatingARoomTwiceIsAConflictAndKeepsTheFirst() {
    String slug = freshSlug();
    NewRoom first = roomSpec(slug);
    await(store.createRoom(first));

    assertFails(ErrorCode.CONFLICT, store.createRoom(roomSpec(slug)));
    assertThat(await(store.room(slug)).moderatorKeyHash()).isEqualTo(first.moderatorKeyHash());
  }

  @Test
  void everyCallOnAnUnknownRoomIsNotFound() {
    String slug = freshSlug();
    assertFails(ErrorCode.NOT_FOUND, store.room(slug));
    assertFails(ErrorCode.NOT_FOUND, store.join(slug, "Ada", nextNetwork()));
    assertFails(ErrorCode.NOT_FOUND, store.participant(slug, "nobody"));
    assertFails(ErrorCode.NOT_FOUND, store.post(slug, "nobody", cid(), "hello", null));
    assertFails(ErrorCode.NOT_FOUND, store.rate(slug, "nobody", cid(), "p1", 5));
    assertFails(ErrorCode.NOT_FOUND, store.mark(slug, "p1", Mark.ANSWERED, true));
    assertFails(ErrorCode.NOT_FOUND, store.ban(slug, "nobody"));
    assertFails(ErrorCode.NOT_FOUND, store.close(slug));
    assertFails(ErrorCode.NOT_FOUND, store.load(slug));
    assertFails(ErrorCode.NOT_FOUND, store.history(slug, 0));
    assertFails(ErrorCode.NOT_FOUND, store.list(slug, PostOrder.NEW, 10));
    assertFails(ErrorCode.NOT_FOUND, store.export(slug));
    // a failed lookup must not have created the room on the way
    assertFails(ErrorCode.NOT_FOUND, store.room(slug));
  }

  // ---------------------------------------------------------------- participants

  @Test
  void joinedParticipantsStartWithoutKarmaAndCanBeReadBack() {
    String slug = room();
    Participant ada = await(store.join(slug, "Ada", nextNetwork()));
    Participant anonymous = await(store.join(slug, null, nextNetwork()));

    assertThat(ada.id()).isNotBlank();
    assertThat(anonymous.id()).isNotBlank().isNotEqualTo(ada.id());
    assertThat(ada.nick()).isEqualTo("Ada");
    assertThat(anonymous.nick()).isNull();
    for (Participant p : List.of(ada, anonymous)) {
      assertThat(p.karma()).isZero();
      assertThat(p.banned()).isFalse();
      assertThat(await(store.participant(slug, p.id()))).isEqualTo(p);
    }
    // joining changes no post, so it is no room event
    assertThat(seq(slug)).isZero();
  }

  @Test
  void unknownParticipantIsNotFound() {
    String slug = room();
    assertFails(ErrorCode.NOT_FOUND, store.participant(slug, "no-such-participant"));
  }

  @Test
  void participantsBelongToOneRoom() {
    String first = room();
    String second = room();
    Participant ada = await(store.join(first, "Ada", nextNetwork()));
    assertFails(ErrorCode.NOT_FOUND, store.participant(second, ada.id()));
  }

  // ---------------------------------------------------------------- post

  @Test
  void postReturnsTheNewPostAndPublishesIt() {
    String slug = room();
    Participant ada = await(store.join(slug, "Ada", nextNetwork()));

    Applied<Post> applied = applied(slug, () -> store.post(slug, ada.id(), cid(), "How does karma decay?", null));
    Post post = applied.result();

    assertThat(post.id()).isNotBlank();
    assertThat(post.author().id()).isEqualTo(ada.id());
    assertThat(post.author().nick()).isEqualTo("Ada");
    assertThat(post.author().karma()).isZero();
    assertThat(post.text()).isEqualTo("How does karma decay?");
    assertThat(post.replyTo()).isNull();
    assertThat(post.createdAt()).isNotNull();
    assertThat(post.status()).isEqualTo(PostStatus.VISIBLE);
    assertThat(post.score()).isZero();
    assertThat(post.divergence()).isZero();
    assertThat(post.ratings()).isZero();
    assertThat(post.mine()).isNull();

    RoomEvent event = applied.event();
    assertThat(event.room()).isEqualTo(slug);
    assertThat(event.posts()).containsExactly(post);
    assertThat(event.closed()).isFalse();
    assertThat(event.banned()).isEmpty();
    assertThat(event.rating()).isNull();
    assertThat(await(store.room(slug)).posts()).isEqualTo(1);
  }

  @Test
  void anonymousAuthorHasNoNick() {
    String slug = room();
    Participant someone = await(store.join(slug, null, nextNetwork()));
    Post post = post(slug, someone.id(), "anonymous question");
    assertThat(post.author().id()).isEqualTo(someone.id());
    assertThat(post.author().nick()).isNull();
  }

  @Test
  void postsGetDistinctIds() {
    String slug = room();
    String ada = joinId(slug);
    Post first = post(slug, ada, "one");
    Post second = post(slug, ada, "two");
    assertThat(second.id()).isNotEqualTo(first.id());
  }

  @Test
  void postOfATrustedAuthorStartsAtThePriorOfTheirKarma() {
    String slug = room();
    String trusted = withKarmaOne(slug);

    Post post = post(slug, trusted, "second post");

    // DESIGN: m0(k) = 0.75·ln(1 + k/5) for k = 1
    assertThat(post.score()).isCloseTo(0.75 * Math.log1p(1.0 / 5), within(1e-3));
    assertThat(post.ratings()).isZero();
  }

  @Test
  void replyToAnExistingPostIsKept() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post parent = post(slug, ada, "parent");

    Post reply = post(slug, bob, "reply", parent.id());

    assertThat(reply.replyTo()).isEqualTo(parent.id());
    assertThat(await(store.load(slug)).posts()).extracting(Post::replyTo).containsExactly(null, parent.id());
  }

  @Test
  void replyToAnUnknownPostIsNotFoundAndChangesNothing() {
    String slug = room();
    String ada = joinId(slug);
    noChange(slug, () -> store.post(slug, ada, cid(), "reply", "p-unknown"), ErrorCode.NOT_FOUND);
  }

  @Test
  void replyToAHiddenPostIsNotFound() {
    String slug = room();
    String ada = joinId(slug);
    Post parent = post(slug, ada, "soon hidden");
    await(store.mark(slug, parent.id(), Mark.HIDDEN, true));

    noChange(slug, () -> store.post(slug, ada, cid(), "reply", parent.id()), ErrorCode.NOT_FOUND);
  }

  @Test
  void replyToAPostOfAnotherRoomIsNotFound() {
    String slug = room();
    String other = room();
    Post elsewhere = post(other, joinId(other), "elsewhere");
    String ada = joinId(slug);
    // ids may repeat across rooms, so make sure this room has no post of that id
    assertThat(await(store.load(slug)).posts()).isEmpty();

    noChange(slug, () -> store.post(slug, ada, cid(), "reply", elsewhere.id()), ErrorCode.NOT_FOUND);
  }

  @Test
  void retriedPostCidReturnsTheFirstAnswerAndPublishesNothing() {
    String slug = room();
    String ada = joinId(slug);
    String cid = cid();
    Post first = applied(slug, () -> store.post(slug, ada, cid, "only once", null)).result();

    // a phone that retries after a lost ack may even have edited the text: the first answer stands
    Post again = noChange(slug, () -> store.post(slug, ada, cid, "only once, edited", null));

    assertThat(again).isEqualTo(first);
    assertThat(await(store.load(slug)).posts()).containsExactly(first);
    assertThat(await(store.room(slug)).posts()).isEqualTo(1);
  }

  @Test
  void answeredFindsTheFirstAnswerToACidOfThatParticipantOnly() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    String cid = cid();
    Post first = post(slug, ada, "asked once", null, cid);
    Post rated = await(store.rate(slug, bob, "rate-" + cid, first.id(), 3));

    assertThat(await(store.answered(slug, ada, cid))).isEqualTo(first);
    assertThat(await(store.answered(slug, bob, "rate-" + cid))).isEqualTo(rated);
    assertThat(await(store.answered(slug, bob, cid))).isNull();
    assertThat(await(store.answered(slug, ada, "never-sent"))).isNull();
  }

  @Test
  void cidsAreScopedToTheirParticipant() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post adas = post(slug, ada, "from Ada", null, "shared-cid");

    Post bobs = applied(slug, () -> store.post(slug, bob, "shared-cid", "from Bob", null)).result();

    assertThat(bobs.id()).isNotEqualTo(adas.id());
    assertThat(bobs.author().id()).isEqualTo(bob);
  }

  @Test
  void postInAClosedRoomIsRoomClosed() {
    String slug = room();
    String ada = joinId(slug);
    await(store.close(slug));

    noChange(slug, () -> store.post(slug, ada, cid(), "too late", null), ErrorCode.ROOM_CLOSED);
  }

  @Test
  void bannedParticipantCannotPost() {
    String slug = room();
    String ada = joinId(slug);
    await(store.ban(slug, ada));

    noChange(slug, () -> store.post(slug, ada, cid(), "let me in", null), ErrorCode.FORBIDDEN);
  }

  // ---------------------------------------------------------------- rate

  @Test
  void rateAnswersWithMineAndPublishesTheRatingWithoutMine() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "rate me");

    Applied<Post> applied = applied(slug, () -> store.rate(slug, bob, cid(), post.id(), 5));
    Post ack = applied.result();

    assertThat(ack.id()).isEqualTo(post.id());
    assertThat(ack.mine()).isEqualTo(5);
    assertThat(ack.ratings()).isEqualTo(1);
    assertThat(ack.score()).isCloseTo(1.67, within(0.005)); // DESIGN: a single +5 gives 1.67
    assertThat(ack.divergence()).isZero();
    assertThat(ack.text()).isEqualTo(post.text());
    assertThat(ack.createdAt()).isEqualTo(post.createdAt());

    RoomEvent event = applied.event();
    assertThat(event.posts()).hasSize(1);
    Post broadcast = event.posts().get(0);
    // broadcast states are the same bytes for every socket, so they never carry a reader's rating
    assertThat(broadcast.mine()).isNull();
    assertThat(broadcast.withMine(5)).isEqualTo(ack);
    assertThat(event.rating()).isEqualTo(new RoomEvent.RatingGiven(5, 10_000));
  }

  @Test
  void changingARatingReplacesIt() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "rate me");
    rate(slug, bob, post.id(), 5);

    Applied<Post> applied = applied(slug, () -> store.rate(slug, bob, cid(), post.id(), -5));

    assertThat(applied.result().ratings()).isEqualTo(1);
    assertThat(applied.result().mine()).isEqualTo(-5);
    assertThat(applied.result().score()).isCloseTo(-5.0 / 3, within(1e-3));
    assertThat(applied.event().rating()).isEqualTo(new RoomEvent.RatingGiven(-5, 10_000));
    assertThat(await(store.ratingsOf(slug, bob))).containsExactly(Map.entry(post.id(), -5));
    // the author's karma counts only the current rating: -5·1/5
    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(-1.0, within(1e-9));
  }

  @Test
  void ratingWithTheCurrentValueIsAcknowledgedWithoutAChange() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "rate me");
    Post first = rate(slug, bob, post.id(), 3);

    Post again = noChange(slug, () -> store.rate(slug, bob, cid(), post.id(), 3));

    assertThat(again).isEqualTo(first);
    assertThat(again.mine()).isEqualTo(3);
  }

  @Test
  void withdrawingARatingRemovesIt() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "rate me");
    rate(slug, bob, post.id(), 4);

    Applied<Post> applied = applied(slug, () -> store.rate(slug, bob, cid(), post.id(), null));

    Post ack = applied.result();
    assertThat(ack.ratings()).isZero();
    assertThat(ack.mine()).isNull();
    assertThat(ack.score()).isZero();
    assertThat(ack.divergence()).isZero();
    assertThat(applied.event().posts()).extracting(Post::ratings).containsExactly(0);
    assertThat(await(store.ratingsOf(slug, bob))).isEmpty();
    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void withdrawingWithoutARatingChangesNothing() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "never rated");

    Post ack = noChange(slug, () -> store.rate(slug, bob, cid(), post.id(), null));

    assertThat(ack.ratings()).isZero();
    assertThat(ack.mine()).isNull();
  }

  @Test
  void ratingOwnPostIsForbidden() {
    String slug = room();
    String ada = joinId(slug);
    Post post = post(slug, ada, "mine");
    noChange(slug, () -> store.rate(slug, ada, cid(), post.id(), 5), ErrorCode.FORBIDDEN);
  }

  @Test
  void ratingAnUnknownPostIsNotFound() {
    String slug = room();
    String bob = joinId(slug);
    noChange(slug, () -> store.rate(slug, bob, cid(), "p-unknown", 5), ErrorCode.NOT_FOUND);
  }

  @Test
  void ratingAHiddenPostIsNotFound() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "soon hidden");
    await(store.mark(slug, post.id(), Mark.HIDDEN, true));

    noChange(slug, () -> store.rate(slug, bob, cid(), post.id(), 5), ErrorCode.NOT_FOUND);
  }

  @Test
  void ratingInAClosedRoomIsRoomClosed() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "before the end");
    await(store.close(slug));

    noChange(slug, () -> store.rate(slug, bob, cid(), post.id(), 5), ErrorCode.ROOM_CLOSED);
  }

  @Test
  void bannedParticipantCannotRate() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "rate me");
    await(store.ban(slug, bob));

    noChange(slug, () -> store.rate(slug, bob, cid(), post.id(), 5), ErrorCode.FORBIDDEN);
  }

  @Test
  void retriedRateCidReturnsTheFirstAnswerEvenWithAnotherValue() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post post = post(slug, ada, "rate me");
    String cid = cid();
    Post first = applied(slug, () -> store.rate(slug, bob, cid, post.id(), 5)).result();

    Post again = noChange(slug, () -> store.rate(slug, bob, cid, post.id(), -2));

    assertThat(again).isEqualTo(first);
    assertThat(await(store.ratingsOf(slug, bob))).containsExactly(Map.entry(post.id(), 5));
    Post stored = onlyPost(slug);
    assertThat(stored.ratings()).isEqualTo(1);
    assertThat(stored.score()).isEqualTo(first.score());
    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void ratingMovesTheAuthorsKarmaByWeightTimesValueOverFive() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    String cy = joinId(slug);
    Post post = post(slug, ada, "karma source");

    Post ack = rate(slug, bob, post.id(), 5);
    assertThat(ack.author().karma()).isCloseTo(1.0, within(1e-9));
    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(1.0, within(1e-9));

    rate(slug, cy, post.id(), -2);
    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(0.6, within(1e-9));
    // raters' own karma is untouched
    assertThat(await(store.participant(slug, bob)).karma()).isZero();
  }

  @Test
  void raterWithKarmaWeighsMore() {
    String slug = room();
    String ada = joinId(slug);
    String trusted = withKarmaOne(slug);
    Post post = post(slug, ada, "to be rated by someone trusted");
    // DESIGN: w(k) = 1 + 0.5·ln(1 + k/5) for k = 1
    double w = 1 + 0.5 * Math.log1p(1.0 / 5);

    Applied<Post> applied = applied(slug, () -> store.rate(slug, trusted, cid(), post.id(), 5));

    assertThat(applied.result().score()).isCloseTo(5 * w / (2 + w), within(1e-3));
    assertThat(applied.event().rating().value()).isEqualTo(5);
    assertThat(applied.event().rating().weightUnits()).isCloseTo(Math.round(w * 10_000), within(1L));
    RoomExport.ExportedRating exported = await(store.export(slug)).ratings().stream()
        .filter(r -> r.post().equals(post.id()))
        .findFirst().orElseThrow();
    assertThat(exported.participant()).isEqualTo(trusted);
    assertThat(exported.weight()).isCloseTo(w, within(1e-3));
    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(w, within(1e-3));
  }

  @Test
  void scoresAndDivergencesMatchTheDesignExamples() {
    record Example(int plusFives, int minusFives, int plusFours, double score, double divergence, PostStatus status) {}
    List<Example> examples = List.of(
        new Example(10, 10, 0, 0.0, 0.87, PostStatus.VISIBLE),
        new Example(1, 1, 0, 0.0, 0.40, PostStatus.VISIBLE),
        new Example(18, 2, 0, 3.64, 0.52, PostStatus.VISIBLE),
        new Example(0, 0, 20, 3.64, 0.0, PostStatus.VISIBLE),
        new Example(1, 0, 0, 1.67, 0.0, PostStatus.VISIBLE),
        new Example(0, 15, 0, -4.41, 0.0, PostStatus.COLLAPSED));
    String slug = room();
    String author = joinId(slug);
    List<String> raters = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      raters.add(joinId(slug));
    }
    // every post is created before any rating, so each starts at the prior of a newcomer (0)
    List<Post> posts = new ArrayList<>();
    for (Example e : examples) {
      posts.add(post(slug, author, "example " + e));
    }
    for (int k = 0; k < examples.size(); k++) {
      Example e = examples.get(k);
      String postId = posts.get(k).id();
      int next = 0;
      Post last = null;
      for (int i = 0; i < e.plusFives(); i++) {
        last = rate(slug, raters.get(next++), postId, 5);
      }
      for (int i = 0; i < e.minusFives(); i++) {
        last = rate(slug, raters.get(next++), postId, -5);
      }
      for (int i = 0; i < e.plusFours(); i++) {
        last = rate(slug, raters.get(next++), postId, 4);
      }
      assertThat(last.score()).as("score of %s", e).isCloseTo(e.score(), within(0.005));
      assertThat(last.divergence()).as("divergence of %s", e).isCloseTo(e.divergence(), within(0.005));
      assertThat(last.status()).as("status of %s", e).isEqualTo(e.status());
      assertThat(last.ratings()).isEqualTo(next);
      assertThat(storedPost(slug, postId)).isEqualTo(last.withMine(null));
    }
  }

  // ---------------------------------------------------------------- events

  @Test
  void everyAppliedChangeIsOneEventWithTheNextSeqOnTheOwnerLoop() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    String cy = joinId(slug);
    Post p1 = post(slug, ada, "one");
    Post p2 = post(slug, bob, "two");
    rate(slug, bob, p1.id(), 5);
    rate(slug, cy, p1.id(), -1);
    rate(slug, cy, p1.id(), 2);
    rate(slug, cy, p1.id(), null);
    rate(slug, ada, p2.id(), 3);
    await(store.mark(slug, p1.id(), Mark.HIGHLIGHTED, true));
    await(store.mark(slug, p2.id(), Mark.HIGHLIGHTED, true));
    await(store.mark(slug, p1.id(), Mark.HIDDEN, true));
    await(store.ban(slug, bob));
    await(store.close(slug));
    long expected = 12;

    assertThat(seq(slug)).isEqualTo(expected);
    awaitEvent(slug, expected);
    List<Delivery> delivered = events.of(slug);
    assertThat(delivered).extracting(d -> d.event().seq())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
    assertThat(delivered).allSatisfy(d -> {
      assertThat(d.onOwner()).as("event %d delivered on the room's owner loop", d.event().seq()).isTrue();
      assertThat(d.event().room()).isEqualTo(slug);
    });
  }

  @Test
  void eventsOfOneRoomNeverReachAnother() {
    String first = room();
    String second = room();
    post(first, joinId(first), "only in the first room");

    assertThat(seq(second)).isZero();
    assertThat(events.of(second)).isEmpty();
  }

  // ---------------------------------------------------------------- mark

  @Test
  void marksSetTheStatus() {
    String slug = room();
    Post post = post(slug, joinId(slug), "mark me");

    for (Mark mark : List.of(Mark.ANSWERED, Mark.HIGHLIGHTED, Mark.VISIBLE, Mark.HIDDEN, Mark.ANSWERED)) {
      Applied<Post> applied = applied(slug, () -> store.mark(slug, post.id(), mark, true));
      PostStatus expected = PostStatus.valueOf(mark.name());
      assertThat(applied.result().status()).as("after %s", mark).isEqualTo(expected);
      assertThat(applied.event().posts()).extracting(Post::id, Post::status).containsExactly(
          tuple(post.id(), expected));
      assertThat(onlyPost(slug).status()).isEqualTo(expected);
    }
  }

  @Test
  void highlightingAnotherPostTurnsThePreviousBackToVisibleInOneEvent() {
    String slug = room();
    String ada = joinId(slug);
    Post a = post(slug, ada, "A");
    Post b = post(slug, ada, "B");
    await(store.mark(slug, a.id(), Mark.HIGHLIGHTED, true));

    Applied<Post> applied = applied(slug, () -> store.mark(slug, b.id(), Mark.HIGHLIGHTED, true));

    assertThat(applied.result().status()).isEqualTo(PostStatus.HIGHLIGHTED);
    assertThat(applied.event().posts()).extracting(Post::id, Post::status).containsExactlyInAnyOrder(
        tuple(a.id(), PostStatus.VISIBLE),
        tuple(b.id(), PostStatus.HIGHLIGHTED));
    assertThat(await(store.load(slug)).posts()).extracting(Post::status)
        .containsExactly(PostStatus.VISIBLE, PostStatus.HIGHLIGHTED);
  }

  @Test
  void highlightingAfterTheHighlightedPostWasHiddenLeavesItHidden() {
    String slug = room();
    String ada = joinId(slug);
    Post a = post(slug, ada, "A");
    Post b = post(slug, ada, "B");
    await(store.mark(slug, a.id(), Mark.HIGHLIGHTED, true));
    await(store.mark(slug, a.id(), Mark.HIDDEN, true));

    Applied<Post> applied = applied(slug, () -> store.mark(slug, b.id(), Mark.HIGHLIGHTED, true));

    assertThat(applied.event().posts()).extracting(Post::id).containsExactly(b.id());
    assertThat(await(store.load(slug)).posts()).extracting(Post::status)
        .containsExactly(PostStatus.HIDDEN, PostStatus.HIGHLIGHTED);
  }

  @Test
  void markingVisibleLeavesAComputedCollapseInForce() {
    String slug = room();
    String ada = joinId(slug);
    Post post = post(slug, ada, "unpopular");
    Post last = null;
    for (int i = 0; i < 5; i++) {
      last = rate(slug, joinId(slug), post.id(), -5);
    }
    assertThat(last.status()).isEqualTo(PostStatus.COLLAPSED);

    assertThat(await(store.mark(slug, post.id(), Mark.ANSWERED, true)).status()).isEqualTo(PostStatus.ANSWERED);
    Applied<Post> back = applied(slug, () -> store.mark(slug, post.id(), Mark.VISIBLE, true));

    assertThat(back.result().status()).isEqualTo(PostStatus.COLLAPSED);
    assertThat(back.event().posts()).extracting(Post::status).containsExactly(PostStatus.COLLAPSED);
    assertThat(onlyPost(slug).status()).isEqualTo(PostStatus.COLLAPSED);
  }

  @Test
  void theSameMarkAgainChangesNothing() {
    String slug = room();
    Post post = post(slug, joinId(slug), "mark me");

    // a fresh post is already visible
    assertThat(noChange(slug, () -> store.mark(slug, post.id(), Mark.VISIBLE, true)).status()).isEqualTo(PostStatus.VISIBLE);
    for (Mark mark : List.of(Mark.ANSWERED, Mark.HIGHLIGHTED, Mark.HIDDEN)) {
      await(store.mark(slug, post.id(), mark, true));
      Post again = noChange(slug, () -> store.mark(slug, post.id(), mark, true));
      assertThat(again.status()).isEqualTo(PostStatus.valueOf(mark.name()));
    }
  }

  @Test
  void speakersMayNeitherHideNorUnhideAPost() {
    String slug = room();
    Post post = post(slug, joinId(slug), "keep me");
    noChange(slug, () -> store.mark(slug, post.id(), Mark.HIDDEN, false), ErrorCode.FORBIDDEN);
    await(store.mark(slug, post.id(), Mark.HIDDEN, true));
    noChange(slug, () -> store.mark(slug, post.id(), Mark.VISIBLE, false), ErrorCode.FORBIDDEN);
    noChange(slug, () -> store.mark(slug, post.id(), Mark.ANSWERED, false), ErrorCode.FORBIDDEN);
    assertThat(await(store.mark(slug, post.id(), Mark.VISIBLE, true)).status()).isEqualTo(PostStatus.VISIBLE);
    assertThat(await(store.mark(slug, post.id(), Mark.ANSWERED, false)).status()).isEqualTo(PostStatus.ANSWERED);
  }

  @Test
  void markingAnUnknownPostIsNotFound() {
    String slug = room();
    noChange(slug, () -> store.mark(slug, "p-unknown", Mark.ANSWERED, true), ErrorCode.NOT_FOUND);
  }

  @Test
  void hiddenPostLeavesListingsAndTheCountButStaysLoadable() {
    String slug = room();
    String ada = joinId(slug);
    Post kept = post(slug, ada, "kept");
    Post hidden = post(slug, ada, "offensive");

    Applied<Post> applied = applied(slug, () -> store.mark(slug, hidden.id(), Mark.HIDDEN, true));

    assertThat(applied.result().status()).isEqualTo(PostStatus.HIDDEN);
    // the store keeps the text: only what participants are sent is redacted
    assertThat(applied.event().posts()).extracting(Post::text).containsExactly("offensive");
    for (PostOrder order : PostOrder.values()) {
      assertThat(await(store.list(slug, order, 50))).as("%s listing", order).extracting(Post::id)
          .doesNotContain(hidden.id());
    }
    assertThat(await(store.list(slug, PostOrder.NEW, 50))).extracting(Post::id).containsExactly(kept.id());
    assertThat(await(store.room(slug)).posts()).isEqualTo(1);
    assertThat(await(store.load(slug)).posts()).extracting(Post::id).containsExactly(kept.id(), hidden.id());

    await(store.mark(slug, hidden.id(), Mark.VISIBLE, true));
    assertThat(await(store.room(slug)).posts()).isEqualTo(2);
    assertThat(await(store.list(slug, PostOrder.NEW, 50))).extracting(Post::id).containsExactly(hidden.id(), kept.id());
  }

  // ---------------------------------------------------------------- ban

  @Test
  void banRecomputesEveryPostTheBannedParticipantRatedInOneEvent() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    String mallory = joinId(slug);
    String cy = joinId(slug);
    Post p1 = post(slug, ada, "one");
    Post p2 = post(slug, bob, "two");
    Post untouched = post(slug, ada, "three");
    rate(slug, mallory, p1.id(), 5);
    rate(slug, mallory, p2.id(), -3);
    rate(slug, cy, p1.id(), 1);
    rate(slug, cy, untouched.id(), 2);

    Applied<Void> applied = applied(slug, () -> store.ban(slug, mallory));

    RoomEvent event = applied.event();
    assertThat(event.banned()).containsExactly(mallory);
    assertThat(event.closed()).isFalse();
    assertThat(event.posts()).extracting(Post::id).containsExactlyInAnyOrder(p1.id(), p2.id());
    Post p1After = find(event.posts(), p1.id());
    Post p2After = find(event.posts(), p2.id());
    assertThat(p1After.ratings()).isEqualTo(1);
    assertThat(p1After.score()).isCloseTo(1.0 / 3, within(1e-3));
    assertThat(p2After.ratings()).isZero();
    assertThat(p2After.score()).isZero();
    // authors' karma as if Mallory had never rated: Ada keeps Cy's +1 and +2, Bob nothing
    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(0.6, within(1e-9));
    assertThat(await(store.participant(slug, bob)).karma()).isCloseTo(0.0, within(1e-9));
    assertThat(await(store.participant(slug, mallory)).banned()).isTrue();
    RoomState state = await(store.load(slug));
    assertThat(find(state.posts(), p1.id())).isEqualTo(p1After);
    assertThat(find(state.posts(), p2.id())).isEqualTo(p2After);
    assertThat(await(store.export(slug)).ratings()).extracting(RoomExport.ExportedRating::participant)
        .doesNotContain(mallory);
  }

  @Test
  void banRestoresKarmaExactlyEvenForAWeightedRater() {
    String slug = room();
    String ada = joinId(slug);
    String cy = joinId(slug);
    String trusted = withKarmaOne(slug);
    Post post = post(slug, ada, "rated by a weighty rater");
    rate(slug, cy, post.id(), 2);
    double before = await(store.participant(slug, ada)).karma();
    Post scoreBefore = storedPost(slug, post.id());
    rate(slug, trusted, post.id(), 5);

    await(store.ban(slug, trusted));

    assertThat(await(store.participant(slug, ada)).karma()).isCloseTo(before, within(1e-9));
    Post after = storedPost(slug, post.id());
    assertThat(after.score()).isCloseTo(scoreBefore.score(), within(1e-9));
    assertThat(after.divergence()).isCloseTo(scoreBefore.divergence(), within(1e-9));
    assertThat(after.ratings()).isEqualTo(1);
  }

  @Test
  void banEventShowsEachAuthorsFinalKarmaOnEveryPost() {
    String slug = room();
    String ada = joinId(slug);
    String mallory = joinId(slug);
    String cy = joinId(slug);
    Post p1 = post(slug, ada, "one");
    Post p2 = post(slug, ada, "two");
    rate(slug, mallory, p1.id(), 5);
    rate(slug, mallory, p2.id(), 5);
    rate(slug, cy, p1.id(), 1);

    RoomEvent event = applied(slug, () -> store.ban(slug, mallory)).event();

    // the ban is one atomic change: no post of it may show a karma halfway through it
    double karma = await(store.participant(slug, ada)).karma();
    assertThat(karma).isCloseTo(0.2, within(1e-9));
    assertThat(event.posts()).hasSize(2).allSatisfy(p ->
        assertThat(p.author().karma()).as("author karma on %s", p.id()).isCloseTo(karma, within(1e-9)));
  }

  @Test
  void banOfAParticipantWhoRatedNothingIsStillOneEvent() {
    String slug = room();
    String quiet = joinId(slug);

    RoomEvent event = applied(slug, () -> store.ban(slug, quiet)).event();

    assertThat(event.banned()).containsExactly(quiet);
    assertThat(event.posts()).isEmpty();
  }

  @Test
  void banOfAnUnknownParticipantIsNotFound() {
    String slug = room();
    noChange(slug, () -> store.ban(slug, "no-such-participant"), ErrorCode.NOT_FOUND);
  }

  @Test
  void secondBanChangesNothing() {
    String slug = room();
    String mallory = joinId(slug);
    await(store.ban(slug, mallory));

    noChange(slug, () -> store.ban(slug, mallory));
    assertThat(await(store.participant(slug, mallory)).banned()).isTrue();
  }

  // ---------------------------------------------------------------- close

  @Test
  void closeTurnsTheRoomReadOnlyWithOneEvent() {
    String slug = room();
    post(slug, joinId(slug), "last words");

    RoomEvent event = applied(slug, () -> store.close(slug)).event();

    assertThat(event.closed()).isTrue();
    assertThat(event.banned()).isEmpty();
    assertThat(await(store.room(slug)).status()).isEqualTo(RoomStatus.CLOSED);
    assertThat(await(store.load(slug)).room().status()).isEqualTo(RoomStatus.CLOSED);
    // a closed room stays readable
    assertThat(await(store.list(slug, PostOrder.NEW, 10))).hasSize(1);
  }

  @Test
  void secondCloseChangesNothing() {
    String slug = room();
    await(store.close(slug));
    noChange(slug, () -> store.close(slug));
    assertThat(await(store.room(slug)).status()).isEqualTo(RoomStatus.CLOSED);
  }

  // ---------------------------------------------------------------- load

  @Test
  void loadHoldsTheRoomItsSeqAndEveryPostOldestFirst() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post p1 = post(slug, ada, "first");
    Post p2 = post(slug, bob, "second");
    Post p3 = post(slug, ada, "third");
    rate(slug, bob, p1.id(), 5);
    await(store.mark(slug, p2.id(), Mark.HIDDEN, true));
    long last = seq(slug);
    RoomEvent lastEvent = awaitEvent(slug, last);

    RoomState state = await(store.load(slug));

    assertThat(state.seq()).isEqualTo(lastEvent.seq()).isEqualTo(5);
    assertThat(state.room().slug()).isEqualTo(slug);
    assertThat(state.room().posts()).isEqualTo(2);
    assertThat(state.posts()).extracting(Post::id).containsExactly(p1.id(), p2.id(), p3.id());
    assertThat(state.posts()).extracting(Post::status)
        .containsExactly(PostStatus.VISIBLE, PostStatus.HIDDEN, PostStatus.VISIBLE);
    assertThat(state.posts()).allSatisfy(p -> assertThat(p.mine()).isNull());
    assertThat(state.posts().get(0).ratings()).isEqualTo(1);
    assertThat(state.posts().get(1).text()).isEqualTo("second");
  }

  // ---------------------------------------------------------------- history

  @Test
  void historyAtTheCurrentSeqResumesWithNothing() {
    String slug = room();
    String ada = joinId(slug);
    post(slug, ada, "one");
    post(slug, ada, "two");

    History history = await(store.history(slug, 2));

    assertThat(history.resumed()).isTrue();
    assertThat(history.seq()).isEqualTo(2);
    assertThat(history.events()).isEmpty();
  }

  @Test
  void historyOfAFreshRoomResumesFromZero() {
    String slug = room();
    History history = await(store.history(slug, 0));
    assertThat(history.resumed()).isTrue();
    assertThat(history.seq()).isZero();
    assertThat(history.events()).isEmpty();
  }

  @Test
  void historyWithinHeldEventsResumesWithExactlyTheEventsAfterSince() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post p1 = post(slug, ada, "one");
    rate(slug, bob, p1.id(), 5);
    post(slug, bob, "two");
    await(store.mark(slug, p1.id(), Mark.ANSWERED, true));
    await(store.ban(slug, bob));
    await(store.close(slug));
    awaitEvent(slug, 6);

    for (long since = 0; since <= 6; since++) {
      History history = await(store.history(slug, since));
      assertThat(history.resumed()).as("since %d", since).isTrue();
      assertThat(history.seq()).isEqualTo(6);
      long from = since;
      List<RoomEvent> expected = events.of(slug).stream().map(Delivery::event).filter(e -> e.seq() > from).toList();
      assertThat(history.events()).extracting(RoomEvent::seq)
          .containsExactlyElementsOf(expected.stream().map(RoomEvent::seq).toList());
      for (int i = 0; i < expected.size(); i++) {
        RoomEvent held = history.events().get(i);
        RoomEvent published = expected.get(i);
        assertThat(held.room()).isEqualTo(slug);
        assertThat(held.closed()).isEqualTo(published.closed());
        assertThat(held.banned()).isEqualTo(published.banned());
        assertThat(held.rating()).isEqualTo(published.rating());
        assertThat(held.posts()).extracting(Post::id, Post::status, Post::ratings)
            .containsExactlyElementsOf(published.posts().stream()
                .map(p -> tuple(p.id(), p.status(), p.ratings())).toList());
      }
    }
  }

  @Test
  void historyAboveTheCurrentSeqIsNotResumed() {
    String slug = room();
    post(slug, joinId(slug), "one");

    History history = await(store.history(slug, 7));

    assertThat(history.resumed()).isFalse();
    assertThat(history.seq()).isEqualTo(1);
    assertThat(history.events()).isEmpty();
  }

  @Test
  void historyOlderThanWhatIsHeldIsNotResumed() {
    int limit = 3;
    Store small = engine(limit);
    String slug = freshSlug();
    await(small.createRoom(roomSpec(slug)));
    await(small.follow(slug));
    String ada = await(small.join(slug, "Ada", nextNetwork())).id();
    int changes = 5 * limit + 5;
    for (int i = 0; i < changes; i++) {
      await(small.post(slug, ada, cid(), "post " + i, null));
    }
    assertThat(await(small.load(slug)).seq()).isEqualTo(changes);

    History gone = await(small.history(slug, 0));
    assertThat(gone.resumed()).isFalse();
    assertThat(gone.seq()).isEqualTo(changes);
    assertThat(gone.events()).isEmpty();
    assertThat(await(small.history(slug, 1)).resumed()).isFalse();

    History recent = await(small.history(slug, changes - limit));
    assertThat(recent.resumed()).isTrue();
    assertThat(recent.events()).extracting(RoomEvent::seq)
        .containsExactly((long) changes - 2, (long) changes - 1, (long) changes);
  }

  // ---------------------------------------------------------------- ratingsOf

  @Test
  void ratingsOfHoldsTheCurrentValuesByPost() {
    String slug = room();
    String ada = joinId(slug);
    String bob = joinId(slug);
    Post p1 = post(slug, ada, "one");
    Post p2 = post(slug, ada, "two");
    Post p3 = post(slug, ada, "three");
    post(slug, ada, "four, never rated");
    rate(slug, bob, p1.id(), 3);
    rate(slug, bob, p2.id(), -2);
    rate(slug, bob, p3.id(), 1);
    rate(slug, bob, p3.id(), null);
    rate(slug, bob, p2.id(), 4);

    assertThat(await(store.ratingsOf(slug, bob))).containsOnly(Map.entry(p1.id(), 3), Map.entry(p2.id(), 4));
    assertThat(await(store.ratingsOf(slug, ada))).isEmpty();
  }

  // ---------------------------------------------------------------- list

  @Test
  void listOrdersTopByScoreNewestFirstOnTies() {
    String slug = room();
    Fixture f = rankedRoom(slug);

    assertThat(await(store.list(slug, PostOrder.TOP, 50))).extracting(Post::id)
        .containsExactly(f.p1(), f.p2(), f.p5(), f.p4(), f.p3());
    assertThat(await(store.list(slug, PostOrder.TOP, 2))).extracting(Post::id).containsExactly(f.p1(), f.p2());
  }

  @Test
  void listOrdersDivergentByDivergenceAmongPostsWithThreeRatings() {
    String slug = room();
    Fixture f = rankedRoom(slug);

    List<Post> divergent = await(store.list(slug, PostOrder.DIVERGENT, 50));

    // p3 (+5, -5) splits the room but has only two ratings; p5 has none
    assertThat(divergent).extracting(Post::id).containsExactly(f.p4(), f.p2(), f.p1());
    assertThat(divergent).allSatisfy(p -> assertThat(p.ratings()).isGreaterThanOrEqualTo(3));
    assertThat(await(store.list(slug, PostOrder.DIVERGENT, 1))).extracting(Post::id).containsExactly(f.p4());
  }

  @Test
  void listOrdersNewNewestFirst() {
    String slug = room();
    Fixture f = rankedRoom(slug);

    assertThat(await(store.list(slug, PostOrder.NEW, 50))).extracting(Post::id)
        .containsExactly(f.p5(), f.p4(), f.p3(), f.p2(), f.p1());
    assertThat(await(store.list(slug, PostOrder.NEW, 3))).extracting(Post::id).containsExactly(f.p5(), f.p4(), f.p3());
  }

  @Test
  void listNeverShowsHiddenPostsAndFollowsChanges() {
    String slug = room();
    Fixture f = rankedRoom(slug);
    await(store.mark(slug, f.p1(), Mark.HIDDEN, true));
    await(store.mark(slug, f.p4(), Mark.HIDDEN, true));

    assertThat(await(store.list(slug, PostOrder.TOP, 50))).extracting(Post::id)
        .containsExactly(f.p2(), f.p5(), f.p3());
    assertThat(await(store.list(slug, PostOrder.DIVERGENT, 50))).extracting(Post::id).containsExactly(f.p2());
    assertThat(await(store.list(slug, PostOrder.NEW, 50))).extracting(Post::id).containsExactly(f.p5(), f.p3(), f.p2());

    // a rating moves a post in the orders: p3 gets a third rating, +5, and climbs
    rate(slug, f.raters().get(2), f.p3(), 5);
    assertThat(await(store.list(slug, PostOrder.TOP, 1))).extracting(Post::id).containsExactly(f.p3());
    assertThat(await(store.list(slug, PostOrder.DIVERGENT, 50))).extracting(Post::id).contains(f.p3());
    // listed posts are the stored states
    assertThat(await(store.list(slug, PostOrder.TOP, 1)).get(0)).isEqualTo(storedPost(slug, f.p3()));
  }

  // ---------------------------------------------------------------- export

  @Test
  void exportHoldsEveryPostEveryCurrentRatingAndEveryParticipant() {
    String slug = room();
    Participant ada = await(store.join(slug, "Ada", nextNetwork()));
    Participant bob = await(store.join(slug, "Bob", nextNetwork()));
    Participant anonymous = await(store.join(slug, null, nextNetwork()));
    Post p1 = post(slug, ada.id(), "one");
    Post p2 = post(slug, bob.id(), "two");
    rate(slug, bob.id(), p1.id(), 5);
    rate(slug, anonymous.id(), p1.id(), -1);
    rate(slug, anonymous.id(), p2.id(), 2);
    rate(slug, anonymous.id(), p2.id(), null);
    rate(slug, ada.id(), p2.id(), 3);
    rate(slug, ada.id(), p2.id(), 4);
    await(store.mark(slug, p2.id(), Mark.HIDDEN, true));

    RoomExport export = await(store.export(slug));

    assertThat(export.room().slug()).isEqualTo(slug);
    assertThat(export.posts()).extracting(Post::id).containsExactlyInAnyOrder(p1.id(), p2.id());
    assertThat(find(export.posts(), p2.id()).status()).isEqualTo(PostStatus.HIDDEN);
    assertThat(find(export.posts(), p2.id()).text()).isEqualTo("two");
    assertThat(export.ratings())
        .extracting(RoomExport.ExportedRating::post, RoomExport.ExportedRating::participant, RoomExport.ExportedRating::value)
        .containsExactlyInAnyOrder(
            tuple(p1.id(), bob.id(), 5),
            tuple(p1.id(), anonymous.id(), -1),
            tuple(p2.id(), ada.id(), 4));
    // Ada rated after her post had earned 0.8 karma, so her rating weighs w(0.8); the others are newcomers
    double adasWeight = 1 + 0.5 * Math.log1p(0.8 / 5);
    assertThat(export.ratings()).allSatisfy(r -> {
      assertThat(r.weight()).isCloseTo(r.participant().equals(ada.id()) ? adasWeight : 1.0, within(1e-3));
      assertThat(r.at()).isNotNull();
    });
    assertThat(export.participants()).extracting(Participant::id, Participant::nick)
        .containsExactlyInAnyOrder(
            tuple(ada.id(), "Ada"),
            tuple(bob.id(), "Bob"),
            tuple(anonymous.id(), null));
    Map<String, Double> karma = new HashMap<>();
    export.participants().forEach(p -> karma.put(p.id(), p.karma()));
    assertThat(karma.get(ada.id())).isCloseTo(0.8, within(1e-9)); // +5 -1
    assertThat(karma.get(bob.id())).isCloseTo(4 * adasWeight / 5, within(1e-3)); // Ada's +4
    assertThat(karma.get(anonymous.id())).isCloseTo(0.0, within(1e-9));
  }

  // ---------------------------------------------------------------- ping

  @Test
  void pingSucceeds() {
    assertThat(store.ping().toCompletionStage().toCompletableFuture()).succeedsWithin(TIMEOUT);
  }

  // ================================================================ helpers

  /** A delivered event and whether it arrived on the room's owner loop. */
  private record Delivery(RoomEvent event, boolean onOwner) {}

  /** What a command answered and the one event it published. */
  private record Applied<T>(T result, RoomEvent event) {}

  /** The posts of {@link #rankedRoom} and raters who have not rated p3 yet (index 2 onwards). */
  private record Fixture(String p1, String p2, String p3, String p4, String p5, List<String> raters) {}

  /** Records every event, thread-safely, with whether it came on the owner loop of its room. */
  private static final class Recorder implements RoomEvents {
    private final RoomLoops loops;
    private final List<Delivery> delivered = new ArrayList<>();

    Recorder(RoomLoops loops) {
      this.loops = loops;
    }

    @Override
    public void onEvent(RoomEvent event) {
      boolean onOwner = Vertx.currentContext() == loops.owner(event.room());
      synchronized (this) {
        delivered.add(new Delivery(event, onOwner));
        notifyAll();
      }
    }

    synchronized List<Delivery> of(String slug) {
      return delivered.stream().filter(d -> d.event().room().equals(slug)).toList();
    }

    synchronized Delivery await(String slug, long seq) {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        for (Delivery d : delivered) {
          if (d.event().room().equals(slug) && d.event().seq() == seq) {
            return d;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no event " + seq + " of room " + slug + " within " + TIMEOUT);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /**
   * Five posts by a newcomer, then ratings by newcomers: p1 three +5 (score 3, divergence 0), p2
   * +5 -5 +5, p3 +5 -5, p4 +5 -5 +5 -5 (scores 1, 0, 0; divergences 0.47, 0.40, 0.57), p5 none.
   */
  private Fixture rankedRoom(String slug) {
    String author = joinId(slug);
    String p1 = post(slug, author, "p1").id();
    String p2 = post(slug, author, "p2").id();
    String p3 = post(slug, author, "p3").id();
    String p4 = post(slug, author, "p4").id();
    String p5 = post(slug, author, "p5").id();
    List<String> raters = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      raters.add(joinId(slug));
    }
    rateAll(slug, p1, raters, 5, 5, 5);
    rateAll(slug, p2, raters, 5, -5, 5);
    rateAll(slug, p3, raters, 5, -5);
    rateAll(slug, p4, raters, 5, -5, 5, -5);
    return new Fixture(p1, p2, p3, p4, p5, raters);
  }

  private void rateAll(String slug, String postId, List<String> raters, int... values) {
    for (int i = 0; i < values.length; i++) {
      rate(slug, raters.get(i), postId, values[i]);
    }
  }

  /** A participant with karma exactly 1: a newcomer rated their post +5. */
  private String withKarmaOne(String slug) {
    String trusted = joinId(slug);
    Post theirs = post(slug, trusted, "earns karma");
    rate(slug, joinId(slug), theirs.id(), 5);
    assertThat(await(store.participant(slug, trusted)).karma()).isCloseTo(1.0, within(1e-9));
    return trusted;
  }

  /** Builds an engine that {@link #stopEngine} closes. */
  private Store engine(int historyLimit) {
    Store s = createStore(vertx, loops, events, historyLimit);
    engines.add(s);
    return s;
  }

  /** Runs a command that must apply exactly one change; returns its answer and its event. */
  private <T> Applied<T> applied(String slug, Supplier<Future<T>> command) {
    long before = seq(slug);
    T result = await(command.get());
    RoomEvent event = awaitEvent(slug, before + 1);
    assertThat(seq(slug)).as("seq after one applied change").isEqualTo(before + 1);
    assertThat(events.of(slug)).as("events published for one change")
        .filteredOn(d -> d.event().seq() > before).hasSize(1);
    return new Applied<>(result, event);
  }

  /** Runs a command that must succeed without applying any change. */
  private <T> T noChange(String slug, Supplier<Future<T>> command) {
    long before = seq(slug);
    T result = await(command.get());
    assertUnchanged(slug, before);
    return result;
  }

  /** Runs a command that must be refused with {@code code} without applying any change. */
  private void noChange(String slug, Supplier<Future<?>> command, ErrorCode code) {
    long before = seq(slug);
    assertFails(code, command.get());
    assertUnchanged(slug, before);
  }

  private void assertUnchanged(String slug, long before) {
    assertThat(seq(slug)).as("seq after a command that must change nothing").isEqualTo(before);
    assertThat(events.of(slug)).as("events after a command that must change nothing")
        .filteredOn(d -> d.event().seq() > before).isEmpty();
  }

  private RoomEvent awaitEvent(String slug, long seq) {
    Delivery d = events.await(slug, seq);
    assertThat(d.onOwner()).as("event %d delivered on the room's owner loop", seq).isTrue();
    return d.event();
  }

  private long seq(String slug) {
    return await(store.load(slug)).seq();
  }

  /** A new room that this node follows, as a node with sockets in it would. */
  private String room() {
    String slug = freshSlug();
    await(store.createRoom(roomSpec(slug)));
    await(store.follow(slug));
    return slug;
  }

  /** A network of its own for each call: ordinary participants never share one. */
  static String nextNetwork() {
    long n = NETWORKS.incrementAndGet();
    return "10." + (n / 256 % 256) + "." + (n % 256) + ".0/24";
  }

  private String joinId(String slug) {
    return await(store.join(slug, null, nextNetwork())).id();
  }

  private Post post(String slug, String participantId, String text) {
    return post(slug, participantId, text, null);
  }

  private Post post(String slug, String participantId, String text, String replyTo) {
    return post(slug, participantId, text, replyTo, cid());
  }

  private Post post(String slug, String participantId, String text, String replyTo, String cid) {
    return await(store.post(slug, participantId, cid, text, replyTo));
  }

  private Post rate(String slug, String participantId, String postId, Integer value) {
    return await(store.rate(slug, participantId, cid(), postId, value));
  }

  private Post onlyPost(String slug) {
    List<Post> posts = await(store.load(slug)).posts();
    assertThat(posts).hasSize(1);
    return posts.get(0);
  }

  private Post storedPost(String slug, String postId) {
    return find(await(store.load(slug)).posts(), postId);
  }

  private static Post find(List<Post> posts, String id) {
    return posts.stream().filter(p -> p.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no post " + id + " in " + posts));
  }

  /** A slug no other test, run or engine user has: a counter for this JVM plus 64 random bits. */
  private static String freshSlug() {
    return "conf-" + ROOMS.incrementAndGet() + "-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }

  private static NewRoom roomSpec(String slug) {
    return new NewRoom(slug, "#" + slug, "Talk " + slug, sha256("speaker-" + RANDOM.nextLong()),
        sha256("moderator-" + RANDOM.nextLong()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String cid() {
    return "c" + CIDS.incrementAndGet();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("store call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("store call did not complete within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertFails(ErrorCode code, Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      fail("expected failure %s but the call answered %s", code, value);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(Failure.class);
      assertThat(((Failure) e.getCause()).code()).isEqualTo(code);
    } catch (TimeoutException e) {
      throw new AssertionError("store call did not complete within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
