package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestServer.Response;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may join (PROTOCOL.md v2, access) and the room settings it is chosen with, over real HTTP:
 * room codes, invitations, the sign-in-only room, the export's {@code verified}, the audit log, and
 * that no code or invitation leaks into logs or error messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTest {

  private static final AtomicInteger ROOMS = new AtomicInteger();
  private static final AtomicInteger NETWORKS = new AtomicInteger();

  private Vertx vertx;
  private TestServer server;
  private final List<String> logs = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startServer() {
    vertx = Vertx.vertx();
    // Behind a trusted proxy (this test), each test's joins come from networks of their own.
    server = TestServer.start(vertx, new EventLog("json", Clock.systemUTC(), logs::add),
        "--trusted-proxies=127.0.0.1", "--joins-per-minute=100000");
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    TestServer.await(vertx.close());
  }

  // ---------------------------------------------------------------- settings

  @Test
  void organizerAndModeratorChangeSettingsAndSpeakersCannot() {
    JsonObject room = room();
    String slug = room.getString("slug");

    Response byOrganizer = patch(slug, server.organizerKey(), new JsonObject().put("title", "Day two").put("review", true));
    Response byModerator = patch(slug, room.getString("moderatorKey"), new JsonObject().put("language", "de-de"));
    Response bySpeaker = patch(slug, room.getString("speakerKey"), new JsonObject().put("review", false));
    Response byNobody = patch(slug, null, new JsonObject().put("review", false));

    assertThat(byOrganizer.status()).isEqualTo(200);
    assertThat(byOrganizer.json().getString("title")).isEqualTo("Day two");
    assertThat(byOrganizer.json().getJsonObject("settings").getBoolean("review")).isTrue();
    assertThat(byModerator.status()).isEqualTo(200);
    assertThat(byModerator.json().getString("language")).isEqualTo("de-DE");
    assertThat(byModerator.json().getJsonObject("settings").getBoolean("review")).as("merged, not replaced").isTrue();
    assertThat(bySpeaker.status()).isEqualTo(403);
    assertThat(bySpeaker.errorCode()).isEqualTo("forbidden");
    assertThat(byNobody.status()).isEqualTo(401);

    JsonObject audit = get("/api/rooms/" + slug + "/audit", room.getString("moderatorKey")).json();
    assertThat(audit.getJsonArray("entries")).extracting(e -> ((JsonObject) e).getString("role") + " "
        + ((JsonObject) e).getString("action") + " " + ((JsonObject) e).getString("detail"))
        .containsExactly("organizer settings title,review", "moderator settings language");
  }

  @Test
  void badSettingValuesAreInvalidAndChangeNothing() {
    JsonObject room = room();
    String slug = room.getString("slug");
    String key = server.organizerKey();
    for (JsonObject bad : List.of(new JsonObject().put("access", "everyone"),
        new JsonObject().put("review", "yes"), new JsonObject().put("language", "not a language"),
        new JsonObject().put("joinCode", "abc"), new JsonObject().put("joinCode", "WAY-TOO-LONG-CODE"),
        new JsonObject().put("venueNetworks", new JsonArray().add("not-an-address")),
        new JsonObject().put("unverifiedWeight", 1.5), new JsonObject().put("blockedWords", "spam"),
        new JsonObject().put("access", "signin"), new JsonObject().put("title", ""),
        new JsonObject().put("review", true).put("access", "nobody"))) {
      Response r = patch(slug, key, bad);
      assertThat(r.status()).as("PATCH %s", bad).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("invalid");
    }
    JsonObject settings = get("/api/rooms/" + slug, key).json().getJsonObject("settings");
    assertThat(settings.getBoolean("review")).isFalse();
    assertThat(settings.getString("access")).isEqualTo("open");
  }

  @Test
  void thePublicRoomShowsAccessButNeverTheSettingsOrTheCode() {
    JsonObject room = room(new JsonObject().put("access", "code"));
    String slug = room.getString("slug");
    String code = room.getJsonObject("settings").getString("joinCode");

    Response anyone = get("/api/rooms/" + slug, null);
    Response speaker = get("/api/rooms/" + slug, room.getString("speakerKey"));

    assertThat(code).matches("[A-Z0-9]{6,12}");
    assertThat(anyone.json().getString("access")).isEqualTo("code");
    assertThat(anyone.json().getString("language")).isEqualTo("en");
    assertThat(anyone.json().containsKey("settings")).isFalse();
    assertThat(anyone.body()).doesNotContain(code);
    assertThat(speaker.json().getJsonObject("settings").getString("joinCode")).as("the stage screen shows it")
        .isEqualTo(code);
  }

  @Test
  void socketsHearOfATitleChange() {
    JsonObject room = room();
    String slug = room.getString("slug");
    try (TestSocket socket = server.socket()) {
      socket.helloToken(slug, server.join(slug, "Ada").getString("token"));

      patch(slug, server.organizerKey(), new JsonObject().put("title", "After lunch").put("review", true));

      JsonObject frame = socket.next("room");
      assertThat(frame.getString("title")).isEqualTo("After lunch");
      assertThat(frame.containsKey("review")).as("only public fields").isFalse();
    }
  }

  // ---------------------------------------------------------------- access: code

  @Test
  void aCodeRoomLetsInWhoeverTypesItsCodeInAnyCase() {
    JsonObject room = room(new JsonObject().put("access", "code"));
    String slug = room.getString("slug");
    String code = room.getJsonObject("settings").getString("joinCode");
    String network = network();

    Response none = join(slug, new JsonObject(), network);
    Response wrong = join(slug, new JsonObject().put("code", "WRONG123"), network);
    Response right = join(slug, new JsonObject().put("nick", "Ada").put("code", code.toLowerCase()), network);

    assertThat(none.status()).isEqualTo(403);
    assertThat(none.errorCode()).isEqualTo("forbidden");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.body()).doesNotContain("WRONG123").doesNotContain(code);
    assertThat(right.status()).isEqualTo(201);
    assertThat(right.json().getJsonObject("participant").getString("nick")).isEqualTo("Ada");
  }

  @Test
  void tenWrongCodesFromOneNetworkWithinAMinuteAreRateLimitedThere() {
    JsonObject room = room(new JsonObject().put("access", "code"));
    String slug = room.getString("slug");
    String code = room.getJsonObject("settings").getString("joinCode");
    String guesser = network();
    for (int i = 0; i < 10; i++) {
      assertThat(join(slug, new JsonObject().put("code", "GUESS" + i + "X"), guesser).status()).isEqualTo(403);
    }

    Response locked = join(slug, new JsonObject().put("code", code), guesser);
    Response elsewhere = join(slug, new JsonObject().put("code", code), network());

    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.errorCode()).isEqualTo("rate_limited");
    assertThat(elsewhere.status()).as("other networks are not punished").isEqualTo(201);
  }

  @Test
  void rotatingTheCodeKeepsEveryoneInAndOnlyTheNewCodeLetsNewPeopleIn() {
    JsonObject room = room(new JsonObject().put("access", "code"));
    String slug = room.getString("slug");
    String old = room.getJsonObject("settings").getString("joinCode");
    String token = join(slug, new JsonObject().put("code", old), network()).json().getString("token");

    String fresh = patch(slug, server.organizerKey(), new JsonObject().put("joinCode", "new")).json()
        .getJsonObject("settings").getString("joinCode");
    String chosen = patch(slug, room.getString("moderatorKey"), new JsonObject().put("joinCode", "devconf26")).json()
        .getJsonObject("settings").getString("joinCode");

    assertThat(fresh).isNotEqualTo(old);
    assertThat(chosen).isEqualTo("DEVCONF26");
    assertThat(join(slug, new JsonObject().put("code", old), network()).status()).isEqualTo(403);
    assertThat(join(slug, new JsonObject().put("code", fresh), network()).status()).isEqualTo(403);
    assertThat(join(slug, new JsonObject().put("code", "DevConf26"), network()).status()).isEqualTo(201);
    try (TestSocket socket = server.socket()) {
      assertThat(socket.helloToken(slug, token).getString("type")).as("already in, still in").isEqualTo("welcome");
    }
    assertThat(get("/api/rooms/" + slug + "/audit", room.getString("moderatorKey")).body())
        .doesNotContain(old).doesNotContain(fresh).doesNotContain("DEVCONF26");
  }

  // ---------------------------------------------------------------- access: invite

  @Test
  void anInvitationMakesOneParticipantOnEveryPhoneItIsUsedOn() {
    JsonObject room = room(new JsonObject().put("access", "invite"));
    String slug = room.getString("slug");
    List<String> invites = invite(slug, 3);

    Response first = join(slug, new JsonObject().put("nick", "Ada").put("invite", invites.get(0)), network());
    Response secondPhone = join(slug, new JsonObject().put("invite", invites.get(0).toLowerCase()), network());
    Response noInvite = join(slug, new JsonObject(), network());
    Response madeUp = join(slug, new JsonObject().put("invite", "AAAABBBBCCCCDDDD"), network());

    assertThat(invites).hasSize(3).doesNotHaveDuplicates().allMatch(i -> i.matches("[A-Z0-9]{16}"));
    assertThat(first.status()).isEqualTo(201);
    assertThat(secondPhone.status()).isEqualTo(200);
    assertThat(secondPhone.json().getJsonObject("participant").getString("id"))
        .isEqualTo(first.json().getJsonObject("participant").getString("id"));
    assertThat(secondPhone.json().getJsonObject("participant").getString("nick")).isEqualTo("Ada");
    assertThat(noInvite.status()).isEqualTo(403);
    assertThat(madeUp.status()).isEqualTo(403);
    assertThat(madeUp.body()).doesNotContain("AAAABBBBCCCCDDDD");

    JsonObject listing = get("/api/rooms/" + slug + "/invites", server.organizerKey()).json();
    assertThat(listing.getInteger("count")).isEqualTo(3);
    assertThat(listing.getInteger("used")).isEqualTo(1);
    JsonObject used = listing.getJsonArray("invites").getJsonObject(0);
    assertThat(used.getString("invite")).isEqualTo(invites.get(0));
    assertThat(used.getBoolean("used")).isTrue();
    assertThat(used.getString("link")).endsWith("/r/" + slug + "#invite=" + invites.get(0));
  }

  @Test
  void anInvitationOfOneRoomDoesNothingInAnother() {
    String a = room(new JsonObject().put("access", "invite")).getString("slug");
    String b = room(new JsonObject().put("access", "invite")).getString("slug");
    String invite = invite(a, 1).get(0);

    assertThat(join(b, new JsonObject().put("invite", invite), network()).status()).isEqualTo(403);
    assertThat(join(a, new JsonObject().put("invite", invite), network()).status()).isEqualTo(201);
  }

  @Test
  void invitationsAreTheOrganizersAndListedAsCsvAndAPrintableSheet() {
    JsonObject room = room(new JsonObject().put("access", "invite"));
    String slug = room.getString("slug");
    List<String> invites = invite(slug, 2);

    Response moderatorIssues = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/invites",
        room.getString("moderatorKey"), new JsonObject().put("count", 1).encode());
    Response tooMany = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/invites", server.organizerKey(),
        new JsonObject().put("count", 20_001).encode());
    Response csv = get("/api/rooms/" + slug + "/invites?format=csv", server.organizerKey());
    Response html = get("/api/rooms/" + slug + "/invites?format=html", server.organizerKey());

    assertThat(moderatorIssues.status()).isEqualTo(401);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body().lines().toList()).hasSize(3).first().isEqualTo("invite,link,used");
    assertThat(csv.body()).contains("\"" + invites.get(1) + "\"").contains("#invite=" + invites.get(1));
    assertThat(html.contentType()).startsWith("text/html");
    assertThat(html.body()).contains("<html lang=\"en\"").contains("<svg").contains("/r/" + slug + " and type")
        .contains(invites.get(0).substring(0, 4) + "-" + invites.get(0).substring(4, 8));
    assertThat(html.headers().get("Cache-Control")).isEqualTo("no-store");
  }

  // ---------------------------------------------------------------- access: signin, mixed rooms, export

  @Test
  void aSignInRoomRefusesJoinsThatDidNotSignIn() {
    String slug = room().getString("slug");
    Response open = join(slug, new JsonObject(), network());
    // No provider is configured on this server, so the room cannot become sign-in only.
    Response signin = patch(slug, server.organizerKey(), new JsonObject().put("access", "signin"));

    assertThat(open.status()).isEqualTo(201);
    assertThat(signin.status()).isEqualTo(400);
    assertThat(signin.json().getJsonObject("error").getString("message")).contains("sign-in provider");
  }

  @Test
  void aRoomSwitchedToCodesKeepsItsParticipantsAndTheExportSaysHowEachJoined() {
    JsonObject room = room();
    String slug = room.getString("slug");
    String early = join(slug, new JsonObject().put("nick", "Early"), network()).json()
        .getJsonObject("participant").getString("id");
    String code = patch(slug, server.organizerKey(), new JsonObject().put("access", "code")
        .put("unverifiedWeight", 0.5)).json().getJsonObject("settings").getString("joinCode");
    String late = join(slug, new JsonObject().put("nick", "Late").put("code", code), network()).json()
        .getJsonObject("participant").getString("id");

    JsonObject export = get("/api/rooms/" + slug + "/export", room.getString("moderatorKey")).json();

    Map<String, Object> verified = new java.util.HashMap<>();
    export.getJsonArray("participants").forEach(p -> verified.put(((JsonObject) p).getString("id"),
        ((JsonObject) p).getValue("verified")));
    assertThat(verified).containsEntry(early, null).containsEntry(late, "code");
    assertThat(export.getJsonObject("room").getJsonObject("settings").getDouble("unverifiedWeight")).isEqualTo(0.5);
    assertThat(export.getJsonArray("audit")).hasSize(1);
  }

  @Test
  void noCodeOrInvitationEverReachesTheLog() {
    JsonObject room = room(new JsonObject().put("access", "code"));
    String slug = room.getString("slug");
    String code = room.getJsonObject("settings").getString("joinCode");
    join(slug, new JsonObject().put("code", code), network());
    join(slug, new JsonObject().put("code", "WRONG999"), network());
    String rotated = patch(slug, server.organizerKey(), new JsonObject().put("access", "invite").put("joinCode", "new"))
        .json().getJsonObject("settings").getString("joinCode");
    List<String> invites = invite(slug, 2);
    join(slug, new JsonObject().put("invite", invites.get(0)), network());

    String everything = String.join("\n", logs);
    assertThat(everything).contains(slug);
    for (String secret : List.of(code, "WRONG999", rotated, invites.get(0), invites.get(1))) {
      assertThat(everything).doesNotContain(secret);
    }
  }

  // ---------------------------------------------------------------- helpers

  private JsonObject room() {
    return room(new JsonObject());
  }

  /** A new room, created with {@code settings} (the POST extension). */
  private JsonObject room(JsonObject settings) {
    JsonObject body = settings.copy().put("hashtag", "access-" + ROOMS.incrementAndGet() + "-" + System.nanoTime() % 100000);
    Response r = server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(), body.encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private List<String> invite(String slug, int count) {
    Response r = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/invites", server.organizerKey(),
        new JsonObject().put("count", count).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getJsonArray("invites").stream().map(String.class::cast).toList();
  }

  /** A client address of a network no other join of this class used. */
  private static String network() {
    int n = NETWORKS.incrementAndGet();
    return "198.18." + (n % 256) + "." + (1 + n / 256 % 200);
  }

  private Response join(String slug, JsonObject body, String address) {
    return server.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, body.encode(),
        Map.of("X-Forwarded-For", address));
  }

  private Response patch(String slug, String key, JsonObject body) {
    return server.request(HttpMethod.PATCH, "/api/rooms/" + slug, key, body.encode());
  }

  private Response get(String path, String key) {
    return server.request(HttpMethod.GET, path, key, null);
  }
}
