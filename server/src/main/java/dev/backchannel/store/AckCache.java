package dev.backchannel.store;

import dev.backchannel.model.Post;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers already given per participant and {@code cid}, kept for at least the retention
 * period, so a retried command returns its first answer and changes nothing. Entries are in
 * insertion order, so expiry only ever looks at the oldest ones.
 */
final class AckCache {

  private record Entry(Post answer, Instant at) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Duration retention;

  AckCache(Duration retention) {
    this.retention = retention;
  }

  Post find(String participantId, String cid) {
    Entry e = entries.get(key(participantId, cid));
    return e == null ? null : e.answer();
  }

  void remember(String participantId, String cid, Post answer, Instant now) {
    expire(now);
    entries.put(key(participantId, cid), new Entry(answer, now));
  }

  private void expire(Instant now) {
    Instant horizon = now.minus(retention);
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext() && it.next().at().isBefore(horizon)) {
      it.remove();
    }
  }

  private static String key(String participantId, String cid) {
    return participantId + '\0' + cid; // ids never hold NUL, so the key is unambiguous
  }
}
