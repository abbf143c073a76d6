package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.gateway.EventLog;
import dev.backchannel.testing.OidcTestProvider;
import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sign-in (PROTOCOL.md v2, {@code access: signin}) through the real browser redirects in headless
 * Chromium: the audience page's link goes to the server, the server to a real OpenID Connect
 * provider of the test's own, the provider back to the callback, and the callback to the room with
 * the participant's token, where the person posts. A person signing in again is the same
 * participant; a provider that refuses leaves the browser on a page that says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSignInTest {

  private Vertx vertx;
  private OidcTestProvider provider;
  private TestServer server;
  private Browser phone;
  private final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws IOException {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    provider = OidcTestProvider.start(vertx);
    Path config = Files.writeString(Files.createTempFile("backchannel-browser-signin", ".yaml"), provider.yaml("company"));
    config.toFile().deleteOnExit();
    server = TestServer.start(vertx, new EventLog("text", Clock.systemUTC(), log::add), "--config=" + config,
        "--broadcast-interval-ms=50");
    phone = Browser.open(Browser.PHONE);
  }

  @AfterAll
  void stop() {
    Browser.closeAll(vertx, phone, server, provider);
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private String signInRoom(String tag) {
    TestServer.Response r = server.request(HttpMethod.POST, "/api/rooms", server.organizerKey(),
        new JsonObject().put("hashtag", tag).put("title", "All hands").put("access", "signin").encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("slug");
  }

  @Test
  void aPersonSignsInLandsInTheRoomAndPostsAndIsTheSameParticipantNextTime() {
    String slug = signInRoom("#allhands-signin");
    provider.reset().signInAs("employee-4711", new JsonObject().put("preferred_username", "grace"));
    AudiencePage grace = new AudiencePage(phone, base());
    int asked = provider.authorizeRequests().size();

    phone.get(base() + "/r/" + slug);
    phone.until(d -> phone.find("#signin-link").isDisplayed() ? true : null);
    phone.assertAccessible("the audience page of a sign-in room");
    phone.screenshots("signin-asked");
    phone.find("#signin-link").click();

    grace.waitState("online");
    assertThat(phone.driver().getCurrentUrl()).as("the token left the address bar").isEqualTo(base() + "/r/" + slug);
    assertThat(phone.find("#me-nick").getText()).isEqualTo("grace");
    grace.post("Signed in with the company account");
    phone.assertAccessible("the audience page after signing in");
    phone.screenshots("signin-joined");
    String first = stored(slug).getString("id");

    // Another day, another browser profile: the same person is the same participant.
    phone.js("localStorage.clear(); sessionStorage.clear();");
    phone.get(base() + "/r/" + slug);
    phone.until(d -> phone.find("#signin-link").isDisplayed() ? true : null);
    phone.find("#signin-link").click();
    grace.waitState("online");
    assertThat(stored(slug).getString("id")).isEqualTo(first);
    assertThat(provider.authorizeRequests()).as("two sign-ins at the provider").hasSize(asked + 2);
    assertThat(String.join("\n", log)).contains("participant.signed_in").doesNotContain("employee-4711");
  }

  @Test
  void aProviderThatRefusesLeavesThePersonOnAPageThatSaysSoWithAWayBack() {
    String slug = signInRoom("#allhands-refused");
    provider.reset().deny("access_denied");

    phone.get(base() + "/");
    phone.js("localStorage.clear(); sessionStorage.clear();");
    phone.get(base() + "/r/" + slug);
    phone.until(d -> phone.find("#signin-link").isDisplayed() ? true : null);
    phone.find("#signin-link").click();

    phone.until(d -> phone.driver().getCurrentUrl().contains("/api/signin/callback") ? true : null);
    assertThat(phone.find("h1").getText()).isNotBlank();
    assertThat(phone.find("main").getText()).containsIgnoringCase("sign");
    assertThat(phone.find("a[href='/r/" + slug + "']").isDisplayed()).isTrue();
    phone.assertAccessible("the sign-in refusal page");
    phone.screenshots("signin-refused");
  }

  private JsonObject stored(String slug) {
    String identity = phone.js("return localStorage.getItem(arguments[0]);", "bc:identity:" + slug);
    return new JsonObject(identity);
  }
}
