package dev.backchannel.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Changed settings, by {@link RoomSettings} component name (plus {@code title}), each as its JSON
 * value. Engines merge a patch field by field in one atomic step, so two staff members changing
 * different settings at once do not undo each other. Null values are not allowed (a setting is
 * reset by sending its default).
 */
public record SettingsPatch(Map<String, JsonNode> fields) {

  public SettingsPatch {
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields)); // in the order asked
  }

  /** The new title, or null when the patch leaves it. */
  public String title() {
    JsonNode t = fields.get("title");
    return t == null || t.isNull() ? null : t.textValue();
  }
}
