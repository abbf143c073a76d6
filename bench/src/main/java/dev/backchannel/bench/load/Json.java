package dev.backchannel.bench.load;

/** Builds the few frames the generator sends; hand-written because they are sent tens of thousands of times a second. */
final class Json {

  private Json() {}

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static String helloToken(String room, String token) {
    return "{\"type\":\"hello\",\"room\":" + quote(room) + ",\"token\":" + quote(token) + "}";
  }

  static String helloKey(String room, String key) {
    return "{\"type\":\"hello\",\"room\":" + quote(room) + ",\"key\":" + quote(key) + "}";
  }

  static String rate(String cid, String post, int value) {
    return "{\"type\":\"rate\",\"cid\":\"" + cid + "\",\"post\":" + quote(post) + ",\"value\":" + value + "}";
  }

  static String post(String cid, String text) {
    return "{\"type\":\"post\",\"cid\":\"" + cid + "\",\"text\":" + quote(text) + "}";
  }

  static String mark(String cid, String post, String status) {
    return "{\"type\":\"mark\",\"cid\":\"" + cid + "\",\"post\":" + quote(post) + ",\"status\":" + quote(status) + "}";
  }
}
