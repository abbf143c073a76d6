package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestServer.Response;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP API of PROTOCOL.md, row by row, over real HTTP against a real server: statuses, body
 * shapes and every error code a client can meet there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {

  private static final Pattern URL_SAFE_KEY = Pattern.compile("[A-Za-z0-9_-]{22,}");
  private static final AtomicInteger ROOMS = new AtomicInteger();

  private Vertx vertx;
  private TestServer server;

  @BeforeAll
  void startServer() {
    vertx = Vertx.vertx();
    // Many posts come from one participant here; the default 3 per 30 s would get in the way.
    server = TestServer.start(vertx, "--posts-per-window=1000", "--joins-per-minute=100000",
        "--broadcast-interval-ms=20", "--dashboard-interval-ms=20");
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    TestServer.await(vertx.close());
  }

  // ---------------------------------------------------------------- POST /api/rooms

  @Test
  void createRoomAnswers201WithKeysAndLinks() {
    String tag = uniqueTag("Keynote");
    Response r = post("/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", "#" + tag).put("title", "Opening keynote"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.contentType()).startsWith("application/json");
    JsonObject body = r.json();
    String slug = tag.toLowerCase();
    assertThat(body.getString("slug")).isEqualTo(slug);
    assertThat(body.getString("hashtag")).isEqualTo("#" + tag);
    assertThat(body.getString("title")).isEqualTo("Opening keynote");
    assertThat(body.getString("status")).isEqualTo("open");
    String speakerKey = body.getString("speakerKey");
    String moderatorKey = body.getString("moderatorKey");
    // 22 base64url characters carry 132 bits: the least that holds 128.
    assertThat(speakerKey).matches(URL_SAFE_KEY);
    assertThat(moderatorKey).matches(URL_SAFE_KEY);
    assertThat(speakerKey).isNotEqualTo(moderatorKey);

    JsonObject links = body.getJsonObject("links");
    assertThat(links.fieldNames()).contains("audience", "dashboard", "moderate");
    for (String name : List.of("audience", "dashboard", "moderate")) {
      String link = links.getString(name);
      assertThat(link).as(name + " is a path").startsWith("/").doesNotContain("://");
      // A key in a query string ends up in proxy logs and Referer headers; the fragment never leaves the browser.
      assertThat(link).as(name + " has no query").doesNotContain("?");
      String beforeFragment = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
      assertThat(beforeFragment).doesNotContain(speakerKey).doesNotContain(moderatorKey);
      assertThat(beforeFragment).contains(slug);
    }
    assertThat(links.getString("audience")).doesNotContain(speakerKey).doesNotContain(moderatorKey);
    assertThat(fragment(links.getString("dashboard"))).contains(speakerKey).doesNotContain(moderatorKey);
    assertThat(fragment(links.getString("moderate"))).contains(moderatorKey);
  }

  @Test
  void keysDifferBetweenRooms() {
    JsonObject a = server.createRoom(uniqueTag("keysa"));
    JsonObject b = server.createRoom(uniqueTag("keysb"));
    assertThat(a.getString("speakerKey")).isNotEqualTo(b.getString("speakerKey"));
    assertThat(a.getString("moderatorKey")).isNotEqualTo(b.getString("moderatorKey"));
  }

  @Test
  void hashtagWithoutHashIsAcceptedAndSlugIsLowerCased() {
    String tag = uniqueTag("NoHash_Tag");
    Response r = post("/api/rooms", server.organizerKey(), new JsonObject().put("hashtag", tag));

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().getString("slug")).isEqualTo(tag.toLowerCase()).doesNotContain("#");
    assertThat(r.json().getString("hashtag")).isEqualTo("#" + tag);
  }

  @Test
  void hashtagLengthBoundsAreInclusive() {
    Response two = post("/api/rooms", server.organizerKey(), new JsonObject().put("hashtag", "#Zq"));
    assertThat(two.status()).as(two.body()).isEqualTo(201);
    assertThat(two.json().getString("slug")).isEqualTo("zq");
    String prefix = uniqueTag("b");
    String sixtyFour = prefix + "y".repeat(64 - prefix.length());
    Response r = post("/api/rooms", server.organizerKey(), new JsonObject().put("hashtag", "#" + sixtyFour));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getString("slug")).isEqualTo(sixtyFour);
  }

  @Test
  void createRoomWithoutOrganizerKeyIsUnauthorized() {
    JsonObject body = new JsonObject().put("hashtag", uniqueTag("auth"));
    assertError(post("/api/rooms", null, body), 401, "unauthorized");
    assertError(post("/api/rooms", "wrong-organizer-key-0000", body), 401, "unauthorized");
    assertError(post("/api/rooms", server.organizerKey() + "x", body), 401, "unauthorized");
    // The key must come as a Bearer credential, not bare in the header.
    assertError(server.request(HttpMethod.POST, "/api/rooms", null, body.encode(),
        Map.of("Authorization", server.organizerKey())), 401, "unauthorized");
  }

  @Test
  void badHashtagsAreInvalid() {
    List<Object> bad = List.of("a", "#a", "#" + "a".repeat(65), "a".repeat(65), "dev conf", "dev.conf",
        "#dév", "café", "#ab/cd", "##ab", "", "#", 42, true, new JsonArray().add("ab"), new JsonObject());
    for (Object hashtag : bad) {
      Response r = post("/api/rooms", server.organizerKey(), new JsonObject().put("hashtag", hashtag));
      assertError(r, 400, "invalid", "hashtag " + hashtag);
    }
    assertError(post("/api/rooms", server.organizerKey(), new JsonObject().put("title", "no hashtag")),
        400, "invalid");
  }

  @Test
  void malformedJsonIsBadJson() {
    for (String body : List.of("{", "{\"hashtag\":", "not json", "[\"#abc\"]", "\"#abc\"")) {
      Response r = server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(), body);
      assertError(r, 400, "bad_json", body);
    }
  }

  @Test
  void bodyOver16KibIsTooLarge() {
    JsonObject body = new JsonObject().put("hashtag", uniqueTag("big")).put("title", "t".repeat(17 * 1024));
    assertError(post("/api/rooms", server.organizerKey(), body), 413, "too_large");
  }

  @Test
  void duplicateHashtagDifferingOnlyInCaseIsConflict() {
    String tag = uniqueTag("CaseRoom");
    assertThat(post("/api/rooms", server.organizerKey(), new JsonObject().put("hashtag", "#" + tag)).status())
        .isEqualTo(201);
    assertError(post("/api/rooms", server.organizerKey(), new JsonObject().put("hashtag", "#" + tag.toLowerCase())),
        409, "conflict");
    assertError(post("/api/rooms", server.organizerKey(), new JsonObject().put("hashtag", tag.toUpperCase())),
        409, "conflict");
  }

  // ---------------------------------------------------------------- GET /api/rooms/{slug}

  @Test
  void getRoomShowsItsStateAndResolvesAnyCase() {
    String tag = uniqueTag("GetRoom");
    JsonObject created = post("/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", "#" + tag).put("title", "Room title")).json();
    String slug = created.getString("slug");

    Response r = get("/api/rooms/" + slug, null);
    assertThat(r.status()).isEqualTo(200);
    JsonObject room = r.json();
    assertThat(room.getString("slug")).isEqualTo(slug);
    assertThat(room.getString("hashtag")).isEqualTo("#" + tag);
    assertThat(room.getString("title")).isEqualTo("Room title");
    assertThat(room.getString("status")).isEqualTo("open");
    assertThat(room.getInteger("online")).isZero();
    assertThat(room.getInteger("posts")).isZero();
    // The public room never reveals its secrets.
    assertThat(r.body()).doesNotContain(created.getString("speakerKey")).doesNotContain(created.getString("moderatorKey"));

    Response upper = get("/api/rooms/" + slug.toUpperCase(), null);
    assertThat(upper.status()).isEqualTo(200);
    assertThat(upper.json().getString("slug")).isEqualTo(slug);

    String token = server.join(slug, "Counter").getString("token");
    try (TestSocket s = server.socket()) {
      s.helloToken(slug, token);
      command(s, postFrame("p1", "counted"));
      assertThat(get("/api/rooms/" + slug, null).json().getInteger("posts")).isEqualTo(1);
      // Presence may trail the welcome by a beat; it must arrive, within the usual bound.
      assertThat(eventually(() -> get("/api/rooms/" + slug, null).json().getInteger("online"), 1)).isEqualTo(1);
    }
  }

  @Test
  void unknownRoomIsNotFound() {
    assertError(get("/api/rooms/no-such-room-here", null), 404, "not_found");
  }

  // ---------------------------------------------------------------- POST /api/rooms/{slug}/participants

  @Test
  void joinAnswersTokenAndTrimmedNick() {
    String slug = server.createRoom(uniqueTag("join")).getString("slug");
    Response r = post("/api/rooms/" + slug + "/participants", null, new JsonObject().put("nick", "  Ada \t "));

    assertThat(r.status()).isEqualTo(201);
    JsonObject body = r.json();
    assertThat(body.getString("token")).isNotBlank();
    JsonObject participant = body.getJsonObject("participant");
    assertThat(participant.getString("id")).isNotBlank();
    assertThat(participant.getString("nick")).isEqualTo("Ada");

    // The token really names this participant in this room.
    try (TestSocket s = server.socket()) {
      JsonObject welcome = s.helloToken(slug, body.getString("token"));
      assertThat(welcome.getJsonObject("you").getString("id")).isEqualTo(participant.getString("id"));
    }
  }

  @Test
  void joinsGetDistinctParticipants() {
    String slug = server.createRoom(uniqueTag("distinct")).getString("slug");
    JsonObject a = server.join(slug, "Ada");
    JsonObject b = server.join(slug, "Ada");
    assertThat(a.getJsonObject("participant").getString("id")).isNotEqualTo(b.getJsonObject("participant").getString("id"));
    assertThat(a.getString("token")).isNotEqualTo(b.getString("token"));
  }

  @Test
  void absentOrNullNickJoinsAnonymously() {
    String slug = server.createRoom(uniqueTag("anon")).getString("slug");
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().putNull("nick"))) {
      Response r = post("/api/rooms/" + slug + "/participants", null, body);
      assertThat(r.status()).as(body.encode()).isEqualTo(201);
      assertThat(r.json().getJsonObject("participant").getValue("nick")).isNull();
    }
    Response noBody = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, null);
    assertThat(noBody.status()).isEqualTo(201);
    assertThat(noBody.json().getJsonObject("participant").getValue("nick")).isNull();
  }

  @Test
  void nickLengthIsCountedInCharactersAfterTrimming() {
    String slug = server.createRoom(uniqueTag("nicklen")).getString("slug");
    String thirtyTwo = "n".repeat(32);
    assertThat(post("/api/rooms/" + slug + "/participants", null, new JsonObject().put("nick", "  " + thirtyTwo + "  "))
        .json().getJsonObject("participant").getString("nick")).isEqualTo(thirtyTwo);
    // Emoji are one character each although Java stores them as two chars.
    String emoji = "\uD83D\uDE00".repeat(32);
    Response r = post("/api/rooms/" + slug + "/participants", null, new JsonObject().put("nick", emoji));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().getJsonObject("participant").getString("nick")).isEqualTo(emoji);
    assertThat(post("/api/rooms/" + slug + "/participants", null, new JsonObject().put("nick", "x")).status())
        .isEqualTo(201);
  }

  @Test
  void badNicksAreInvalid() {
    String slug = server.createRoom(uniqueTag("badnick")).getString("slug");
    List<Object> bad = List.of("", "   ", "\t\n ", "n".repeat(33), "\uD83D\uDE00".repeat(33), 42, false,
        new JsonArray().add("Ada"), new JsonObject().put("nick", "Ada"));
    for (Object nick : bad) {
      assertError(post("/api/rooms/" + slug + "/participants", null, new JsonObject().put("nick", nick)),
          400, "invalid", "nick " + nick);
    }
    assertError(server.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, "{nick"),
        400, "bad_json");
  }

  @Test
  void joiningAnUnknownRoomIsNotFound() {
    assertError(post("/api/rooms/no-such-room-join/participants", null, new JsonObject().put("nick", "Ada")),
        404, "not_found");
  }

  @Test
  void joinsPerAddressAreRateLimited() {
    Vertx other = Vertx.vertx();
    try (TestServer limited = TestServer.start(other, "--joins-per-minute=3")) {
      String slug = limited.createRoom("#limited").getString("slug");
      for (int i = 0; i < 3; i++) {
        assertThat(limited.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, "{}").status())
            .as("join " + (i + 1)).isEqualTo(201);
      }
      assertError(limited.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, "{}"),
          429, "rate_limited");
    } finally {
      TestServer.await(other.close());
    }
  }

  // ---------------------------------------------------------------- GET /api/rooms/{slug}/posts

  @Test
  void listingsSortByScoreDivergenceAndAge() {
    String slug = server.createRoom(uniqueTag("sorts")).getString("slug");
    try (Crowd crowd = new Crowd(slug, 4)) {
      // Authored before any rating, so every post starts from the same prior.
      String split = crowd.post(0, "split the room");
      String liked = crowd.post(0, "liked by one");
      String quiet = crowd.post(0, "nobody rated this");
      String pair = crowd.post(0, "two ratings only");
      crowd.rate(1, split, 5);
      crowd.rate(2, split, -5);
      crowd.rate(3, split, 5);
      crowd.rate(1, liked, 5);
      crowd.rate(1, pair, 5);
      crowd.rate(2, pair, -5);

      // split: (0 + 5) / (2 + 3) = 1.0; liked: 5 / 3 = 1.67; quiet: 0; pair: 0 / 4 = 0, newer than quiet.
      assertThat(ids(listing(slug, ""))).containsExactly(liked, split, pair, quiet);
      assertThat(ids(listing(slug, "?sort=top"))).containsExactly(liked, split, pair, quiet);
      assertThat(ids(listing(slug, "?sort=new"))).containsExactly(pair, quiet, liked, split);
      // Only posts with at least 3 ratings have a meaningful divergence: pair (2 ratings, the widest
      // split) stays out.
      assertThat(ids(listing(slug, "?sort=divergent"))).containsExactly(split);

      JsonObject first = listing(slug, "?sort=top").getJsonObject(0);
      assertThat(first.getString("id")).isEqualTo(liked);
      assertThat(first.getDouble("score")).isEqualTo(1.67);
      assertThat(first.getInteger("ratings")).isEqualTo(1);
      assertThat(first.getString("status")).isEqualTo("visible");
      assertThat(first.getString("text")).isEqualTo("liked by one");
      assertThat(first.getJsonObject("author").getString("nick")).isEqualTo("p0");
      // `mine` belongs to frames meant for one participant, never to the public listing.
      assertThat(first.containsKey("mine")).isFalse();
    }
  }

  @Test
  void limitBoundsAreOneToTwoHundred() {
    String slug = server.createRoom(uniqueTag("limits")).getString("slug");
    try (Crowd crowd = new Crowd(slug, 1)) {
      String older = crowd.post(0, "older");
      String newer = crowd.post(0, "newer");
      assertThat(ids(listing(slug, "?sort=new&limit=1"))).containsExactly(newer);
      assertThat(ids(listing(slug, "?sort=new&limit=200"))).containsExactly(newer, older);
    }
    for (String limit : List.of("0", "201", "abc", "-1", "1.5", "")) {
      assertError(get("/api/rooms/" + slug + "/posts?limit=" + limit, null), 400, "invalid", "limit=" + limit);
    }
  }

  @Test
  void defaultLimitIsFifty() {
    String slug = server.createRoom(uniqueTag("fifty")).getString("slug");
    try (Crowd crowd = new Crowd(slug, 1)) {
      for (int i = 0; i < 51; i++) {
        crowd.post(0, "post " + i);
      }
    }
    assertThat(listing(slug, "")).hasSize(50);
    assertThat(listing(slug, "?limit=51")).hasSize(51);
  }

  @Test
  void unknownSortIsInvalid() {
    String slug = server.createRoom(uniqueTag("badsort")).getString("slug");
    for (String sort : List.of("best", "", "random")) {
      assertError(get("/api/rooms/" + slug + "/posts?sort=" + sort, null), 400, "invalid", "sort=" + sort);
    }
  }

  @Test
  void listingAnUnknownRoomIsNotFound() {
    assertError(get("/api/rooms/no-such-room-posts/posts", null), 404, "not_found");
  }

  @Test
  void hiddenPostsAreNeverListed() {
    JsonObject room = server.createRoom(uniqueTag("hidden"));
    String slug = room.getString("slug");
    try (Crowd crowd = new Crowd(slug, 4); TestSocket moderator = server.socket()) {
      String hidden = crowd.post(0, "rude but divisive");
      String kept = crowd.post(0, "fine and divisive");
      for (String post : List.of(hidden, kept)) {
        crowd.rate(1, post, 5);
        crowd.rate(2, post, -5);
        crowd.rate(3, post, 4);
      }
      assertThat(ids(listing(slug, "?sort=divergent"))).containsExactlyInAnyOrder(hidden, kept);

      moderator.helloKey(slug, room.getString("moderatorKey"));
      JsonObject ack = command(moderator,
          new JsonObject().put("type", "mark").put("cid", "m1").put("post", hidden).put("status", "hidden"));
      assertThat(ack.getJsonObject("post").getString("status")).isEqualTo("hidden");

      for (String sort : List.of("", "?sort=top", "?sort=new", "?sort=divergent")) {
        JsonArray posts = listing(slug, sort);
        assertThat(ids(posts)).as(sort).containsExactly(kept);
        assertThat(posts.encode()).as(sort).doesNotContain("rude but divisive");
      }
    }
  }

  // ---------------------------------------------------------------- POST /api/rooms/{slug}/close

  @Test
  void moderatorClosesRoomAndItTurnsReadOnly() {
    JsonObject room = server.createRoom(uniqueTag("close"));
    String slug = room.getString("slug");
    try (Crowd crowd = new Crowd(slug, 2)) {
      String before = crowd.post(0, "before the close");

      Response r = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/close", room.getString("moderatorKey"), null);
      assertThat(r.status()).isEqualTo(200);
      // docs/protocol.md extension: a confirmation body.
      assertThat(r.json()).isEqualTo(new JsonObject().put("slug", slug).put("status", "closed"));
      // Closing twice changes nothing and is no error.
      assertThat(server.request(HttpMethod.POST, "/api/rooms/" + slug + "/close", room.getString("moderatorKey"), null)
          .status()).isEqualTo(200);
      assertThat(get("/api/rooms/" + slug, null).json().getString("status")).isEqualTo("closed");

      JsonObject postError = commandError(crowd.socket(0), postFrame("after", "after the close"));
      assertThat(postError.getString("code")).isEqualTo("room_closed");
      JsonObject rateError = commandError(crowd.socket(1),
          new JsonObject().put("type", "rate").put("cid", "late-rate").put("post", before).put("value", 3));
      assertThat(rateError.getString("code")).isEqualTo("room_closed");
      // What was there stays readable.
      assertThat(ids(listing(slug, ""))).containsExactly(before);
    }
  }

  @Test
  void closeNeedsTheModeratorKey() {
    JsonObject room = server.createRoom(uniqueTag("closeauth"));
    JsonObject other = server.createRoom(uniqueTag("closeother"));
    String path = "/api/rooms/" + room.getString("slug") + "/close";

    assertError(server.request(HttpMethod.POST, path, room.getString("speakerKey"), null), 403, "forbidden");
    assertError(server.request(HttpMethod.POST, path, null, null), 401, "unauthorized");
    assertError(server.request(HttpMethod.POST, path, "not-a-key-at-all-000000", null), 401, "unauthorized");
    // A moderator of one room is nobody in another.
    assertError(server.request(HttpMethod.POST, path, other.getString("moderatorKey"), null), 401, "unauthorized");
    assertError(server.request(HttpMethod.POST, path, server.organizerKey(), null), 401, "unauthorized");
    assertThat(get("/api/rooms/" + room.getString("slug"), null).json().getString("status")).isEqualTo("open");
  }

  @Test
  void closingAnUnknownRoomIsNotFound() {
    JsonObject other = server.createRoom(uniqueTag("closenf"));
    assertError(server.request(HttpMethod.POST, "/api/rooms/no-such-room-close/close", other.getString("moderatorKey"), null),
        404, "not_found");
  }

  // ---------------------------------------------------------------- GET /api/rooms/{slug}/export

  @Test
  void jsonExportHasEveryPostRatingAndParticipant() {
    JsonObject room = server.createRoom(uniqueTag("export"));
    String slug = room.getString("slug");
    String hidden;
    String shown;
    String[] people = new String[2];
    try (Crowd crowd = new Crowd(slug, 2); TestSocket moderator = server.socket()) {
      people[0] = crowd.id(0);
      people[1] = crowd.id(1);
      shown = crowd.post(0, "a fine question");
      hidden = crowd.post(0, "a rude remark");
      crowd.rate(1, shown, 5);
      moderator.helloKey(slug, room.getString("moderatorKey"));
      command(moderator, new JsonObject().put("type", "mark").put("cid", "m1").put("post", hidden).put("status", "hidden"));
    }

    Response r = get("/api/rooms/" + slug + "/export?format=json", room.getString("moderatorKey"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonObject export = r.json();

    // The export's Room is the same object GET /api/rooms/{slug} shows.
    JsonObject exportedRoom = export.getJsonObject("room");
    JsonObject publicRoom = get("/api/rooms/" + slug, null).json();
    for (String field : List.of("slug", "hashtag", "title", "status", "posts")) {
      assertThat(exportedRoom.getValue(field)).as(field).isEqualTo(publicRoom.getValue(field));
    }
    assertThat(exportedRoom.getString("slug")).isEqualTo(slug);

    JsonArray posts = export.getJsonArray("posts");
    assertThat(ids(posts)).containsExactlyInAnyOrder(shown, hidden);
    JsonObject hiddenPost = byId(posts, hidden);
    assertThat(hiddenPost.getString("status")).isEqualTo("hidden");
    // The moderator's record keeps what was hidden.
    assertThat(hiddenPost.getString("text")).isEqualTo("a rude remark");

    JsonArray ratings = export.getJsonArray("ratings");
    assertThat(ratings).hasSize(1);
    JsonObject rating = ratings.getJsonObject(0);
    assertThat(rating.getString("post")).isEqualTo(shown);
    assertThat(rating.getString("participant")).isEqualTo(people[1]);
    assertThat(rating.getInteger("value")).isEqualTo(5);
    assertThat(rating.getDouble("weight")).isEqualTo(1.0);
    assertThat(Instant.parse(rating.getString("at"))).isBeforeOrEqualTo(Instant.now());

    JsonArray participants = export.getJsonArray("participants");
    assertThat(participants).hasSize(2);
    JsonObject author = byId(participants, people[0]);
    assertThat(author.getString("nick")).isEqualTo("p0");
    // A newcomer's +5 is worth w·r/5 = 1 karma to the author.
    assertThat(author.getDouble("karma")).isEqualTo(1.0);
    assertThat(byId(participants, people[1]).getDouble("karma")).isEqualTo(0.0);
    // docs/protocol.md extension: moderators see who was banned.
    assertThat(author.getBoolean("banned")).isFalse();
  }

  @Test
  void csvExportHasOneQuotedRowPerPost() {
    JsonObject room = server.createRoom(uniqueTag("csv"));
    String slug = room.getString("slug");
    String tricky = "Hello, \"world\"\nsecond line";
    String formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
    String plainId;
    String trickyId;
    String formulaId;
    try (Crowd crowd = new Crowd(slug, 2); TestSocket moderator = server.socket()) {
      plainId = crowd.post(0, "plain");
      trickyId = crowd.post(0, tricky);
      formulaId = crowd.post(0, formula);
      crowd.rate(1, plainId, 5);
      moderator.helloKey(slug, room.getString("moderatorKey"));
      command(moderator, new JsonObject().put("type", "mark").put("cid", "m1").put("post", formulaId).put("status", "hidden"));
    }

    Response r = get("/api/rooms/" + slug + "/export?format=csv", room.getString("moderatorKey"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/csv");
    List<List<String>> rows = Csv.parse(r.body());
    assertThat(rows).hasSize(1 + 3);
    List<String> header = rows.get(0);
    // docs/protocol.md fixes the columns.
    assertThat(header).containsExactly("id", "createdAt", "authorId", "authorNick", "replyTo", "status", "score",
        "divergence", "ratings", "text");
    for (List<String> row : rows) {
      assertThat(row).as("every row is as wide as the header").hasSameSizeAs(header);
    }
    Map<String, List<String>> byId = new java.util.HashMap<>();
    int idCol = header.indexOf("id");
    rows.subList(1, rows.size()).forEach(row -> byId.put(row.get(idCol), row));
    assertThat(byId).containsOnlyKeys(plainId, trickyId, formulaId);

    int text = header.indexOf("text");
    int status = header.indexOf("status");
    int score = header.indexOf("score");
    int count = header.indexOf("ratings");
    assertThat(byId.get(trickyId).get(text)).isEqualTo(tricky);
    assertThat(byId.get(plainId).get(text)).isEqualTo("plain");
    assertThat(byId.get(plainId).get(count)).isEqualTo("1");
    assertThat(Double.parseDouble(byId.get(plainId).get(score))).isEqualTo(1.67);
    assertThat(byId.get(plainId).get(status)).isEqualTo("visible");
    assertThat(byId.get(formulaId).get(status)).isEqualTo("hidden");
    // A spreadsheet must see text, not a formula, yet the moderator can still read what was posted.
    String neutralised = byId.get(formulaId).get(text);
    assertThat(neutralised).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@");
    assertThat(neutralised).isEqualTo("'" + formula);
  }

  @Test
  void exportIsForModeratorsOnly() {
    JsonObject room = server.createRoom(uniqueTag("exportauth"));
    String base = "/api/rooms/" + room.getString("slug") + "/export?format=";
    for (String format : List.of("json", "csv")) {
      assertError(get(base + format, room.getString("speakerKey")), 403, "forbidden", format);
      assertError(get(base + format, null), 401, "unauthorized", format);
      assertError(get(base + format, "not-a-key-at-all-000000"), 401, "unauthorized", format);
    }
    assertError(get("/api/rooms/no-such-room-export/export?format=json", room.getString("moderatorKey")),
        404, "not_found");
  }

  @Test
  void unknownExportFormatIsInvalid() {
    JsonObject room = server.createRoom(uniqueTag("exportxml"));
    assertError(get("/api/rooms/" + room.getString("slug") + "/export?format=xml", room.getString("moderatorKey")),
        400, "invalid");
  }

  // ---------------------------------------------------------------- the rest

  @Test
  void healthAnswers200() {
    Response r = get("/health", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(new JsonObject().put("status", "ok"));
  }

  @Test
  void unknownApiPathIsNotFoundJson() {
    assertError(get("/api/nope", null), 404, "not_found");
    assertError(get("/api/rooms/x/nope", null), 404, "not_found");
    assertError(server.request(HttpMethod.POST, "/api/nope", server.organizerKey(), "{}"), 404, "not_found");
  }

  @Test
  void unsupportedMethodOnAKnownPathIsInvalidWith405() {
    String slug = server.createRoom(uniqueTag("method")).getString("slug");
    // docs/protocol.md: "an unsupported method on a known path is `invalid` with 405".
    assertError(server.request(HttpMethod.DELETE, "/api/rooms", server.organizerKey(), null), 405, "invalid");
    assertError(server.request(HttpMethod.GET, "/api/rooms/" + slug + "/close", null, null), 405, "invalid");
    assertError(server.request(HttpMethod.PUT, "/api/rooms/" + slug, null, "{}"), 405, "invalid");
  }

  @Test
  void severalGatewaysShareOneFreePort() {
    // Production runs one gateway per core on one port; tests ask for port 0, which must work the same.
    Vertx other = Vertx.vertx();
    try (TestServer multi = TestServer.start(other, "--gateways=2")) {
      for (int i = 0; i < 4; i++) {
        assertThat(multi.request(HttpMethod.GET, "/health", null, null).status()).isEqualTo(200);
      }
    } finally {
      TestServer.await(other.close());
    }
  }

  @Test
  void pagesForbidInlineScriptsAndOnlyTheDashboardMayBeFramedAnywhere() {
    for (String path : List.of("/", "/organize", "/r/any", "/r/any/moderate", "/r/any/dashboard")) {
      var r = server.request(HttpMethod.GET, path, null, null, Map.of());
      String policy = r.headers().get("Content-Security-Policy");
      assertThat(policy).as(path).contains("script-src 'self'").doesNotContain("unsafe-inline");
      assertThat(r.headers().get("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(policy).as(path).contains(path.endsWith("/dashboard") ? "frame-ancestors *" : "frame-ancestors 'self'");
    }
  }

  @Test
  void behindATrustedProxyJoinsAreLimitedPerForwardedClientNotPerProxy() {
    Vertx other = Vertx.vertx();
    try (TestServer proxied = TestServer.start(other, "--joins-per-minute=2", "--trusted-proxies=127.0.0.1")) {
      String slug = proxied.createRoom("#proxied").getString("slug");
      String path = "/api/rooms/" + slug + "/participants";
      for (String client : List.of("203.0.113.7", "203.0.113.7", "198.51.100.9", "198.51.100.9")) {
        assertThat(proxied.request(HttpMethod.POST, path, null, "{}", Map.of("X-Forwarded-For", "10.0.0.1, " + client))
            .status()).as("two joins each for two clients behind one proxy").isEqualTo(201);
      }
      assertThat(proxied.request(HttpMethod.POST, path, null, "{}", Map.of("X-Forwarded-For", "203.0.113.7")).status())
          .isEqualTo(429);
    } finally {
      TestServer.await(other.close());
    }
    Vertx direct = Vertx.vertx();
    try (TestServer untrusting = TestServer.start(direct, "--joins-per-minute=2")) {
      String slug = untrusting.createRoom("#direct").getString("slug");
      String path = "/api/rooms/" + slug + "/participants";
      int refused = 0;
      for (String client : List.of("203.0.113.1", "203.0.113.2", "203.0.113.3")) {
        refused += untrusting.request(HttpMethod.POST, path, null, "{}", Map.of("X-Forwarded-For", client)).status()
            == 429 ? 1 : 0;
      }
      assertThat(refused).as("a forged header from an untrusted peer changes nothing").isEqualTo(1);
    } finally {
      TestServer.await(direct.close());
    }
  }

  @Test
  void corsHeadersOnlyForConfiguredOrigins() {
    var preflight = Map.of("Origin", "https://conf.example", "Access-Control-Request-Method", "POST");
    assertThat(server.request(HttpMethod.OPTIONS, "/api/rooms", null, null, preflight).headers()
        .get("Access-Control-Allow-Origin")).as("none configured").isNull();
    Vertx other = Vertx.vertx();
    try (TestServer cors = TestServer.start(other, "--cors-origins=https://conf.example")) {
      assertThat(cors.request(HttpMethod.OPTIONS, "/api/rooms", null, null, preflight).headers()
          .get("Access-Control-Allow-Origin")).isEqualTo("https://conf.example");
      var foreign = Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
      assertThat(cors.request(HttpMethod.OPTIONS, "/api/rooms", null, null, foreign).headers()
          .get("Access-Control-Allow-Origin")).isNull();
    } finally {
      TestServer.await(other.close());
    }
  }

  @Test
  void webPagesAreServed() {
    // Its own server: a page request that never answers must not tie up the shared client's connections.
    Vertx other = Vertx.vertx();
    try (TestServer pages = TestServer.start(other)) {
      String slug = pages.createRoom("#Pages").getString("slug");
      for (String path : List.of("/r/" + slug, "/r/" + slug + "/dashboard", "/r/" + slug + "/moderate", "/organize")) {
        Response r = pages.request(HttpMethod.GET, path, null, null);
        assertThat(r.status()).as(path).isEqualTo(200);
        assertThat(r.contentType()).as(path).startsWith("text/html");
        assertThat(r.body()).as(path).containsIgnoringCase("<html");
      }
    } finally {
      TestServer.await(other.close());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String uniqueTag(String prefix) {
    return prefix + ROOMS.incrementAndGet();
  }

  /** Polls {@code read} until it gives {@code wanted} or the harness timeout passes; returns the last value. */
  private static <T> T eventually(java.util.function.Supplier<T> read, T wanted) {
    long deadline = System.nanoTime() + TestServer.TIMEOUT.toNanos();
    T last = read.get();
    while (!wanted.equals(last) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      last = read.get();
    }
    return last;
  }

  private static String fragment(String link) {
    int hash = link.indexOf('#');
    assertThat(hash).as("link %s has a fragment", link).isNotNegative();
    return link.substring(hash + 1);
  }

  private Response post(String path, String bearer, JsonObject body) {
    return server.request(HttpMethod.POST, path, bearer, body.encode());
  }

  private Response get(String path, String bearer) {
    return server.request(HttpMethod.GET, path, bearer, null);
  }

  private JsonArray listing(String slug, String query) {
    Response r = get("/api/rooms/" + slug + "/posts" + query, null);
    assertThat(r.status()).as("listing %s: %s", query, r.body()).isEqualTo(200);
    return r.json().getJsonArray("posts");
  }

  private static List<String> ids(JsonArray items) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(items.getJsonObject(i).getString("id"));
    }
    return out;
  }

  private static JsonObject byId(JsonArray items, String id) {
    for (int i = 0; i < items.size(); i++) {
      if (id.equals(items.getJsonObject(i).getString("id"))) {
        return items.getJsonObject(i);
      }
    }
    throw new AssertionError("no " + id + " in " + items.encode());
  }

  private static void assertError(Response r, int status, String code) {
    assertError(r, status, code, "");
  }

  /** Checks status and the exact error shape {"error":{"code","message"}}. */
  private static void assertError(Response r, int status, String code, String what) {
    assertThat(r.status()).as("%s status; body %s", what, r.body()).isEqualTo(status);
    assertThat(r.contentType()).as("%s content type", what).startsWith("application/json");
    JsonObject body = r.json();
    assertThat(body.fieldNames()).as("%s body %s", what, r.body()).containsExactly("error");
    JsonObject error = body.getJsonObject("error");
    assertThat(error.fieldNames()).as("%s error %s", what, r.body()).containsExactlyInAnyOrder("code", "message");
    assertThat(error.getString("code")).as(what).isEqualTo(code);
    assertThat(error.getString("message")).as(what).isNotBlank();
  }

  private static JsonObject postFrame(String cid, String text) {
    return new JsonObject().put("type", "post").put("cid", cid).put("text", text).putNull("replyTo");
  }

  /** Sends a command and returns its ack, failing on an error answer. */
  private static JsonObject command(TestSocket socket, JsonObject frame) {
    JsonObject answer = answer(socket, frame);
    assertThat(answer.getString("type")).as("answer to %s: %s", frame, answer).isEqualTo("ack");
    return answer;
  }

  /** Sends a command and returns its error answer, failing on an ack. */
  private static JsonObject commandError(TestSocket socket, JsonObject frame) {
    JsonObject answer = answer(socket, frame);
    assertThat(answer.getString("type")).as("answer to %s: %s", frame, answer).isEqualTo("error");
    return answer;
  }

  private static JsonObject answer(TestSocket socket, JsonObject frame) {
    String cid = frame.getString("cid");
    socket.send(frame);
    return socket.next(f -> cid.equals(f.getString("cid"))
        && ("ack".equals(f.getString("type")) || "error".equals(f.getString("type"))), "an answer to " + cid);
  }

  /** Participants of one room, each with an open socket past hello, posting and rating on cue. */
  private final class Crowd implements AutoCloseable {
    private final List<TestSocket> sockets = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private int cids;

    Crowd(String slug, int size) {
      for (int i = 0; i < size; i++) {
        JsonObject joined = server.join(slug, "p" + i);
        TestSocket s = server.socket();
        sockets.add(s);
        s.helloToken(slug, joined.getString("token"));
        ids.add(joined.getJsonObject("participant").getString("id"));
      }
    }

    TestSocket socket(int who) {
      return sockets.get(who);
    }

    String id(int who) {
      return ids.get(who);
    }

    String post(int who, String text) {
      return command(sockets.get(who), postFrame("c" + (++cids), text)).getJsonObject("post").getString("id");
    }

    void rate(int who, String post, int value) {
      command(sockets.get(who), new JsonObject().put("type", "rate").put("cid", "c" + (++cids)).put("post", post)
          .put("value", value));
    }

    @Override
    public void close() {
      sockets.forEach(TestSocket::close);
    }
  }

  /** A strict RFC 4180 reader, so the test checks the quoting a spreadsheet would see. */
  static final class Csv {
    private Csv() {}

    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      boolean cellStarted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
              cell.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            cell.append(c);
          }
        } else if (c == '"') {
          if (cell.length() > 0) {
            throw new AssertionError("quote inside an unquoted cell at " + i);
          }
          quoted = true;
          cellStarted = true;
        } else if (c == ',') {
          row.add(cell.toString());
          cell.setLength(0);
          cellStarted = false;
        } else if (c == '\r' || c == '\n') {
          if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          }
          row.add(cell.toString());
          rows.add(row);
          row = new ArrayList<>();
          cell.setLength(0);
          cellStarted = false;
        } else {
          cell.append(c);
          cellStarted = true;
        }
      }
      if (quoted) {
        throw new AssertionError("unterminated quoted cell");
      }
      if (cellStarted || cell.length() > 0 || !row.isEmpty()) {
        row.add(cell.toString());
        rows.add(row);
      }
      return rows;
    }
  }
}
