package dev.backchannel.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The room's public description (title, language, access): what a {@code room} frame tells sockets. */
public final class RoomDescription {

  private RoomDescription() {}

  /** The public fields that differ between before and after, with their new values. */
  public static Map<String, String> changes(String titleBefore, RoomSettings before, String title, RoomSettings after) {
    Map<String, String> changed = new LinkedHashMap<>();
    if (!Objects.equals(titleBefore, title)) {
      changed.put("title", title);
    }
    if (!before.language().equals(after.language())) {
      changed.put("language", after.language());
    }
    if (before.access() != after.access()) {
      changed.put("access", after.access().wire());
    }
    return changed;
  }
}
