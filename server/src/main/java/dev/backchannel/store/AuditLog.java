package dev.backchannel.store;

import java.util.ArrayDeque;
import java.util.List;

/** A room's audit log in memory: the newest {@link AuditEntry#LIMIT} entries, oldest first. */
final class AuditLog {

  private final ArrayDeque<AuditEntry> entries = new ArrayDeque<>();

  void add(AuditEntry entry) {
    entries.addLast(entry);
    if (entries.size() > AuditEntry.LIMIT) {
      entries.removeFirst();
    }
  }

  List<AuditEntry> entries() {
    return List.copyOf(entries);
  }
}
