package dev.backchannel.store.embedded;

import static dev.backchannel.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Mark;
import dev.backchannel.model.Post;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.History;
import dev.backchannel.store.Invitation;
import dev.backchannel.store.JoinRequest;
import dev.backchannel.store.SettingsPatch;
import dev.backchannel.store.NetworkDecision;
import dev.backchannel.store.PostOrder;
import dev.backchannel.store.RoomExport;
import dev.backchannel.store.RoomState;
import dev.backchannel.store.Store;
import dev.backchannel.store.embedded.EmbeddedStore.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14, recovery: a store closed and opened again on the same directory holds exactly what it
 * held (rooms, participants, posts, ratings, karma, marks, bans, seq, acks, resume history), answers
 * retried cids as before and carries on from there.
 */
class EmbeddedRestartTest {

  @TempDir
  Path dir;
  private final EmbeddedFixture fixture = new EmbeddedFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Everything the store's reads give about one room and its participants. */
  private record Picture(RoomState state, RoomExport export, History history, Map<String, Object> perParticipant,
      Map<PostOrder, List<Post>> lists, List<Invitation> invitations, List<AuditEntry> audit) {}

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aReopenedStoreHoldsWhatItHeldAndAnswersRetriesAsBefore(Durability durability) {
    EmbeddedStore first = fixture.open(dir, durability);
    await(first.createRoom(EmbeddedFixture.room("keynote")));
    await(first.createRoom(EmbeddedFixture.room("closed")));
    await(first.close("closed"));
    List<String> people = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      people.add(await(first.join("keynote", i == 0 ? null : "p" + i, "10.0." + (i % 2) + ".0/24")).id());
    }
    List<String> posts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      posts.add(await(first.post("keynote", people.get(i), "c-post-" + i, "question " + i, i == 3 ? posts.get(0) : null))
          .id());
    }
    for (int r = 0; r < people.size(); r++) {
      for (int p = 0; p < posts.size(); p++) {
        if (p != r) {
          await(first.rate("keynote", people.get(r), "c-rate-" + r + "-" + p, posts.get(p), (r * 3 + p) % 11 - 5));
        }
      }
    }
    await(first.rate("keynote", people.get(5), "c-withdraw", posts.get(1), null));
    await(first.mark("keynote", posts.get(2), Mark.HIGHLIGHTED, false));
    await(first.mark("keynote", posts.get(1), Mark.HIDDEN, true));
    await(first.ban("keynote", people.get(7)));
    String label = dev.backchannel.model.Network.label(await(first.evidence("keynote", posts.get(0))).salt(), "10.0.1.0/24");
    await(first.decide("keynote", label, null, NetworkDecision.VENUE));
    await(first.sweep("keynote"));
    // v2 access: settings, invitations, an invited and a signed-in participant, the audit log.
    ObjectMapper json = new ObjectMapper();
    await(first.configure("keynote", new SettingsPatch(Map.of("title", json.valueToTree("Day two"),
        "access", json.valueToTree("invite"), "unverifiedWeight", json.valueToTree(0.5)))));
    await(first.invite("keynote", List.of(new Invitation("h1", "s1", null), new Invitation("h2", "s2", null))));
    people.add(await(first.join("keynote", new JoinRequest("Invited", "10.0.3.0/24", null, "h1", null)))
        .participant().id());
    people.add(await(first.join("keynote", JoinRequest.signedIn("Signed", "10.0.4.0/24", "s"))).participant().id());
    await(first.rate("keynote", people.get(2), "c-unverified", posts.get(3), 4));
    await(first.audit("keynote", new AuditEntry(Instant.parse("2026-12-01T10:00:00Z"), "organizer", "settings", null,
        null, "title,access,unverifiedWeight")));
    String secret = await(first.tokenSecret("the-first-secret-0123456789"));
    Post answered = await(first.answered("keynote", people.get(4), "c-rate-4-0"));
    Picture before = picture(first, people);
    await(first.close());

    fixture.events.clear();
    EmbeddedStore second = fixture.open(dir, durability);
    Picture after = picture(second, people);
    assertThat(after).usingRecursiveComparison().ignoringCollectionOrderInFields("export.ratings", "export.participants")
        .isEqualTo(before);
    assertThat(fixture.events).as("a replay is not news for the node").isEmpty();
    assertThat(await(second.room("closed")).status()).isEqualTo(dev.backchannel.model.RoomStatus.CLOSED);
    assertThat(await(second.tokenSecret("another-secret-0123456789"))).isEqualTo(secret);
    assertThat(await(second.join("keynote", new JoinRequest(null, "10.0.5.0/24", null, "h1", null)))
        .participant().id()).as("the invitation stays bound").isEqualTo(people.get(people.size() - 2));

    // Retries of acknowledged commands answer as the first time and change nothing.
    assertThat(await(second.rate("keynote", people.get(4), "c-rate-4-0", posts.get(0), 5)))
        .usingRecursiveComparison().isEqualTo(answered);
    assertThat(await(second.post("keynote", people.get(0), "c-post-0", "again", null)).id()).isEqualTo(posts.get(0));
    assertThat(await(second.load("keynote")).seq()).isEqualTo(before.state().seq());

    // And it carries on: the next post gets the next id and seq, and reaches the node.
    Post next = await(second.post("keynote", people.get(2), "c-next", "after the restart", null));
    assertThat(next.number()).isEqualTo(posts.size() + 1L);
    assertThat(await(second.load("keynote")).seq()).isEqualTo(before.state().seq() + 1);
    assertThat(fixture.events).extracting(e -> e.seq()).containsExactly(before.state().seq() + 1);
    await(second.close());

    // A third start replays the commands of both runs.
    EmbeddedStore third = fixture.open(dir, durability);
    assertThat(await(third.load("keynote")).posts()).extracting(Post::id).contains(next.id());
    await(third.close());
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aDeletedRoomLeavesNoRowInTheJournalAndStaysGoneAfterARestart(Durability durability) throws Exception {
    EmbeddedStore first = fixture.open(dir, durability);
    for (String slug : List.of("gone", "kept")) {
      await(first.createRoom(EmbeddedFixture.room(slug)));
      String author = await(first.join(slug, "Ada", "10.0.0.0/24")).id();
      await(first.post(slug, author, "c1", "a question", null));
    }
    await(first.delete("gone"));
    await(first.createRoom(EmbeddedFixture.room("gone"))); // the hashtag is free again
    await(first.close());

    try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Journal.FILE));
        java.sql.ResultSet rows = db.createStatement().executeQuery(
            "SELECT kind FROM journal WHERE room = 'gone' ORDER BY id")) {
      List<String> kinds = new ArrayList<>();
      while (rows.next()) {
        kinds.add(rows.getString(1));
      }
      assertThat(kinds).as("only the new room's creation").containsExactly("createRoom");
    }
    EmbeddedStore second = fixture.open(dir, durability);
    assertThat(await(second.load("gone")).posts()).isEmpty();
    assertThat(await(second.load("kept")).posts()).hasSize(1);
    await(second.close());
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefused() {
    EmbeddedStore first = fixture.open(dir, Durability.ALWAYS);
    assertThatThrownBy(() -> fixture.open(dir, Durability.ALWAYS)).hasStackTraceContaining("in use by another");
    await(first.close());
  }

  @Test
  void aDirectoryThatCannotBeCreatedFailsStartWithItsName() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    assertThatThrownBy(() -> fixture.open(file.resolve("data"), Durability.ALWAYS))
        .hasStackTraceContaining("a-file/data").hasStackTraceContaining("not writable");
  }

  @Test
  void commandsForUnknownRoomsAreNotFoundAndNeverJournaled() {
    EmbeddedStore store = fixture.open(dir, Durability.ALWAYS);
    await(store.createRoom(EmbeddedFixture.room("somewhere")));
    assertThat(EmbeddedFixture.refusal(store.join("nowhere", "x", "10.0.0.0/24")).code()).isEqualTo(ErrorCode.NOT_FOUND);
    long journaled = await(store.withJournal(j -> j.replay(entry -> { })));
    assertThat(journaled).as("journaled commands").isEqualTo(1);
    await(store.close());
  }

  private static Picture picture(Store store, List<String> people) {
    Map<String, Object> perParticipant = new LinkedHashMap<>();
    for (String id : people) {
      perParticipant.put(id, await(store.participant("keynote", id)));
      perParticipant.put(id + "/ratings", await(store.ratingsOf("keynote", id)));
    }
    Map<PostOrder, List<Post>> lists = new LinkedHashMap<>();
    for (PostOrder order : PostOrder.values()) {
      lists.put(order, await(store.list("keynote", order, 100)));
    }
    return new Picture(await(store.load("keynote")), await(store.export("keynote")), await(store.history("keynote", 0)),
        perParticipant, lists, await(store.invitations("keynote")), await(store.auditLog("keynote")));
  }
}
