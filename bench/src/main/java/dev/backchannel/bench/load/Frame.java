package dev.backchannel.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A server frame as the generator needs it (PROTOCOL.md "Events from the server"). Parsed with a
 * streaming parser that only reads the posts of the frame types a scenario asks for, so ten
 * thousand sockets receiving batches cost little; fields may come in any order.
 */
final class Frame {

  /** The parts of a Post object the generator looks at. */
  record PostRef(String id, String authorId, String text, int ratings, double score, String status) {}

  /**
   * One entry of a {@code held} frame (v2, moderators): a network the hold test flagged on a post,
   * and the factor its ratings count with there ({@code hold}: 0 held back .. 1 counted in full).
   */
  record Held(String post, String network, int raters, double mean, double hold) {

    /** Whether the network's ratings of the post count less than in full (NaN: a server that does not say). */
    boolean heldBack() {
      return !(hold >= 1);
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  String type;
  String cid;
  String code;
  String message;
  long seq = -1;
  int online = -1;
  String role;
  PostRef post;
  List<PostRef> posts;
  List<PostRef> top;
  List<PostRef> recent;
  List<PostRef> divergent;
  List<Held> networks;

  /** Parses {@code bytes}, reading nested posts only as deep as {@code deep} asks for the frame's type. */
  static Frame parse(byte[] bytes, Depth deep) {
    Frame f = new Frame();
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("frame is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          Mode mode = f.type == null ? Mode.SKIP : deep.of(f.type);
          if (mode == Mode.STOP) {
            break; // the caller only needs the type (and what came before the first nested field)
          }
          if (mode == Mode.SKIP) {
            p.skipChildren();
            continue;
          }
          switch (name) {
            case "post" -> f.post = value == JsonToken.START_OBJECT ? post(p) : skip(p);
            case "posts" -> f.posts = posts(p, value);
            case "top" -> f.top = posts(p, value);
            case "recent" -> f.recent = posts(p, value);
            case "divergent" -> f.divergent = posts(p, value);
            case "networks" -> f.networks = held(p, value);
            default -> p.skipChildren();
          }
          continue;
        }
        switch (name) {
          case "type" -> f.type = p.getValueAsString();
          case "cid" -> f.cid = p.getValueAsString();
          case "code" -> f.code = p.getValueAsString();
          case "message" -> f.message = p.getValueAsString();
          case "seq" -> f.seq = p.getValueAsLong(-1);
          case "online" -> f.online = p.getValueAsInt(-1);
          case "role" -> f.role = p.getValueAsString();
          default -> { }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("unreadable frame: " + e.getMessage(), e);
    }
    return f;
  }

  /** How much of a frame to read: its posts too, only its scalar fields, or only its type. */
  enum Mode { DEEP, SKIP, STOP }

  /** The {@link Mode} for each frame type. */
  interface Depth {
    Mode of(String type);

    Depth ALL = type -> Mode.DEEP;
    /** Scalars only (type, cid, code, seq, online): enough for acks and errors of the hot path. */
    Depth SCALARS = type -> Mode.SKIP;
  }

  private static PostRef skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static List<PostRef> posts(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    List<PostRef> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.START_OBJECT) {
        out.add(post(p));
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private static List<Held> held(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    List<Held> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String post = null;
      String network = null;
      int raters = -1;
      double mean = Double.NaN;
      double hold = Double.NaN;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        switch (name) {
          case "post" -> post = p.getValueAsString();
          case "network" -> network = p.getValueAsString();
          case "raters" -> raters = p.getValueAsInt(-1);
          case "mean" -> mean = p.getValueAsDouble(Double.NaN);
          case "hold" -> hold = p.getValueAsDouble(Double.NaN);
          default -> { }
        }
      }
      out.add(new Held(post, network, raters, mean, hold));
    }
    return out;
  }

  /** Reads one Post object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
  private static PostRef post(JsonParser p) throws IOException {
    String id = null;
    String author = null;
    String text = null;
    String status = null;
    int ratings = -1;
    double score = Double.NaN;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "id" -> id = p.getValueAsString();
        case "text" -> text = p.getValueAsString();
        case "status" -> status = p.getValueAsString();
        case "ratings" -> ratings = p.getValueAsInt(-1);
        case "score" -> score = p.getValueAsDouble(Double.NaN);
        case "author" -> {
          if (value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken v = p.nextToken();
              if ("id".equals(field)) {
                author = p.getValueAsString();
              } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        default -> {
          if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            p.skipChildren();
          }
        }
      }
    }
    return new PostRef(id, author, text, ratings, score, status);
  }
}
