package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * The audience page when the network or the server goes away: the indicator says so, what the
 * person typed or sent meanwhile is kept (on the page and in localStorage), and queued posts go out
 * exactly once when the connection is back.
 */
class BrowserReconnectTest {

  private Vertx vertx;
  private RestartableServer server;
  private Browser phone;

  @BeforeEach
  void start() {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    server = RestartableServer.start(vertx, "--broadcast-interval-ms=50");
    phone = Browser.open(Browser.PHONE);
  }

  @AfterEach
  void stop() {
    if (phone != null) {
      phone.close();
    }
    if (server != null) {
      server.close();
    }
    if (vertx != null) {
      TestServer.await(vertx.close());
    }
  }

  private JsonObject http(String method, String path, String bearer, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + path))
        .timeout(TestServer.TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(response.body());
  }

  private String createRoom(String hashtag) throws Exception {
    return http("POST", "/api/rooms", "test-organizer-key-0123", new JsonObject().put("hashtag", hashtag).encode())
        .getString("slug");
  }

  private String storage(String key) {
    return phone.js("return localStorage.getItem(arguments[0]);", key);
  }

  @Test
  void aServerRestartShowsInTheIndicatorAndKeepsWhatWasTyped() throws Exception {
    String slug = createRoom("#restart");
    AudiencePage page = new AudiencePage(phone, server.base());
    page.open(slug);
    page.join("Ada");
    page.post("Before the restart");
    assertThat(page.connectionText()).isEqualTo("Live");

    server.stop();
    page.waitState("reconnecting");
    assertThat(page.connectionText()).startsWith("Reconnecting");
    // Sent while the server is away: queued, shown as waiting, kept in localStorage.
    page.type("Sent while the server was away");
    phone.find("#composer-send").click();
    phone.until(d -> phone.find("#unsent").isDisplayed() ? true : null);
    assertThat(phone.find("#unsent").getText()).contains("Sent while the server was away");
    assertThat(page.connectionText()).contains("1 waiting to send");
    // Still being typed: on the page and in localStorage, never lost.
    String draft = "A draft <b>I am</b> still writing";
    page.type(draft);
    assertThat(storage("bc:queue:" + slug)).contains("Sent while the server was away");
    assertThat(storage("bc:draft:" + slug)).contains("A draft <b>I am</b> still writing");
    phone.assertAccessible("the audience page while reconnecting");
    phone.screenshots("audience-reconnecting");

    // A new server on the same port, with a new (empty) memory store: the room is gone.
    server.restart();
    page.waitState("stopped");
    assertThat(phone.find("#notice").getText()).contains("does not exist");
    assertThat(page.composerText()).isEqualTo(draft);
    assertThat(phone.find("#unsent").getText()).contains("Sent while the server was away");

    phone.driver().navigate().refresh();
    phone.until(d -> draft.equals(page.composerText()) ? true : null);
    assertThat(storage("bc:queue:" + slug)).contains("Sent while the server was away");
    phone.assertAccessible("the audience page of a room that is gone");
    phone.screenshots("audience-room-gone");
  }

  @Test
  void aPostWrittenOfflineIsSentOnceWhenTheNetworkIsBack() throws Exception {
    String slug = createRoom("#offline");
    AudiencePage page = new AudiencePage(phone, server.base());
    page.open(slug);
    page.join(null);

    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);
    phone.driver().setNetworkConditions(offline);
    page.waitState("offline");
    page.type("Written in the basement");
    phone.find("#composer-send").click();
    phone.until(d -> page.connectionText().contains("1 waiting to send") ? true : null);
    assertThat(page.connectionText()).startsWith("Offline");
    phone.assertAccessible("the audience page while offline");
    phone.screenshots("audience-offline");

    phone.driver().deleteNetworkConditions();
    page.card("Written in the basement");
    page.waitState("online");
    phone.until(d -> storage("bc:queue:" + slug) == null ? true : null);
    assertThat(phone.find("#unsent").isDisplayed()).isFalse();
    assertThat(phone.findAll("#posts > li")).hasSize(1);
    JsonArray posts = http("GET", "/api/rooms/" + slug + "/posts?sort=new", null, null).getJsonArray("posts");
    assertThat(posts).hasSize(1);
    assertThat(posts.getJsonObject(0).getString("text")).isEqualTo("Written in the basement");
    assertThat(phone.findAll("#posts .author").get(0).getText()).isEqualTo("Anonymous (you)");
    assertThat(phone.find("#posts .post").findElement(By.cssSelector(".rate")).isDisplayed()).isFalse();
  }
}
