package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.backchannel.model.Access;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Network;
import dev.backchannel.scoring.NetworkRules;
import dev.backchannel.store.RoomInfo;
import dev.backchannel.store.SettingsPatch;
import dev.backchannel.wire.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's room settings ({@code PATCH /api/rooms/{slug}}, or {@code POST /api/rooms} with
 * settings), checked field by field into a {@link SettingsPatch}. Unknown fields are ignored, as
 * everywhere in the protocol; a bad value of a known one is {@code invalid} and changes nothing.
 */
final class SettingsRequest {

  static final int MAX_TITLE = 200;
  private static final int MAX_WORDS = 500;
  private static final int MAX_WORD = 64;
  private static final int MAX_VENUE = 100;
  /** A BCP 47 tag as browsers send it: a language, then subtags (script, region, variants). */
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}");

  private final Set<String> providers;
  private final NetworkRules networks;
  private final Sealer sealer;

  SettingsRequest(Set<String> providers, NetworkRules networks, Sealer sealer) {
    this.providers = providers;
    this.networks = networks;
    this.sealer = sealer;
  }

  /**
   * The patch {@code req} asks for on {@code room} (null: a room being created). A room whose
   * access becomes {@code code} without a code gets a new one.
   */
  SettingsPatch parse(JsonNode req, RoomInfo room) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    JsonNodeFactory json = JsonNodeFactory.instance;
    String title = Requests.text(req, "title");
    if (title != null && room != null) {
      title = Text.clean(title);
      if (title.isEmpty() || Text.length(title) > MAX_TITLE) {
        throw ErrorCode.INVALID.failure("title must be 1-" + MAX_TITLE + " characters");
      }
      fields.put("title", json.textNode(title));
    }
    String language = Requests.text(req, "language");
    if (language != null) {
      fields.put("language", json.textNode(language(language)));
    }
    flag(req, "review").ifPresent(v -> fields.put("review", json.booleanNode(v)));
    flag(req, "builtinFilter").ifPresent(v -> fields.put("builtinFilter", json.booleanNode(v)));
    if (req.has("blockedWords")) {
      fields.put("blockedWords", strings(words(req.get("blockedWords"))));
    }
    String access = Requests.text(req, "access");
    Access newAccess = null;
    if (access != null) {
      newAccess = Access.parse(access);
      if (newAccess == null) {
        throw ErrorCode.INVALID.failure("access must be open, code, invite or signin");
      }
      if (newAccess == Access.SIGNIN && providers.isEmpty()) {
        throw ErrorCode.INVALID.failure("this server has no sign-in provider configured (oidc)");
      }
      fields.put("access", json.textNode(newAccess.wire()));
    }
    String code = Requests.text(req, "joinCode");
    boolean needsCode = newAccess == Access.CODE && (room == null || room.settings().joinCodeHash() == null);
    if (code != null || needsCode) {
      String chosen = code == null || code.equals("new") ? JoinCodes.newCode() : chosenCode(code);
      fields.put("joinCodeHash", json.textNode(JoinCodes.hash(chosen)));
      fields.put("joinCodeSealed", json.textNode(sealer.seal(JoinCodes.SEAL_CODE, chosen)));
    }
    if (req.has("venueNetworks")) {
      fields.put("venueNetworks", strings(venue(req.get("venueNetworks"))));
    }
    if (req.has("unverifiedWeight")) {
      JsonNode w = req.get("unverifiedWeight");
      if (!w.isNumber() || w.doubleValue() < 0 || w.doubleValue() > 1) {
        throw ErrorCode.INVALID.failure("unverifiedWeight must be a number from 0 to 1");
      }
      fields.put("unverifiedWeight", json.numberNode(w.doubleValue()));
    }
    String provider = Requests.text(req, "provider");
    if (provider != null) {
      if (!providers.contains(provider)) {
        throw ErrorCode.INVALID.failure("provider must name a sign-in provider of this server");
      }
      fields.put("provider", json.textNode(provider));
    }
    return new SettingsPatch(fields);
  }

  /** What the audit log says of a patch: the names of the settings it changed, never their values. */
  static String detail(SettingsPatch patch) {
    Set<String> names = new LinkedHashSet<>();
    for (String name : patch.fields().keySet()) {
      names.add(name.startsWith("joinCode") ? "joinCode" : name);
    }
    return String.join(",", names);
  }

  private static String language(String tag) {
    String canonical = LANGUAGE.matcher(tag).matches() ? Locale.forLanguageTag(tag).toLanguageTag() : "und";
    if (canonical.equals("und")) {
      throw ErrorCode.INVALID.failure("language must be a BCP 47 tag such as en, de or pt-BR");
    }
    return canonical;
  }

  private static String chosenCode(String code) {
    if (!JoinCodes.CODE.matcher(code).matches()) {
      throw ErrorCode.INVALID.failure("joinCode must be \"new\" or 6-12 letters and digits");
    }
    return code.toUpperCase(Locale.ROOT);
  }

  private static java.util.Optional<Boolean> flag(JsonNode req, String field) {
    JsonNode v = req.get(field);
    if (v == null || v.isNull()) {
      return java.util.Optional.empty();
    }
    if (!v.isBoolean()) {
      throw ErrorCode.INVALID.failure(field + " must be true or false");
    }
    return java.util.Optional.of(v.booleanValue());
  }

  private static List<String> words(JsonNode list) {
    if (!list.isArray() || list.size() > MAX_WORDS) {
      throw ErrorCode.INVALID.failure("blockedWords must be a list of at most " + MAX_WORDS + " words");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode w : list) {
      String word = w.isTextual() ? Text.clean(w.textValue()) : "";
      if (word.isEmpty() || Text.length(word) > MAX_WORD || Text.hasLoneSurrogate(word)) {
        throw ErrorCode.INVALID.failure("each blocked word must be 1-" + MAX_WORD + " characters");
      }
      out.add(word);
    }
    return List.copyOf(out);
  }

  private List<String> venue(JsonNode list) {
    if (!list.isArray() || list.size() > MAX_VENUE) {
      throw ErrorCode.INVALID.failure("venueNetworks must be a list of at most " + MAX_VENUE + " address ranges");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : list) {
      String prefix = n.isTextual() ? Network.prefix(n.textValue(), networks.ipv4Prefix(), networks.ipv6Prefix()) : null;
      if (prefix == null) {
        throw ErrorCode.INVALID.failure("venueNetworks entries must be address ranges such as 203.0.113.0/24");
      }
      if (!out.contains(prefix)) {
        out.add(prefix);
      }
    }
    return out;
  }

  private static JsonNode strings(List<String> values) {
    var array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return array;
  }
}
