package dev.backchannel.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Who may join (PROTOCOL.md v2, access) in real headless Chromium: the audience page asks a code
 * room for its code and an invite room for an invitation, an invitation link lets its holder in on
 * every device as the same person, the sign-in callback's {@code #token=} landing lets a person in,
 * and the organizer page shows the room code, makes a new one, switches the mode and hands out
 * invitations (CSV and printable sheet) with the organizer key only ever in a header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserAccessTest {

  private Vertx vertx;
  private TestServer server;
  private Browser phone;
  private Browser tablet;
  private Browser desk;

  @BeforeAll
  void start() {
    Browser.assumeChromium();
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=50", "--dashboard-interval-ms=50");
    phone = Browser.open(Browser.PHONE);
    tablet = Browser.open(Browser.PHONE);
    desk = Browser.open(Browser.DESKTOP);
  }

  @AfterAll
  void stop() {
    Browser.closeAll(vertx, phone, tablet, desk, server);
  }

  private String base() {
    return base(server);
  }

  private static String base(TestServer on) {
    return "http://127.0.0.1:" + on.port();
  }

  /** Creates a room with this access mode over HTTP and returns the 201 body (with its settings). */
  private static JsonObject createRoom(TestServer on, String hashtag, String title, String access) {
    TestServer.Response r = on.request(HttpMethod.POST, "/api/rooms", on.organizerKey(),
        new JsonObject().put("hashtag", hashtag).put("title", title).put("access", access).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private List<String> invite(String slug, int count) {
    TestServer.Response r = server.request(HttpMethod.POST, "/api/rooms/" + slug + "/invites", server.organizerKey(),
        new JsonObject().put("count", count).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getJsonArray("invites").stream().map(String.class::cast).toList();
  }

  private JsonObject settings(String slug) {
    return server.request(HttpMethod.GET, "/api/rooms/" + slug, server.organizerKey(), null).json()
        .getJsonObject("settings");
  }

  /** Who the browser is in the room, as the page keeps it. */
  private static JsonObject identity(Browser browser, String slug) {
    String stored = browser.js("return localStorage.getItem(arguments[0]);", "bc:identity:" + slug);
    return stored == null ? null : new JsonObject(stored);
  }

  /** ABCD-EFGH-…, as the printed sheet shows an invitation. */
  private static String grouped(String invite) {
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < invite.length(); i += 4) {
      groups.add(invite.substring(i, Math.min(invite.length(), i + 4)));
    }
    return String.join("-", groups);
  }

  @Test
  void aCodeRoomLetsInWhoeverTypesItsCode() {
    JsonObject room = createRoom(server, "#hall-talk", "Talk in the hall", "code");
    String slug = room.getString("slug");
    String code = room.getJsonObject("settings").getString("joinCode");
    AudiencePage ada = new AudiencePage(phone, base());
    ada.open(slug);

    WebElement field = phone.until(d -> ada.visible("#code"));
    assertThat(phone.find("label[for=code]").getText()).isEqualTo("This room asks for its code");
    assertThat(field.getDomAttribute("autocomplete")).isEqualTo("off");
    assertThat(field.getDomAttribute("autocapitalize")).isEqualTo("characters");
    assertThat(field.getDomAttribute("spellcheck")).isEqualTo("false");
    phone.assertAccessible("the audience page of a room with a code");
    phone.screenshots("access-code-asked");

    field.sendKeys("WRONG99");
    ada.submitJoin("Ada");
    ada.waitJoinError("That is not this room's code.");
    assertThat(ada.focused()).isEqualTo("code");
    assertThat(field.getDomAttribute("aria-invalid")).isEqualTo("true");
    phone.assertAccessible("the audience page after a wrong code");
    phone.screenshots("access-code-wrong");

    // Typed as people type on phones: in small letters. The nickname is still there.
    field.clear();
    field.sendKeys(code.toLowerCase(Locale.ROOT));
    phone.find("#join-submit").click();
    ada.waitState("online");
    String question = "Can everyone at the back hear the speaker?";
    ada.post(question);
    assertThat(phone.find("#me-nick").getText()).isEqualTo("Ada");

    phone.driver().navigate().refresh();
    ada.waitState("online");
    assertThat(phone.find("#join").isDisplayed()).isFalse();
    assertThat(phone.find("#me-nick").getText()).isEqualTo("Ada");
    assertThat(ada.card(question).getDomAttribute("data-mine")).isEqualTo("true");
    assertThat(phone.overflowAt(320, 480)).isZero();
    phone.assertAccessible("the audience page of a code room, joined");
    phone.screenshots("access-code-joined");
  }

  @Test
  void tooManyWrongCodesFromOneNetworkAskForAPause() {
    // A server of its own: the network this machine's browsers share stays blocked for a minute.
    try (TestServer other = TestServer.start(vertx)) {
      String slug = createRoom(other, "#guarded", "Guarded", "code").getString("slug");
      for (int i = 0; i < 10; i++) {
        other.request(HttpMethod.POST, "/api/rooms/" + slug + "/participants", null, "{\"code\":\"NOPE0" + i + "\"}");
      }
      AudiencePage eve = new AudiencePage(tablet, base(other));
      eve.open(slug);
      tablet.until(d -> eve.visible("#code")).sendKeys("ANYTHING");
      eve.submitJoin(null);
      eve.waitJoinError("Too many wrong codes from your network. Wait a minute and try again.");
      assertThat(eve.focused()).isEqualTo("code");
      tablet.assertAccessible("the audience page after too many wrong codes");
      tablet.screenshots("access-code-too-many");
    }
  }

  @Test
  void anInvitationLinkLetsItsHolderInOnEveryDeviceAsTheSamePerson() {
    JsonObject room = createRoom(server, "#board", "Board meeting", "invite");
    String slug = room.getString("slug");
    List<String> invites = invite(slug, 2);
    AudiencePage ada = new AudiencePage(phone, base());

    // Opened without an invitation: the page says so and offers a field for it.
    ada.open(slug);
    phone.until(d -> ada.visible("#invite"));
    assertThat(phone.find("#join-access").getText()).contains("by invitation");
    phone.assertAccessible("the audience page of an invite room");
    phone.screenshots("access-invite-asked");

    // The link from the printed sheet: no invitation to type, and it leaves the address bar.
    phone.get(base() + "/r/" + slug + "#invite=" + invites.get(0));
    phone.until(d -> ada.visible("#nick"));
    assertThat(phone.driver().getCurrentUrl()).isEqualTo(base() + "/r/" + slug);
    assertThat(ada.visible("#invite")).isNull();
    assertThat(ada.visible("#code")).isNull();
    assertThat(phone.find("#join-access").getText()).contains("personal invitation");
    phone.assertAccessible("the audience page opened from an invitation link");
    phone.screenshots("access-invited");
    ada.join("Ada");
    String adaId = identity(phone, slug).getString("id");

    // The same invitation on a second device: the same participant, nickname and all.
    AudiencePage adaAgain = new AudiencePage(tablet, base());
    tablet.get(base() + "/r/" + slug + "#invite=" + invites.get(0));
    adaAgain.join(null);
    assertThat(tablet.driver().getCurrentUrl()).isEqualTo(base() + "/r/" + slug);
    assertThat(tablet.find("#me-nick").getText()).isEqualTo("Ada");
    assertThat(identity(tablet, slug).getString("id")).isEqualTo(adaId);
    String fromTablet = "Posted from my tablet";
    adaAgain.post(fromTablet);
    assertThat(ada.card(fromTablet).getDomAttribute("data-mine")).isEqualTo("true");

    // An invitation that is not one of this room's, opened in a tab that forgot who it was.
    tablet.js("localStorage.clear();");
    tablet.get(base() + "/r/" + slug + "#invite=NOT-AN-INVITATION");
    AudiencePage stranger = new AudiencePage(tablet, base());
    stranger.submitJoin("Grace");
    stranger.waitJoinError(
        "This invitation does not open this room. Check it against the one you received and type it here.");
    WebElement field = stranger.visible("#invite");
    assertThat(field.getDomProperty("value")).isEqualTo("NOT-AN-INVITATION");
    assertThat(stranger.focused()).isEqualTo("invite");
    tablet.assertAccessible("the audience page after an unknown invitation");
    tablet.screenshots("access-invite-unknown");

    // Typed as printed, with dashes, in small letters: a person of their own.
    field.clear();
    field.sendKeys(grouped(invites.get(1)).toLowerCase(Locale.ROOT));
    tablet.find("#join-submit").click();
    stranger.waitState("online");
    assertThat(tablet.find("#me-nick").getText()).isEqualTo("Grace");
    assertThat(identity(tablet, slug).getString("id")).isNotEqualTo(adaId);
  }

  @Test
  void theSignInLandingTokenLetsThePersonIn() {
    JsonObject room = server.createRoom("#landing");
    String slug = room.getString("slug");
    JsonObject joined = server.join(slug, "Tess");
    String token = joined.getString("token");
    AudiencePage tess = new AudiencePage(desk, base());

    desk.get(base() + "/r/" + slug + "#token=" + token);
    tess.waitState("online");
    assertThat(desk.driver().getCurrentUrl()).isEqualTo(base() + "/r/" + slug);
    assertThat(desk.find("#join").isDisplayed()).isFalse();
    assertThat(desk.find("#me-nick").getText()).isEqualTo("Tess");
    assertThat(identity(desk, slug).getString("token")).isEqualTo(token);

    // The organizer renames the room meanwhile: the page follows.
    TestServer.Response renamed = server.request(HttpMethod.PATCH, "/api/rooms/" + slug, server.organizerKey(),
        new JsonObject().put("title", "Renamed during the talk").encode());
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    desk.until(d -> "Renamed during the talk".equals(desk.find("#room-title").getText()) ? true : null);
    assertThat(desk.driver().getTitle()).startsWith("Renamed during the talk");
    tess.post("Signed in and ready");
    desk.assertAccessible("the audience page after the sign-in landing");
    desk.screenshots("access-token-landing");
  }

  @Test
  void theOrganizerShowsTheCodeMakesANewOneAndHandsOutInvitations() throws Exception {
    desk.get(base() + "/organize");
    desk.find("#organizer-key").sendKeys(server.organizerKey());
    desk.find("#hashtag").sendKeys("#track-b");
    desk.find("#title").sendKeys("Track B");
    desk.find("label[for=access-code]").click();
    assertThat(desk.find("#access-code").isSelected()).isTrue();
    desk.assertAccessible("the organizer page's create form with who may join");
    desk.screenshots("organize-access-choices", "#create-form");
    desk.find("#create-form button[type=submit]").click();

    WebElement card = desk.find("#room-list li[data-slug='track-b']");
    String first = desk.until(d -> {
      String shown = card.findElement(By.cssSelector(".room-code")).getText();
      return shown.matches("[A-Z0-9]{6,12}") ? shown : null;
    });
    assertThat(first).isEqualTo(settings("track-b").getString("joinCode"));
    assertThat(card.findElement(By.cssSelector(".access-now")).getText()).isEqualTo("Now: Anyone with the room code.");
    desk.until(d -> "0 invitations, 0 used".equals(card.findElement(By.cssSelector(".invites-summary")).getText())
        ? true : null);
    desk.assertAccessible("the organizer page with a code room's access panel");
    desk.screenshots("organize-access", "#room-list .access");

    button(card, "New code").click();
    String second = desk.until(d -> {
      String shown = card.findElement(By.cssSelector(".room-code")).getText();
      return shown.matches("[A-Z0-9]{6,12}") && !shown.equals(first) ? shown : null;
    });
    assertThat(second).isEqualTo(settings("track-b").getString("joinCode"));
    waitStatus(card, "New room code: " + second + ". The old one no longer works.");

    WebElement count = desk.find("#count-track-b");
    count.clear();
    count.sendKeys("3");
    button(card, "Create invitations").click();
    desk.until(d -> "3 invitations, 0 used".equals(card.findElement(By.cssSelector(".invites-summary")).getText())
        ? true : null);
    waitStatus(card, "Created 3 invitations.");

    // The CSV: fetched with the key in a header, saved through a Blob URL.
    button(card, "Download CSV").click();
    Path csv = desk.downloads().resolve("track-b-invitations.csv");
    desk.until(d -> Files.exists(csv) && Files.isReadable(csv) ? true : null);
    List<String> rows = desk.until(d -> {
      try {
        List<String> lines = Files.readAllLines(csv);
        return lines.size() == 4 ? lines : null;
      } catch (java.io.IOException e) {
        return null;
      }
    });
    assertThat(rows.get(0)).isEqualTo("invite,link,used");
    String invitation = rows.get(1).split(",")[0].replace("\"", "");

    // The printable sheet, in a tab of its own.
    String organizerTab = desk.driver().getWindowHandle();
    button(card, "Open printable sheet").click();
    desk.until(d -> d.getWindowHandles().size() == 2 ? true : null);
    String sheetTab = desk.driver().getWindowHandles().stream().filter(h -> !h.equals(organizerTab)).findFirst().orElseThrow();
    desk.driver().switchTo().window(sheetTab);
    desk.until(d -> d.findElements(By.cssSelector("ol > li")).size() == 3 ? true : null);
    assertThat(desk.find("h1").getText()).isEqualTo("Invitations to Track B");
    desk.screenshots("organize-invitation-sheet");
    desk.driver().close();
    desk.driver().switchTo().window(organizerTab);
    waitStatus(card, "The printable sheet opened in a new tab.");

    // No sign-in provider on this server: the server's reason is shown.
    new Select(desk.find("#mode-track-b")).selectByValue("signin");
    button(card, "Change").click();
    desk.until(d -> card.findElement(By.cssSelector(".error")).getText().contains("sign-in provider") ? true : null);
    assertThat(card.findElement(By.cssSelector(".access-now")).getText()).isEqualTo("Now: Anyone with the room code.");
    desk.assertAccessible("the organizer page after a refused access mode");

    new Select(desk.find("#mode-track-b")).selectByValue("invite");
    button(card, "Change").click();
    desk.until(d -> "Now: Only people with a personal invitation.".equals(
        card.findElement(By.cssSelector(".access-now")).getText()) ? true : null);
    assertThat(card.findElement(By.cssSelector(".code-box")).isDisplayed()).isFalse();
    assertThat(card.findElement(By.cssSelector(".error")).isDisplayed()).isFalse();
    assertThat(settings("track-b").getString("access")).isEqualTo("invite");

    TestServer.Response used = server.request(HttpMethod.POST, "/api/rooms/track-b/participants", null,
        new JsonObject().put("invite", invitation).encode());
    assertThat(used.status()).as(used.body()).isEqualTo(201);
    button(card, "Count again").click();
    desk.until(d -> "3 invitations, 1 used".equals(card.findElement(By.cssSelector(".invites-summary")).getText())
        ? true : null);

    WebElement weight = desk.find("#weight-track-b");
    weight.clear();
    weight.sendKeys("2");
    button(card, "Save").click();
    desk.until(d -> "Enter a number from 0 to 1, for example 0.5.".equals(
        card.findElement(By.cssSelector(".error")).getText()) ? true : null);
    assertThat(desk.js("return document.activeElement.id;").toString()).isEqualTo("weight-track-b");
    assertThat(weight.getDomAttribute("aria-invalid")).isEqualTo("true");
    desk.assertAccessible("the organizer page with a weight out of range");
    weight.clear();
    weight.sendKeys("0.5");
    button(card, "Save").click();
    waitStatus(card, "Saved: their ratings count × 0.5.");
    assertThat(settings("track-b").getDouble("unverifiedWeight")).isEqualTo(0.5);

    assertThat(desk.overflowAt(683, 450)).isZero();
    assertThat(desk.overflowAt(320, 480)).isZero();
    desk.assertAccessible("the organizer page of an invite room with invitations");
    desk.screenshots("organize-access-invite", "#room-list .access");
  }

  private static WebElement button(WebElement card, String text) {
    return card.findElements(By.tagName("button")).stream().filter(b -> text.equals(b.getText())).findFirst()
        .orElseThrow(() -> new AssertionError("no button " + text));
  }

  private void waitStatus(WebElement card, String text) {
    desk.until(d -> text.equals(card.findElement(By.cssSelector(".access-status")).getText()) ? true : null);
  }
}
