package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.store.Participant;
import dev.backchannel.testing.OidcTestProvider;
import dev.backchannel.testing.SignInBrowser;
import dev.backchannel.testing.SignInBrowser.Step;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestServer.Response;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sign-in with OpenID Connect (PROTOCOL.md "v2: who may join", {@code access: signin}) over real
 * HTTP, against a real provider of the test's own ({@link OidcTestProvider}): the way there and
 * back, one participant per person, and every refusal a hostile provider, page or browser can cause.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInTest {

  private static final String SECRET = "sign-in-test-secret-0123456789";
  private static final AtomicInteger ROOMS = new AtomicInteger();

  private Vertx vertx;
  private OidcTestProvider provider;
  private TestServer server;
  private final List<String> log = new CopyOnWriteArrayList<>();
  /** Every code, state and token the tests saw: none of them may ever reach the log. */
  private final List<String> secrets = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws IOException {
    vertx = Vertx.vertx();
    provider = OidcTestProvider.start(vertx);
    server = serverWith(provider.yaml("test"));
  }

  @BeforeEach
  void behave() {
    provider.reset();
  }

  @AfterAll
  void stop() {
    server.close();
    provider.close();
    TestServer.await(vertx.close());
    for (String line : log) {
      for (String secret : secrets) {
        assertThat(line).as("log line").doesNotContain(secret);
      }
    }
  }

  // ---------------------------------------------------------------- the way there and back

  @Test
  void startSendsTheBrowserToTheProviderWithPkceStateAndNonce() {
    String slug = signInRoom("there");
    SignInBrowser browser = new SignInBrowser(server);

    Step start = browser.start(slug, "nick=Ada%20Lovelace");

    assertThat(start.status()).as(start.body()).isEqualTo(302);
    assertThat(start.location()).startsWith(provider.issuer() + "/authorize?");
    assertThat(start.location()).as("the nickname travels sealed").doesNotContain("Lovelace");
    MultiMap query = query(start.location());
    assertThat(query.get("response_type")).isEqualTo("code");
    assertThat(query.get("client_id")).isEqualTo(OidcTestProvider.CLIENT_ID);
    assertThat(query.get("scope").split(" ")).contains("openid", "profile");
    assertThat(query.get("redirect_uri")).isEqualTo("http://127.0.0.1:" + server.port() + "/api/signin/callback");
    assertThat(query.get("code_challenge_method")).isEqualTo("S256");
    // base64url of a SHA-256: 43 characters.
    assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    assertThat(query.get("nonce")).matches("[A-Za-z0-9_-]{16,}");
    assertThat(query.get("state")).matches("[A-Za-z0-9_-]{40,}");
    // Sealed: nothing of what it carries can be read from it.
    assertThat(query.get("state")).doesNotContain(slug);
    assertThat(start.headers().firstValue("Cache-Control")).contains("no-store");
    secrets.add(query.get("state"));

    String cookie = cookieHeader(start);
    assertThat(cookie).startsWith(SignInBrowser.COOKIE + "=");
    assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
        .containsIgnoringCase("Path=/api/signin").containsIgnoringCase("Max-Age=600");
    assertThat(cookie).as("not Secure over plain http").doesNotContainIgnoringCase("Secure");
    assertThat(browser.cookie()).isNotBlank().doesNotContain(query.get("state"));
  }

  @Test
  void signInLandsOnTheRoomPageWithAWorkingToken() {
    String slug = signInRoom("back");
    provider.signInAs("subject-ada", new JsonObject().put("preferred_username", "ada").put("name", "Ada Lovelace"));
    SignInBrowser browser = new SignInBrowser(server);

    Step start = browser.start(slug, "");
    Step atProvider = browser.follow(start);
    assertThat(atProvider.status()).isEqualTo(302);
    assertThat(atProvider.location()).startsWith("http://127.0.0.1:" + server.port() + "/api/signin/callback?");
    secrets.add(query(atProvider.location()).get("code"));
    Step callback = browser.follow(atProvider);

    assertThat(callback.status()).as(callback.body()).isEqualTo(302);
    String token = token(slug, callback);
    assertThat(callback.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(cookieHeader(callback)).as("the cookie is spent").containsIgnoringCase("Max-Age=0");
    assertThat(browser.cookie()).isNull();

    JsonObject welcome = server.socket().helloToken(slug, token);
    assertThat(welcome.getString("role")).isEqualTo("participant");
    assertThat(welcome.getJsonObject("you").getString("nick")).isEqualTo("ada");
    assertThat(log).anyMatch(l -> l.contains("event=participant.signed_in room=" + slug + " created=true"));
  }

  @Test
  void theSamePersonIsTheSameParticipantAndKeepsTheirNick() {
    String slug = signInRoom("same");
    provider.signInAs("subject-grace", new JsonObject().put("preferred_username", "grace"));
    String first = participant(token(slug, new SignInBrowser(server).signIn(slug)));
    // A nickname asked for later does not rename someone who exists already.
    String second = participant(token(slug, new SignInBrowser(server).signIn(slug, "nick=Hopper")));

    assertThat(second).isEqualTo(first);
    assertThat(participants(slug)).extracting(Participant::nick).containsExactly("grace");
    assertThat(log).anyMatch(l -> l.contains("event=participant.signed_in room=" + slug + " created=false"));
  }

  @Test
  void twoPeopleAreTwoParticipants() {
    String slug = signInRoom("two");
    provider.signInAs("subject-1", new JsonObject().put("preferred_username", "one"));
    String one = participant(token(slug, new SignInBrowser(server).signIn(slug)));
    provider.signInAs("subject-2", new JsonObject().put("preferred_username", "two"));
    String two = participant(token(slug, new SignInBrowser(server).signIn(slug)));

    assertThat(one).isNotEqualTo(two);
    assertThat(participants(slug)).extracting(Participant::nick).containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void theSamePersonInAnotherRoomIsAnotherParticipant() {
    String a = signInRoom("rooma");
    String b = signInRoom("roomb");
    provider.signInAs("subject-both", new JsonObject().put("preferred_username", "both"));
    token(a, new SignInBrowser(server).signIn(a));
    token(b, new SignInBrowser(server).signIn(b));
    assertThat(participants(a)).hasSize(1);
    assertThat(participants(b)).hasSize(1);
  }

  @Test
  void nicknameIsTheOneAskedForElseTheProvidersUsernameElseName() {
    String slug = signInRoom("nicks");
    provider.signInAs("asked", new JsonObject().put("preferred_username", "ignored"));
    assertThat(nickAfter(slug, "nick=%20Ada%20%20L.%20")).isEqualTo("Ada L.");
    provider.signInAs("named", new JsonObject().put("name", "Grace Brewster Murray Hopper, Rear Admiral USN"));
    assertThat(nickAfter(slug, "")).isEqualTo("Grace Brewster Murray Hopper, Re").hasSize(32);
    provider.signInAs("nameless", new JsonObject());
    assertThat(nickAfter(slug, "")).isNull();
    // Invisible bidi controls are cleaned away as in a typed nickname.
    provider.signInAs("bidi", new JsonObject().put("preferred_username", "\u202Eevil\u202C"));
    assertThat(nickAfter(slug, "")).isEqualTo("evil");
  }

  @Test
  void badNicknameIsInvalid() {
    String slug = signInRoom("badnick");
    assertError(new SignInBrowser(server).start(slug, "nick=" + "x".repeat(33)), 400, "invalid");
    assertError(new SignInBrowser(server).start(slug, "nick=%20%20"), 400, "invalid");
  }

  // ---------------------------------------------------------------- a hostile or broken provider

  @Test
  void idTokenSignedWithAnotherKeyIsRefused() {
    String slug = signInRoom("forged");
    provider.signWithStrangerKey("k1"); // claims to be the published key
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_rejected");
    provider.signWithStrangerKey("unknown-kid");
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_rejected");
  }

  @Test
  void expiredIdTokenIsRefused() {
    String slug = signInRoom("expired");
    long past = Instant.now().getEpochSecond() - 3600;
    provider.tamper(c -> c.put("iat", past - 300).put("exp", past));
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_expired");
  }

  @Test
  void idTokenIssuedInTheFutureIsRefused() {
    String slug = signInRoom("future");
    long later = Instant.now().getEpochSecond() + 3600;
    provider.tamper(c -> c.put("iat", later).put("exp", later + 300));
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_issued_at");
  }

  @Test
  void idTokenForAnotherClientIsRefused() {
    String slug = signInRoom("audience");
    provider.tamper(c -> c.put("aud", "some-other-client"));
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_rejected");
    provider.tamper(c -> {
      c.remove("aud");
      return c;
    });
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_audience");
    // Among other audiences, only with azp naming us.
    provider.tamper(c -> c.put("aud", new io.vertx.core.json.JsonArray().add(OidcTestProvider.CLIENT_ID).add("other")));
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_audience");
    provider.tamper(c -> c.put("aud", new io.vertx.core.json.JsonArray().add(OidcTestProvider.CLIENT_ID).add("other"))
        .put("azp", OidcTestProvider.CLIENT_ID));
    token(slug, new SignInBrowser(server).signIn(slug));
  }

  @Test
  void idTokenFromAnotherIssuerIsRefused() {
    String slug = signInRoom("issuer");
    provider.tamper(c -> c.put("iss", "https://elsewhere.example"));
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_rejected");
  }

  @Test
  void idTokenWithAnotherNonceIsRefused() {
    String slug = signInRoom("nonce");
    provider.tamper(c -> c.put("nonce", "replayed-from-another-sign-in"));
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_nonce");
    provider.tamper(c -> {
      c.remove("nonce");
      return c;
    });
    assertRefused(slug, new SignInBrowser(server).signIn(slug), "id_token_nonce");
  }

  @Test
  void refusalFromTheProviderIsExplained() {
    String slug = signInRoom("denied");
    provider.deny("access_denied");
    int exchanges = provider.tokenRequests();
    Step refused = new SignInBrowser(server).signIn(slug);

    assertError(refused, 403, "forbidden");
    assertThat(refused.body()).contains("access_denied");
    assertThat(provider.tokenRequests()).as("nothing to exchange").isEqualTo(exchanges);
    assertThat(participants(slug)).isEmpty();
    assertThat(log).anyMatch(l -> l.contains("event=signin.refused room=" + slug + " reason=provider_error"));
  }

  @Test
  void browsersGetAnAccessiblePageWithAWayBack() {
    String slug = signInRoom("page");
    provider.deny("access_denied");
    Step refused = new SignInBrowser(server, "text/html,application/xhtml+xml,*/*;q=0.8").signIn(slug);

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(refused.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
    assertThat(refused.body()).contains("<html lang=\"en\">").containsPattern("<title>[^<]+</title>")
        .containsPattern("<h1>[^<]+</h1>").contains("access_denied").contains("<a href=\"/r/" + slug + "\">");

    // Without a state it could open, the page has no room to go back to.
    Step noState = new SignInBrowser(server, "text/html").get("/api/signin/callback?code=abc");
    assertThat(noState.status()).isEqualTo(403);
    assertThat(noState.body()).contains("<h1>").doesNotContain("<a href");
  }

  @Test
  void keysTheProviderRotatesAreFetchedAgain() throws IOException {
    // A provider and server of its own: unknown keys are fetched again at most once a minute, and
    // the forgeries of other tests must not have used that up.
    try (OidcTestProvider rotating = OidcTestProvider.start(vertx);
        TestServer own = serverWith(rotating.yaml("rotating"))) {
      String slug = signInRoom(own, "rotate");
      token(slug, new SignInBrowser(own).signIn(slug)); // keys of the first discovery
      rotating.rotateKey("k2");
      // The first token under the new key may be refused (its key was unknown); the keys are then
      // fetched again and a later sign-in passes.
      long deadline = System.nanoTime() + TestServer.TIMEOUT.toNanos();
      Step step = new SignInBrowser(own).signIn(slug);
      while (step.status() != 302 && System.nanoTime() < deadline) {
        sleep(100);
        step = new SignInBrowser(own).signIn(slug);
      }
      token(slug, step);
    }
  }

  // ---------------------------------------------------------------- state and cookie

  @Test
  void tamperedStateIsRefused() {
    String slug = signInRoom("tamper");
    SignInBrowser browser = new SignInBrowser(server);
    Step atProvider = browser.follow(browser.start(slug, ""));
    String state = query(atProvider.location()).get("state");
    char last = state.charAt(state.length() - 5);
    String altered = state.substring(0, state.length() - 5) + (last == 'A' ? 'B' : 'A') + state.substring(state.length() - 4);
    int exchanges = provider.tokenRequests();

    Step refused = browser.get(atProvider.location().replace(state, altered));

    assertError(refused, 403, "forbidden");
    assertThat(provider.tokenRequests()).as("the code is not even exchanged").isEqualTo(exchanges);
    assertThat(participants(slug)).isEmpty();
    assertThat(log).anyMatch(l -> l.contains("event=signin.refused room=? reason=state"));
  }

  @Test
  void stateOfAnotherBrowserIsRefused() {
    String slug = signInRoom("csrf");
    // The attacker starts a sign-in with their own account and sends the callback link to a victim,
    // whose browser has a sign-in cookie of its own (or none at all).
    SignInBrowser attacker = new SignInBrowser(server);
    Step attackersCallback = attacker.follow(attacker.start(slug, ""));
    SignInBrowser victim = new SignInBrowser(server);
    victim.start(slug, "");
    int exchanges = provider.tokenRequests();

    assertError(victim.get(attackersCallback.location()), 403, "forbidden");
    assertError(new SignInBrowser(server).get(attackersCallback.location()), 403, "forbidden");

    assertThat(provider.tokenRequests()).isEqualTo(exchanges);
    assertThat(participants(slug)).isEmpty();
    assertThat(log).anyMatch(l -> l.contains("event=signin.refused room=" + slug + " reason=cookie_mismatch"));
    assertThat(log).anyMatch(l -> l.contains("event=signin.refused room=" + slug + " reason=cookie_missing"));
  }

  @Test
  void callbackCannotBeReplayed() {
    String slug = signInRoom("replay");
    SignInBrowser browser = new SignInBrowser(server);
    Step atProvider = browser.follow(browser.start(slug, ""));
    token(slug, browser.follow(atProvider));
    // Same browser, same link: the cookie is spent (and the provider would refuse the code anyway).
    assertError(browser.get(atProvider.location()), 403, "forbidden");
  }

  @Test
  void callbackWithoutStateOrCodeIsRefused() {
    String slug = signInRoom("nostate");
    SignInBrowser browser = new SignInBrowser(server);
    Step atProvider = browser.follow(browser.start(slug, ""));
    String state = query(atProvider.location()).get("state");

    assertError(new SignInBrowser(server).get("/api/signin/callback"), 403, "forbidden");
    assertError(browser.get("/api/signin/callback?code=abc"), 403, "forbidden");
    assertError(browser.get("/api/signin/callback?state=" + state), 403, "forbidden");
  }

  @Test
  void expiredStateIsRefused() {
    String slug = signInRoom("stale");
    SignInState stale = SignInState.start(slug, "test", null, Instant.now().minus(SignInState.LIFETIME).minusSeconds(1));
    String sealed = stale.seal(new Sealer(SECRET, List.of()));
    SignInBrowser browser = new SignInBrowser(server).cookie(stale.browser());

    assertError(browser.get("/api/signin/callback?code=abc&state=" + sealed), 403, "forbidden");
  }

  @Test
  void theWayBackOnlyEverLeadsToThisServersRoomPage() {
    // Even a state this server sealed cannot send the browser anywhere but /r/{slug}: the slug must
    // be one (so a leaked secret still cannot make an open redirect of the callback).
    Sealer sealer = new Sealer(SECRET, List.of());
    for (String slug : List.of("//evil.example", "x/../../evil", "https://evil.example", "a")) {
      SignInState state = SignInState.start(slug, "test", null, Instant.now());
      Step refused = new SignInBrowser(server).cookie(state.browser())
          .get("/api/signin/callback?code=abc&state=" + state.seal(sealer));
      assertError(refused, 403, "forbidden");
      assertThat(refused.location()).isNull();
    }
  }

  // ---------------------------------------------------------------- rooms and configuration

  @Test
  void unknownRoomIsNotFound() {
    assertError(new SignInBrowser(server).start("no-such-room-here", ""), 404, "not_found");
  }

  @Test
  void roomNotInSignInModeIsForbidden() {
    String slug = openRoom("openmode");
    Step refused = new SignInBrowser(server).start(slug, "");
    assertError(refused, 403, "forbidden");
    assertThat(refused.setCookies()).isEmpty();
  }

  @Test
  void providerNoLongerConfiguredMakesSignInUnavailable() throws IOException {
    // A room is set to signin while the server has a provider; the server restarts without it (an
    // embedded store keeps the room). Sign-ins started before the restart cannot finish either.
    Path data = Files.createTempDirectory("backchannel-signin-data");
    String slug;
    String callback;
    SignInBrowser browser;
    try (TestServer before = serverWith(provider.yaml("test"), "--store=embedded", "--data-dir=" + data)) {
      slug = signInRoom(before, "gone");
      browser = new SignInBrowser(before);
      callback = browser.follow(browser.start(slug, "")).location();
    }
    try (TestServer after = serverWith("oidc: []\n", "--store=embedded", "--data-dir=" + data,
        "--port=" + URI.create(callback).getPort())) {
      assertError(new SignInBrowser(after).start(slug, ""), 503, "unavailable");
      assertError(browser.get(callback), 503, "unavailable");
      assertThat(log).anyMatch(l -> l.endsWith("event=signin.refused room=" + slug + " reason=provider_gone"));
    }
  }

  @Test
  void providerDownAtStartDoesNotStopTheServerAndIsTriedAgain() throws IOException {
    try (OidcTestProvider down = OidcTestProvider.start(vertx).available(false);
        TestServer later = serverWith(down.yaml("later"))) {
      String slug = signInRoom(later, "later");
      assertError(new SignInBrowser(later).start(slug, ""), 503, "unavailable");
      assertThat(log).anyMatch(l -> l.contains("event=signin.refused room=" + slug + " reason=discovery"));

      down.available(true);
      Step start = new SignInBrowser(later).start(slug, "");
      assertThat(start.status()).isEqualTo(302);
      int discoveries = down.discoveries();
      new SignInBrowser(later).start(slug, "");
      assertThat(down.discoveries()).as("discovered once, then cached").isEqualTo(discoveries);
    }
  }

  @Test
  void publicUrlMakesTheRedirectUriAndTheSecureCookie() throws IOException {
    try (TestServer behindProxy = serverWith(provider.yaml("test"), "--public-url=https://backchannel.example/")) {
      String slug = signInRoom(behindProxy, "proxy");
      Step start = new SignInBrowser(behindProxy).start(slug, "");
      assertThat(query(start.location()).get("redirect_uri")).isEqualTo("https://backchannel.example/api/signin/callback");
      assertThat(cookieHeader(start)).containsIgnoringCase("; Secure");
    }
  }

  @Test
  void refusalsNeverEchoTheCodeOrState() {
    String slug = signInRoom("echo");
    provider.tamper(c -> c.put("nonce", "wrong"));
    SignInBrowser browser = new SignInBrowser(server);
    Step atProvider = browser.follow(browser.start(slug, ""));
    MultiMap q = query(atProvider.location());
    secrets.add(q.get("code"));
    secrets.add(q.get("state"));

    Step refused = browser.follow(atProvider);

    assertError(refused, 403, "forbidden");
    assertThat(refused.body()).doesNotContain(q.get("code")).doesNotContain(q.get("state"));
    assertThat(log).anyMatch(l -> l.contains("event=signin.refused room=" + slug + " reason=id_token_nonce"));
  }

  // ---------------------------------------------------------------- helpers

  private TestServer serverWith(String yaml, String... flags) throws IOException {
    Path file = Files.writeString(Files.createTempFile("backchannel-signin", ".yaml"), yaml);
    file.toFile().deleteOnExit();
    List<String> all = new ArrayList<>(List.of("--config=" + file, "--token-secret=" + SECRET,
        "--joins-per-minute=100000"));
    all.addAll(List.of(flags));
    return TestServer.start(vertx, new EventLog("text", Clock.systemUTC(), log::add), all.toArray(String[]::new));
  }

  /** A new room of {@code server} whose access is signin (created open, then changed by the organizer). */
  private static String signInRoom(TestServer server, String prefix) {
    String slug = server.createRoom(uniqueTag(prefix)).getString("slug");
    Response r = server.request(HttpMethod.PATCH, "/api/rooms/" + slug, server.organizerKey(),
        new JsonObject().put("access", "signin").encode());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return slug;
  }

  private String signInRoom(String prefix) {
    return signInRoom(server, prefix);
  }

  /** A new room open to anyone with the link. */
  private String openRoom(String prefix) {
    return server.createRoom(uniqueTag(prefix)).getString("slug");
  }

  private static String uniqueTag(String prefix) {
    return prefix + ROOMS.incrementAndGet() + "x" + (System.nanoTime() % 100_000);
  }

  private String nickAfter(String slug, String query) {
    String token = token(slug, new SignInBrowser(server).signIn(slug, query));
    String id = participant(token);
    return participants(slug).stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().nick();
  }

  /** The participant token of a successful callback, after checking that it leads to the room's own page. */
  private String token(String slug, Step callback) {
    assertThat(callback.status()).as(callback.body()).isEqualTo(302);
    Matcher m = Pattern.compile("/r/" + Pattern.quote(slug) + "#token=([^?&#/]+)").matcher(callback.location());
    assertThat(m.matches()).as(callback.location()).isTrue();
    secrets.add(m.group(1));
    return m.group(1);
  }

  private static String participant(String token) {
    return token.split("\\.")[1];
  }

  private List<Participant> participants(String slug) {
    return TestServer.await(server.store().export(slug)).participants();
  }

  /** Refused for {@code reason} (as logged), without a way into the room or a participant. */
  private void assertRefused(String slug, Step callback, String reason) {
    assertError(callback, 403, "forbidden");
    assertThat(callback.location()).isNull();
    assertThat(participants(slug)).as("no participant was created").isEmpty();
    String line = "event=signin.refused room=" + slug + " reason=" + reason;
    assertThat(log).as(line).anyMatch(l -> l.endsWith(line));
  }

  private static void assertError(Step step, int status, String code) {
    assertThat(step.status()).as(step.body()).isEqualTo(status);
    assertThat(step.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonObject error = new JsonObject(step.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  private static String cookieHeader(Step step) {
    return step.setCookies().stream().filter(c -> c.startsWith(SignInBrowser.COOKIE + "=")).findFirst()
        .orElseThrow(() -> new AssertionError("no sign-in cookie in " + step.setCookies()));
  }

  private static MultiMap query(String url) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap();
    String raw = URI.create(url).getRawQuery();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      params.add(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
