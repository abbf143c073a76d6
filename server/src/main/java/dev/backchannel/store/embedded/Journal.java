package dev.backchannel.store.embedded;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The embedded engine's file: an SQLite database in WAL mode under {@code dataDir} with one row per
 * journaled command, in the order the commands were applied. Used by one thread only (the
 * {@link JournalWriter}'s); nothing here is thread-safe.
 *
 * <p>Rows are JSON ({@code kind} plus the entry's fields), so that an operator can read them with
 * the {@code sqlite3} shell and a later version can still parse them. A torn write at the tail is
 * SQLite's to handle (a WAL frame without its commit record is ignored on open); anything else that
 * cannot be read stops start-up instead of serving a state that silently differs.
 */
final class Journal implements AutoCloseable {

  /** The database file inside {@code dataDir}; back it up with {@code VACUUM INTO} or the backup API. */
  static final String FILE = "backchannel.db";
  /** Held while a server uses the directory, so two servers never share (and fork) one journal. */
  static final String LOCK = "backchannel.lock";
  private static final String SCHEMA = "1";

  private static final Map<String, Class<? extends JournalEntry<?>>> KINDS = Map.ofEntries(
      Map.entry("createRoom", JournalEntry.CreateRoom.class),
      Map.entry("join", JournalEntry.Join.class),
      Map.entry("post", JournalEntry.Write.class),
      Map.entry("rate", JournalEntry.Rate.class),
      Map.entry("mark", JournalEntry.SetMark.class),
      Map.entry("ban", JournalEntry.Ban.class),
      Map.entry("decide", JournalEntry.Decide.class),
      Map.entry("sweep", JournalEntry.Sweep.class),
      Map.entry("close", JournalEntry.CloseRoom.class),
      Map.entry("reopen", JournalEntry.Reopen.class),
      Map.entry("keys", JournalEntry.RotateKeys.class),
      Map.entry("configure", JournalEntry.Configure.class),
      Map.entry("invite", JournalEntry.Invite.class),
      Map.entry("audit", JournalEntry.Audit.class));
  private static final Map<Class<?>, String> NAMES = KINDS.entrySet().stream()
      .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

  private final Connection db;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final PreparedStatement insert;
  /** A deleted room's rows. */
  private final PreparedStatement forget;
  /** BEGIN, COMMIT and ROLLBACK. */
  private final Statement control;
  private final ObjectMapper json = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new SimpleModule().addSerializer(Instant.class, new InstantText())
          .addDeserializer(Instant.class, new InstantParser()));

  private Journal(Connection db, FileChannel lockFile, FileLock lock) throws SQLException {
    this.db = db;
    this.lockFile = lockFile;
    this.lock = lock;
    this.insert = db.prepareStatement("INSERT INTO journal(room, kind, body) VALUES (?, ?, ?)");
    this.forget = db.prepareStatement("DELETE FROM journal WHERE room = ?");
    this.control = db.createStatement();
  }

  /**
   * Opens (or creates) the journal in {@code dir}, creating the directory. Fails with a message
   * that names the directory when it cannot be created or written, when another server holds it, or
   * when the database does not pass SQLite's integrity check.
   *
   * @param sync true: every commit is synced ({@code synchronous=FULL}); false: commits reach the
   *     OS at once and are synced by {@link #sync} ({@code synchronous=NORMAL})
   */
  static Journal open(Path dir, boolean sync) {
    FileChannel lockFile;
    FileLock lock;
    try {
      Files.createDirectories(dir);
      lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | SecurityException e) {
      throw new IllegalStateException("dataDir " + dir.toAbsolutePath() + " cannot be created or is not writable: " + e, e);
    }
    try {
      lock = lockFile.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      closeQuietly(lockFile);
      throw new IllegalStateException("dataDir " + dir.toAbsolutePath() + " is in use by another Backchannel server");
    }
    Connection db = null;
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FILE));
      try (Statement s = db.createStatement()) {
        try (ResultSet mode = s.executeQuery("PRAGMA journal_mode=WAL")) {
          if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
            throw new SQLException("the file system does not support SQLite's WAL mode");
          }
        }
        s.execute("PRAGMA synchronous=" + (sync ? "FULL" : "NORMAL"));
        // A deleted room's rows are overwritten, not merely unlinked: nothing of it stays in the file.
        s.execute("PRAGMA secure_delete=ON");
        try (ResultSet check = s.executeQuery("PRAGMA quick_check")) {
          String result = check.next() ? check.getString(1) : "no answer";
          if (!"ok".equals(result)) {
            throw new SQLException("integrity check failed: " + result);
          }
        }
        s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS journal(id INTEGER PRIMARY KEY, room TEXT NOT NULL, kind TEXT NOT NULL,"
            + " body TEXT NOT NULL)");
        s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '" + SCHEMA + "')");
      }
      Journal journal = new Journal(db, lockFile, lock);
      String schema = journal.meta("schema");
      if (!SCHEMA.equals(schema)) {
        journal.close();
        throw new IllegalStateException(dir.resolve(FILE) + " has journal schema " + schema + "; this server reads "
            + SCHEMA);
      }
      return journal;
    } catch (SQLException e) {
      if (db != null) {
        try {
          db.close();
        } catch (SQLException ignored) {
          // already failing
        }
      }
      releaseQuietly(lock);
      closeQuietly(lockFile);
      throw new IllegalStateException("cannot open the journal " + dir.resolve(FILE).toAbsolutePath() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Appends the entries in one transaction and commits it (synced when opened with {@code sync}).
   * Transactions are explicit statements on an auto-commit connection: SQLite rolls a transaction
   * back by itself on some errors ({@code SQLITE_FULL}), and the JDBC driver's own transaction
   * tracking then believed one was open while the next inserts committed one by one.
   */
  void append(List<JournalEntry<?>> entries) throws SQLException {
    try {
      control.execute("BEGIN IMMEDIATE");
      for (JournalEntry<?> e : entries) {
        if (e instanceof JournalEntry.Delete) {
          insert.executeBatch(); // the room's rows before the deletion go too
          forget.setString(1, e.room());
          forget.executeUpdate();
          continue;
        }
        insert.setString(1, e.room());
        insert.setString(2, kind(e));
        insert.setString(3, encode(e));
        insert.addBatch();
      }
      insert.executeBatch();
      control.execute("COMMIT");
    } catch (SQLException | RuntimeException e) {
      insert.clearBatch();
      rollback();
      throw e;
    }
  }

  /**
   * Whether a write would succeed now: an entry written and rolled back. After a failed commit
   * in {@code always} mode nothing else writes until a command comes, and a node out of its load
   * balancer's rotation gets none, so the writer probes instead of waiting for one.
   */
  void probe() throws SQLException {
    try {
      control.execute("BEGIN IMMEDIATE");
      insert.setString(1, "");
      insert.setString(2, "probe");
      insert.setString(3, "");
      insert.executeUpdate();
    } finally {
      rollback();
    }
  }

  /** Hands every entry to {@code each}, oldest first; returns how many there were. */
  long replay(Consumer<JournalEntry<?>> each) throws SQLException {
    long count = 0;
    try (Statement s = db.createStatement();
        ResultSet rows = s.executeQuery("SELECT id, kind, body FROM journal ORDER BY id")) {
      while (rows.next()) {
        each.accept(decode(rows.getLong(1), rows.getString(2), rows.getString(3)));
        count++;
      }
    }
    return count;
  }

  /** A value of the meta table, or null. */
  String meta(String key) throws SQLException {
    try (PreparedStatement q = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      q.setString(1, key);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** Stores {@code value} under {@code key} unless there is one already; returns what is stored. */
  String metaIfAbsent(String key, String value) throws SQLException {
    try (PreparedStatement q = db.prepareStatement("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)")) {
      q.setString(1, key);
      q.setString(2, value);
      q.executeUpdate();
    }
    return meta(key);
  }

  /**
   * Makes every commit so far durable: a passive checkpoint, which syncs the WAL before it copies
   * pages back (what {@code synchronous=NORMAL} leaves to checkpoints).
   */
  void sync() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(PASSIVE)");
    }
  }

  /** Caps the database at {@code pages} pages (tests: a disk that is full). */
  void maxPages(long pages) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA max_page_count=" + pages);
    }
  }

  /** Pages the database has now. */
  long pages() throws SQLException {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA page_count")) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  @Override
  public void close() {
    try {
      insert.close();
      forget.close();
      control.close();
      db.close();
    } catch (SQLException e) {
      // the file is consistent after every commit; nothing to save here
    } finally {
      releaseQuietly(lock);
      closeQuietly(lockFile);
    }
  }

  private void rollback() {
    try {
      control.execute("ROLLBACK");
    } catch (SQLException alreadyRolledBack) {
      // SQLite ended it itself (e.g. SQLITE_FULL); the next one starts clean either way
    }
  }

  private String encode(JournalEntry<?> e) {
    try {
      return json.writeValueAsString(e);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("cannot encode " + e.getClass().getSimpleName(), x);
    }
  }

  private JournalEntry<?> decode(long id, String kind, String body) {
    Class<? extends JournalEntry<?>> type = KINDS.get(kind);
    if (type == null) {
      throw new IllegalStateException("journal entry " + id + " has an unknown kind '" + kind + "'");
    }
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      throw new IllegalStateException("journal entry " + id + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static String kind(JournalEntry<?> e) {
    return NAMES.get(e.getClass());
  }

  private static void releaseQuietly(FileLock lock) {
    try {
      if (lock != null) {
        lock.release();
      }
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  /** Instants as ISO-8601 text, exact to the nanosecond. */
  private static final class InstantText extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class InstantParser extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Instant.parse(p.getValueAsString());
    }
  }
}
