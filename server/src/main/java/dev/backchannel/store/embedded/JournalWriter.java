package dev.backchannel.store.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that owns the {@link Journal}: room loops hand it entries through a bounded queue,
 * and it commits whatever has gathered in one transaction (group commit), so one sync carries many
 * commands however many rooms and loops produced them. No event loop ever waits for the disk.
 *
 * <p>With {@code sync} (durability {@code always}) every commit is synced and each entry's
 * {@link Done} hears the outcome, success or failure, in journal order on this thread. Without it
 * (durability {@code batch}) the commands are applied before they are written, so a failed commit is
 * kept and retried until it succeeds, and the journal is synced at least every
 * {@link #SYNC_INTERVAL_MS} ms.
 */
final class JournalWriter {

  /** Hears whether an entry's transaction committed (null) or failed; runs on the writer thread. */
  @FunctionalInterface
  interface Done {
    void committed(Throwable failure);
  }

  /** Work done on the writer thread with the journal, e.g. reading or storing a meta value. */
  @FunctionalInterface
  interface Task<T> {
    T run(Journal journal) throws Exception;
  }

  /** Entries per transaction at most: bounds one commit's latency under a flood. */
  static final int MAX_GROUP = 4096;
  /** Durability {@code batch}: the longest a commit stays unsynced. */
  static final long SYNC_INTERVAL_MS = 500;
  /** Durability {@code batch}: how long a failed commit waits before it is tried again. */
  private static final long RETRY_MS = 200;
  private static final Logger LOG = Logger.getLogger(JournalWriter.class.getName());

  private sealed interface Work permits Append, Call {}

  private record Append(JournalEntry<?> entry, Done done) implements Work {}

  private record Call<T>(Task<T> task, CompletableFuture<T> result) implements Work {
    void run(Journal journal) {
      try {
        result.complete(task.run(journal));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }
  }

  private final Journal journal;
  private final boolean sync;
  private final BlockingQueue<Work> queue;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean healthy = true;
  /** When the writer last checked, while unhealthy and idle, whether it could write again. */
  private long lastProbe;
  private volatile boolean stopping;
  /** A cap on the database's pages that tests set to fill the "disk" (0: SQLite's own). */
  private volatile long pageLimit;
  private long appliedPageLimit;
  /** Nanos of the oldest unsynced commit, or -1 (durability {@code batch} only). */
  private long dirtySince = -1;

  private JournalWriter(Journal journal, boolean sync, int capacity) {
    this.journal = journal;
    this.sync = sync;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::loop, "backchannel-journal");
    this.thread.setDaemon(true);
  }

  /**
   * Opens the journal in {@code dir}, runs {@code recover} with it on the writer thread (before any
   * command is taken) and then starts writing. Completes on the writer thread.
   */
  static CompletableFuture<JournalWriter> start(Path dir, boolean sync, int capacity, Task<Void> recover) {
    CompletableFuture<JournalWriter> started = new CompletableFuture<>();
    Thread opener = new Thread(() -> {
      Journal journal = null;
      try {
        journal = Journal.open(dir, sync);
        recover.run(journal);
        JournalWriter writer = new JournalWriter(journal, sync, capacity);
        writer.thread.start();
        started.complete(writer);
      } catch (Throwable e) {
        if (journal != null) {
          journal.close();
        }
        started.completeExceptionally(e);
      }
    }, "backchannel-journal-open");
    opener.setDaemon(true);
    opener.start();
    return started;
  }

  /**
   * Queues an entry; false when the queue is full, the writer is stopping or (durability
   * {@code batch}, where a refusal must come before the command is applied) the last commit failed.
   */
  boolean append(JournalEntry<?> entry, Done done) {
    if (stopping || (!sync && !healthy)) {
      return false;
    }
    return queue.offer(new Append(entry, done));
  }

  /** Runs {@code task} on the writer thread, in queue order; fails when the queue is full. */
  <T> CompletableFuture<T> call(Task<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (stopping || !queue.offer(new Call<>(task, result))) {
      result.completeExceptionally(new IllegalStateException("the journal is not taking work"));
    }
    return result;
  }

  /** Whether the last commit succeeded (a failed one makes {@code /health} answer 503). */
  boolean healthy() {
    return healthy && !stopping && thread.isAlive();
  }

  /**
   * Caps the database at {@code pages} pages from the next commit attempt on, also while a failed
   * commit is being retried (tests: a disk that fills up and gets room again).
   */
  void limitPages(long pages) {
    pageLimit = pages;
  }

  /** Writes what is queued, syncs, closes the journal; completes on the writer thread. */
  CompletableFuture<Void> stop() {
    stopping = true;
    return stopped;
  }

  private void loop() {
    List<Work> group = new ArrayList<>();
    try {
      while (!(stopping && queue.isEmpty())) {
        Work first = queue.poll(sync ? 100 : SYNC_INTERVAL_MS / 5, TimeUnit.MILLISECONDS);
        if (first != null) {
          group.add(first);
          queue.drainTo(group, MAX_GROUP - 1);
          write(group);
          group.clear();
        } else if (!healthy) {
          probe();
        }
        syncIfDue(false);
      }
      syncIfDue(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      LOG.log(Level.SEVERE, "the journal writer stopped", e);
    } finally {
      healthy = false;
      journal.close();
      stopped.complete(null);
    }
  }

  /** Commits the group's entries in one transaction, then runs its calls. */
  private void write(List<Work> group) throws InterruptedException {
    List<JournalEntry<?>> entries = new ArrayList<>(group.size());
    List<Done> dones = new ArrayList<>(group.size());
    for (Work w : group) {
      if (w instanceof Append a) {
        entries.add(a.entry());
        dones.add(a.done());
      }
    }
    if (!entries.isEmpty()) {
      commit(entries, dones);
    }
    for (Work w : group) {
      if (w instanceof Call<?> c) {
        c.run(journal);
      }
    }
  }

  private void commit(List<JournalEntry<?>> entries, List<Done> dones) throws InterruptedException {
    while (true) {
      try {
        if (pageLimit != appliedPageLimit) {
          journal.maxPages(pageLimit);
          appliedPageLimit = pageLimit;
        }
        journal.append(entries);
        if (!healthy) {
          LOG.info("the journal is writable again");
        }
        healthy = true;
        if (!sync && dirtySince < 0) {
          dirtySince = System.nanoTime();
        }
        dones.forEach(d -> d.committed(null));
        return;
      } catch (Exception e) {
        if (healthy) {
          LOG.log(Level.WARNING, "cannot write the journal; commands answer unavailable until it can: " + e.getMessage());
        }
        healthy = false;
        if (sync) {
          dones.forEach(d -> d.committed(e)); // never applied: their callers hear unavailable
          return;
        }
        if (stopping) { // batch: applied, acknowledged, and now lost; say so
          LOG.severe("stopping with " + entries.size() + " acknowledged commands that could not be written");
          return;
        }
        Thread.sleep(RETRY_MS); // batch: already applied and acknowledged, so they must reach the file
      }
    }
  }

  /** While idle after a failed commit: healthy again as soon as a write would succeed. */
  private void probe() {
    if (System.nanoTime() - lastProbe < TimeUnit.MILLISECONDS.toNanos(RETRY_MS)) {
      return;
    }
    lastProbe = System.nanoTime();
    try {
      if (pageLimit != appliedPageLimit) {
        journal.maxPages(pageLimit);
        appliedPageLimit = pageLimit;
      }
      journal.probe();
      LOG.info("the journal is writable again");
      healthy = true;
    } catch (Exception e) {
      // still full or failing: /health stays 503, and the next idle moment tries again
    }
  }

  private void syncIfDue(boolean now) {
    if (dirtySince < 0 || (!now && System.nanoTime() - dirtySince < TimeUnit.MILLISECONDS.toNanos(SYNC_INTERVAL_MS))) {
      return;
    }
    try {
      journal.sync();
      dirtySince = -1;
    } catch (Exception e) {
      LOG.log(Level.WARNING, "cannot sync the journal: " + e.getMessage());
      healthy = false;
    }
  }
}
