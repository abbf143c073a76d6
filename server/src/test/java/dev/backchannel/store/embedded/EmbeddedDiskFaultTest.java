package dev.backchannel.store.embedded;

import static dev.backchannel.testing.TestServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Post;
import dev.backchannel.store.RoomState;
import dev.backchannel.store.embedded.EmbeddedStore.Durability;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, faults of the disk: a full disk (SQLite's {@code max_page_count} at the database's
 * current size, so nothing needs mounting) makes commands answer {@code unavailable} and the health
 * check fail without showing or corrupting anything; a torn tail of the log is dropped the way SQLite
 * drops it; a damaged file stops start-up with a message instead of serving a wrong state.
 */
class EmbeddedDiskFaultTest {

  /** Text long enough that a few posts need a new page. */
  private static final String LONG = "x".repeat(3000);

  @TempDir
  Path dir;
  private final EmbeddedFixture fixture = new EmbeddedFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aFullDiskRefusesCommandsShowsNothingOfThemAndRecoversWhenThereIsRoomAgain() {
    EmbeddedStore store = fixture.open(dir, Durability.ALWAYS);
    await(store.createRoom(EmbeddedFixture.room("full")));
    String author = await(store.join("full", "a", "10.0.0.0/24")).id();
    store.limitPages(await(store.withJournal(Journal::pages)));

    List<Post> written = new ArrayList<>();
    Failure refused = null;
    int attempt = 0;
    while (refused == null && attempt < 100) {
      RoomState before = await(store.load("full"));
      var answer = store.post("full", author, "c" + attempt, LONG + attempt, null);
      refused = EmbeddedFixture.refusal(answer);
      if (refused == null) {
        written.add(answer.result());
        attempt++;
      } else {
        RoomState after = await(store.load("full"));
        assertThat(after.seq()).as("a refused command changed nothing").isEqualTo(before.seq());
        assertThat(after.posts()).hasSameSizeAs(before.posts());
      }
    }
    assertThat(refused).as("the disk filled up").isNotNull();
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(EmbeddedFixture.refusal(store.ping())).as("health while full").isNotNull();
    assertThat(await(store.answered("full", author, "c" + attempt))).as("no ack for a refused command").isNull();

    store.limitPages(1_000_000);
    Post retried = await(store.post("full", author, "c" + attempt, LONG + attempt, null));
    assertThat(retried.number()).isEqualTo(written.size() + 1L);
    assertThat(EmbeddedFixture.refusal(store.ping())).as("health with room again").isNull();
    long seq = await(store.load("full")).seq();
    await(store.close());

    EmbeddedStore reopened = fixture.open(dir, Durability.ALWAYS);
    assertThat(await(reopened.load("full")).seq()).isEqualTo(seq);
    assertThat(await(reopened.load("full")).posts()).hasSize(written.size() + 1);
    await(reopened.close());
  }

  @Test
  void inBatchModeAFullDiskKeepsWhatWasAcknowledgedAndWritesItOnceThereIsRoom() {
    EmbeddedStore store = fixture.open(dir, Durability.BATCH);
    await(store.createRoom(EmbeddedFixture.room("batch")));
    String author = await(store.join("batch", "a", "10.0.0.0/24")).id();
    store.limitPages(await(store.withJournal(Journal::pages)));
    int acked = 0;
    Failure refused = null;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (refused == null && System.nanoTime() < deadline) {
      refused = EmbeddedFixture.refusal(store.post("batch", author, "c" + acked, LONG + acked, null));
      if (refused == null) {
        acked++;
      }
    }
    assertThat(refused).as("new commands refused once a commit failed").isNotNull();
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(EmbeddedFixture.refusal(store.ping())).isNotNull();

    store.limitPages(1_000_000);
    long until = System.nanoTime() + 10_000_000_000L;
    while (EmbeddedFixture.refusal(store.ping()) != null && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(EmbeddedFixture.refusal(store.ping())).as("healthy once the kept commits went through").isNull();
    await(store.close());

    EmbeddedStore reopened = fixture.open(dir, Durability.BATCH);
    assertThat(await(reopened.load("batch")).posts()).as("every acknowledged post").hasSize(acked);
    await(reopened.close());
  }

  @Test
  void aTornTailOfTheLogIsDroppedAndEverythingBeforeItKept() throws IOException {
    EmbeddedStore store = fixture.open(dir, Durability.ALWAYS);
    await(store.createRoom(EmbeddedFixture.room("torn")));
    String author = await(store.join("torn", "a", "10.0.0.0/24")).id();
    for (int i = 0; i < 20; i++) {
      await(store.post("torn", author, "c" + i, "post " + i, null));
    }
    // What a crash in the middle of the last commit leaves: the files as they are now (the log not
    // yet checkpointed), with the last frame cut short.
    Path crashed = Files.createDirectory(dir.resolve("crashed"));
    Files.copy(dir.resolve(Journal.FILE), crashed.resolve(Journal.FILE));
    Path wal = crashed.resolve(Journal.FILE + "-wal");
    Files.copy(dir.resolve(Journal.FILE + "-wal"), wal);
    await(store.close());
    try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
      f.setLength(f.length() - 100);
    }

    EmbeddedStore recovered = fixture.open(crashed, Durability.ALWAYS);
    List<Post> posts = await(recovered.load("torn")).posts();
    assertThat(posts).as("the commits before the torn one").hasSize(19);
    assertThat(posts).extracting(Post::text).startsWith("post 0", "post 1");
    await(recovered.close());
  }

  @Test
  void aDamagedDatabaseStopsStartUpWithAMessage() throws IOException {
    EmbeddedStore store = fixture.open(dir, Durability.ALWAYS);
    await(store.createRoom(EmbeddedFixture.room("damaged")));
    String author = await(store.join("damaged", "a", "10.0.0.0/24")).id();
    for (int i = 0; i < 50; i++) {
      await(store.post("damaged", author, "c" + i, LONG, null));
    }
    await(store.close()); // checkpoints: everything is in the database file now
    Path db = dir.resolve(Journal.FILE);
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      f.seek(f.length() / 2);
      f.write("this is not a b-tree page".repeat(40).getBytes());
    }
    assertThatThrownBy(() -> fixture.open(dir, Durability.ALWAYS)).hasStackTraceContaining("cannot open the journal");
  }
}
