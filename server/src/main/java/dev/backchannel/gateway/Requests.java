package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.wire.Text;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** Reading what an HTTP request says: the room in its path, its bearer key, its body's fields. */
final class Requests {

  private Requests() {}

  static String slug(RoutingContext ctx) {
    return ctx.pathParam("slug").toLowerCase(Locale.ROOT);
  }

  static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  /** The body as a JSON object; an empty body is an empty object. */
  static JsonNode body(Gateway gateway, RoutingContext ctx) {
    String body = ctx.body().asString();
    return body == null || body.isBlank() ? gateway.codec().readObject("{}") : gateway.codec().readObject(body);
  }

  /** The {@code limit} query parameter, 1 to {@code max}; {@code invalid} otherwise. */
  static int limit(RoutingContext ctx, int fallback, int max) {
    String param = ctx.queryParams().get("limit");
    if (param == null) {
      return fallback;
    }
    int limit;
    try {
      limit = Integer.parseInt(param);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > max) {
      throw ErrorCode.INVALID.failure("limit must be an integer from 1 to " + max);
    }
    return limit;
  }

  /** A string field, null when absent or null; {@code invalid} when it is anything else. */
  static String text(JsonNode req, String field) {
    JsonNode v = req.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || Text.hasLoneSurrogate(v.textValue())) {
      throw ErrorCode.INVALID.failure(field + " must be a string of Unicode text");
    }
    return v.textValue();
  }
}
