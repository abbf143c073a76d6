package dev.backchannel.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backchannel.model.Access;
import java.util.List;
import java.util.Map;

/**
 * What organizers and moderators set about a room, as the store keeps it. Secrets are held only
 * as the gateway hands them over: the join code as a hash (to compare) and sealed (to show staff).
 *
 * @param language BCP 47 tag of the room's pages
 * @param review every new post waits for a moderator
 * @param blockedWords posts and nicknames containing one of these wait for review / are refused
 * @param builtinFilter also use the server's own word list
 * @param access who may join
 * @param joinCodeHash SHA-256 (hex) of the join code, null when there is none
 * @param joinCodeSealed the join code sealed with the server secret, null when there is none
 * @param venueNetworks address ranges (CIDR) the organizer declared part of the venue
 * @param unverifiedWeight factor on the weight of ratings by participants who joined unverified
 * @param provider the sign-in provider's configured name; null means the server's first
 * @param speakerKeySealed the speaker key sealed with the server secret (the organizer can always
 *     get the links again); null for rooms made before keys were kept so
 * @param moderatorKeySealed the same for the moderator key
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoomSettings(
    String language,
    boolean review,
    List<String> blockedWords,
    boolean builtinFilter,
    Access access,
    String joinCodeHash,
    String joinCodeSealed,
    List<String> venueNetworks,
    double unverifiedWeight,
    String provider,
    String speakerKeySealed,
    String moderatorKeySealed) {

  public static final RoomSettings DEFAULTS =
      new RoomSettings("en", false, List.of(), false, Access.OPEN, null, null, List.of(), 1.0, null, null, null);

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

  public RoomSettings {
    language = language == null ? DEFAULTS.language : language;
    blockedWords = blockedWords == null ? List.of() : List.copyOf(blockedWords);
    access = access == null ? Access.OPEN : access;
    venueNetworks = venueNetworks == null ? List.of() : List.copyOf(venueNetworks);
  }

  /** These settings with another venue list (a moderator declared a network part of the venue). */
  public RoomSettings withVenueNetworks(List<String> venue) {
    return new RoomSettings(language, review, blockedWords, builtinFilter, access, joinCodeHash, joinCodeSealed, venue,
        unverifiedWeight, provider, speakerKeySealed, moderatorKeySealed);
  }

  /** These settings with the patch's fields (by component name) replaced; other names are ignored. */
  public RoomSettings apply(SettingsPatch patch) {
    ObjectNode node = JSON.valueToTree(this);
    patch.fields().forEach((name, value) -> {
      if (node.has(name)) {
        node.set(name, value);
      }
    });
    return read(node);
  }

  /** Settings from stored fields, each a JSON text by component name (the Redis engine's hash). */
  public static RoomSettings fromFields(Map<String, String> fields) {
    ObjectNode node = JSON.valueToTree(DEFAULTS);
    fields.forEach((name, text) -> {
      try {
        node.set(name, JSON.readTree(text));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("stored setting " + name + " is not JSON", e);
      }
    });
    return read(node);
  }

  private static RoomSettings read(JsonNode node) {
    try {
      return JSON.treeToValue(node, RoomSettings.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("settings do not fit their fields: " + e.getMessage(), e);
    }
  }
}
