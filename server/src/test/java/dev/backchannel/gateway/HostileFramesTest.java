package dev.backchannel.gateway;

import static dev.backchannel.gateway.SocketFixture.ack;
import static dev.backchannel.gateway.SocketFixture.answer;
import static dev.backchannel.gateway.SocketFixture.assertServed;
import static dev.backchannel.gateway.SocketFixture.post;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backchannel.gateway.SocketFixture.Member;
import dev.backchannel.gateway.SocketFixture.Room;
import dev.backchannel.testing.RawWebSocket;
import dev.backchannel.testing.TestServer;
import dev.backchannel.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.Deflater;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input from one connection must end at most that connection: frames that break RFC 6455
 * (sent by hand over {@link RawWebSocket}, after a proper hello, so the offender is in the room)
 * and JSON built to hurt a parser or a validator (over an ordinary {@link TestSocket}). Each time
 * an ordinary client of the same room keeps being served: it answers pings and gets new posts.
 */
class HostileFramesTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int PROTOCOL_ERROR = 1002;
  private static final int INVALID_PAYLOAD = 1007;
  private static final int TOO_BIG = 1009;
  /** What {@link RawWebSocket#awaitClose} reports when the connection ends without a close frame. */
  private static final int ABNORMAL = 1006;

  private static Vertx vertx;
  /**
   * Errors never close a socket here (the error matrix sends hundreds on purpose), and frames may
   * be 64 KiB so that a 10,000-deep nesting reaches the JSON parser instead of the frame limit.
   */
  private static TestServer server;
  private SocketFixture fx;

  @BeforeAll
  static void startServer() {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, "--broadcast-interval-ms=20", "--abuse-errors=100000", "--frames-per-second=100000",
        "--frame-burst=100000", "--posts-per-window=1000", "--max-frame-bytes=65536");
  }

  @AfterAll
  static void stopServer() {
    server.close();
    TestServer.await(vertx.close());
  }

  @BeforeEach
  void fixture() {
    fx = new SocketFixture(server);
  }

  @AfterEach
  void closeSockets() {
    fx.close();
  }

  // ---- frames that break RFC 6455 ----

  static Stream<Arguments> protocolViolations() {
    List<Arguments> cases = new ArrayList<>();
    byte[] ping = "{\"type\":\"ping\"}".getBytes(UTF_8);
    cases.add(Arguments.of("unmasked text frame", frame(0x81, ping, false), PROTOCOL_ERROR));
    IntStream.concat(IntStream.rangeClosed(0x3, 0x7), IntStream.rangeClosed(0xB, 0xF)).forEach(op ->
        cases.add(Arguments.of(String.format("reserved opcode 0x%X", op), frame(0x80 | op, ping, true), PROTOCOL_ERROR)));
    for (int rsv : new int[] {0x40, 0x20, 0x10}) {
      // No extension was negotiated, so every RSV bit must be 0 (RFC 6455 5.2).
      cases.add(Arguments.of(String.format("RSV bit 0x%02X on a text frame", rsv), frame(0x81 | rsv, ping, true), PROTOCOL_ERROR));
    }
    cases.add(Arguments.of("fragmented ping (fin=0)", frame(0x09, new byte[] {1, 2}, true), PROTOCOL_ERROR));
    cases.add(Arguments.of("ping with a 126-byte payload", frame(0x89, new byte[126], true), PROTOCOL_ERROR));
    cases.add(Arguments.of("close with a 126-byte payload", frame(0x88, closePayload(1000, "x".repeat(124)), true), PROTOCOL_ERROR));
    cases.add(Arguments.of("continuation without a start", frame(0x80, ping, true), PROTOCOL_ERROR));
    // Sent in one write, the server sometimes ends the connection without its close frame (1006),
    // which RFC 6455 7.1.7 allows (it SHOULD send one); with a pause between the frames it sends 1002.
    cases.add(Arguments.of("new text frame inside a fragmented message",
        concat(frame(0x01, "{\"type\":".getBytes(UTF_8), true), frame(0x81, ping, true)), Set.of(PROTOCOL_ERROR, ABNORMAL)));
    cases.add(Arguments.of("invalid UTF-8: bare continuation byte", frame(0x81,
        bytes("{\"type\":\"ping\",\"x\":\"", new byte[] {(byte) 0x80}, "\"}"), true), INVALID_PAYLOAD));
    cases.add(Arguments.of("invalid UTF-8: encoded surrogate", frame(0x81,
        bytes("{\"type\":\"ping\",\"x\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}"), true), INVALID_PAYLOAD));
    cases.add(Arguments.of("invalid UTF-8 split over fragments", concat(
        frame(0x01, bytes("{\"type\":\"ping\",\"x\":\"", new byte[] {(byte) 0xC3}), true),
        frame(0x80, bytes(new byte[] {(byte) 0x28}, "\"}"), true)), INVALID_PAYLOAD));
    cases.add(Arguments.of("length header of 2^63-1 bytes", header(0x81, Long.MAX_VALUE), TOO_BIG));
    cases.add(Arguments.of("length header with the top bit set", header(0x81, -1L), PROTOCOL_ERROR));
    // Codes no endpoint may send (RFC 6455 7.4): unused, reserved, or only ever reported locally.
    for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999}) {
      cases.add(Arguments.of("close code " + code, frame(0x88, closePayload(code, ""), true), PROTOCOL_ERROR));
    }
    cases.add(Arguments.of("close with a 1-byte payload", frame(0x88, new byte[] {3}, true), PROTOCOL_ERROR));
    cases.add(Arguments.of("close reason that is not UTF-8",
        frame(0x88, bytes(closePayload(1000, ""), new byte[] {(byte) 0xFF, (byte) 0xFE}), true), INVALID_PAYLOAD));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} closes with {2}")
  @MethodSource("protocolViolations")
  void aProtocolViolationClosesOnlyThatConnection(String what, byte[] bytes, Object expectedClose) throws IOException {
    Room room = fx.room("Raw");
    TestSocket bystander = fx.participant(room, fx.join(room, "Bystander"));
    TestSocket poster = fx.participant(room, fx.join(room, "Poster"));

    int closeCode;
    try (RawWebSocket hostile = RawWebSocket.connect(server.port(), 0)) {
      helloOverRaw(hostile, room, fx.join(room, "Hostile"));
      hostile.sendRaw(bytes);
      try {
        closeCode = hostile.awaitClose();
      } catch (AssertionError e) {
        throw new AssertionError("still open 10 s after: " + what, e);
      }
    }

    if (expectedClose instanceof Set<?> allowed) {
      assertThat(closeCode).as("close code after: %s", what).isIn(allowed);
    } else {
      assertThat(closeCode).as("close code after: %s", what).isEqualTo(expectedClose);
    }
    assertStillServed(bystander, poster, "after " + what);
  }

  /**
   * permessage-deflate (which the server offers) lets an 8 KiB frame inflate to 8 MiB. The bomb must
   * end the connection like any oversize message, and nobody else may notice. Should the server
   * stop offering compression, a compressed frame is an RSV1 violation and ends it with 1002.
   */
  @Test
  void aPermessageDeflateBombClosesOnlyThatConnection() throws IOException {
    Room room = fx.room("Bomb");
    TestSocket bystander = fx.participant(room, fx.join(room, "Bystander"));
    TestSocket poster = fx.participant(room, fx.join(room, "Poster"));
    Member bomber = fx.join(room, "Bomber");

    int closeCode;
    boolean negotiated;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
      socket.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").getBytes(UTF_8));
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 101");
      negotiated = head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate");
      // Uncompressed frames stay allowed under permessage-deflate (RSV1 clear).
      out.write(frame(0x81, new JsonObject().put("type", "hello").put("room", room.slug()).put("token", bomber.token())
          .encode().getBytes(UTF_8), true));
      byte[] compressed = deflate(" ".repeat(8 * 1024 * 1024).getBytes(UTF_8));
      assertThat(compressed.length).as("the bomb fits in one frame").isLessThan(16 * 1024);
      out.write(frame(0x80 | 0x40 | 0x1, compressed, true));
      out.flush();
      closeCode = awaitClose(in);
    }

    assertThat(closeCode).as("close code (compression negotiated: %s)", negotiated).isEqualTo(negotiated ? TOO_BIG : PROTOCOL_ERROR);
    assertStillServed(bystander, poster, "after a deflate bomb");
  }

  // ---- JSON built to hurt ----

  @Test
  void nonNumericNumberLiteralsAreBadJson() {
    Room room = fx.room("NaN");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));
    String postId = somePost(room);

    for (String literal : List.of("NaN", "Infinity", "-Infinity", "+Infinity", "-NaN")) {
      s.sendText("{\"type\":\"rate\",\"cid\":\"n\",\"post\":\"" + postId + "\",\"value\":" + literal + "}");
      JsonObject error = s.next("error");
      assertThat(error.getString("code")).as(literal).isEqualTo("bad_json");
    }
    assertServed(s);
    assertThat(ratingsOf(room, postId)).as("no literal counted as a rating").isZero();
  }

  @Test
  void numbersOfAThousandDigitsAreRefused() {
    Room room = fx.room("Digits");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));
    String postId = somePost(room);
    String digits = "9".repeat(1000);

    for (String number : List.of(digits, "-" + digits, "0." + digits, "1" + digits + "e-1000", "5e" + digits)) {
      s.sendText("{\"type\":\"rate\",\"cid\":\"d\",\"post\":\"" + postId + "\",\"value\":" + number + "}");
      JsonObject error = s.next("error");
      // Jackson's number-length limit (64 characters) stops these in the parser, before any BigInteger is built.
      assertThat(error.getString("code")).as(number.substring(0, 8)).isEqualTo("bad_json");
    }
    assertServed(s);
    assertThat(ratingsOf(room, postId)).isZero();
  }

  @Test
  void nestingTenThousandDeepIsBadJson() {
    Room room = fx.room("Deep");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    String arrays = "[".repeat(10_000) + "]".repeat(10_000);
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    for (String deep : List.of(arrays, objects)) {
      s.sendText("{\"type\":\"post\",\"cid\":\"deep\",\"text\":\"deep\",\"extra\":" + deep + "}");
      assertThat(s.next("error").getString("code")).isEqualTo("bad_json");
    }
    // A bare deep array as the whole frame, too.
    s.sendText(arrays);
    assertThat(s.next("error").getString("code")).isEqualTo("bad_json");
    assertServed(s);
    assertThat(fx.listedPosts(room)).as("nothing was posted").isEmpty();
  }

  @Test
  void fifteenKibOfZeroWidthJoinersIsTooLongAText() {
    Room room = fx.room("Joiners");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    // 5,120 joiners: 15 KiB of UTF-8, invisible, but each one a character that counts.
    String joiners = "\u200d".repeat(5 * 1024);
    assertThat(joiners.getBytes(UTF_8)).hasSize(15 * 1024);
    JsonObject error = SocketFixture.call(s, post("zwj", joiners));

    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getString("code")).isEqualTo("invalid");
    assertServed(s);
    assertThat(fx.listedPosts(room)).isEmpty();
  }

  @Test
  void nicknamesLoseBidiOverridesAndZeroWidthSpacesEverywhereTheyAreShown() {
    Room room = fx.room("Nicks");
    // "Ada" then a right-to-left override that would show "ecalevoL" reversed, isolates, a
    // zero-width space, a left-to-right mark and a byte-order mark.
    String hostile = "\u202eAda\u200b Lovelace\u2066\u2069\u200e\ufeff\u202c";
    JsonObject joined = server.join(room.slug(), hostile);
    String nick = joined.getJsonObject("participant").getString("nick");

    assertThat(nick).isEqualTo("Ada Lovelace");
    TestSocket s = fx.open();
    JsonObject welcome = s.helloToken(room.slug(), joined.getString("token"));
    assertThat(welcome.getJsonObject("you").getString("nick")).isEqualTo("Ada Lovelace");
    JsonObject acked = ack(s, post("n1", "hello"));
    assertThat(acked.getJsonObject("post").getJsonObject("author").getString("nick")).isEqualTo("Ada Lovelace");

    // A nick made only of invisible characters is no nick at all.
    TestServer.Response invisible = server.request(HttpMethod.POST, "/api/rooms/" + room.slug() + "/participants", null,
        new JsonObject().put("nick", "\u202e\u200b\u2066\u2069\ufeff").encode());
    assertThat(invisible.status()).isEqualTo(400);
    assertThat(invisible.errorCode()).isEqualTo("invalid");
    // The joiners that hold an emoji family together stay.
    String family = "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67";
    assertThat(server.join(room.slug(), "\u202e" + family).getJsonObject("participant").getString("nick")).isEqualTo(family);
  }

  @Test
  void loneSurrogatesInTextAndNicksAreNotStoredToComeBackAsQuestionMarks() {
    Room room = fx.room("Surrogates");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    // JSON's backslash-u escapes can name half a surrogate pair, which no UTF-8 frame can carry back.
    s.sendText("{\"type\":\"post\",\"cid\":\"ls1\",\"text\":\"a\\ud800b\"}");
    JsonObject answer = answer(s, "ls1");
    if ("ack".equals(answer.getString("type"))) {
      assertThat(answer.getJsonObject("post").getString("text")).as("the text the author gets back").doesNotContain("?");
    } else {
      assertThat(answer.getString("code")).isEqualTo("invalid");
    }

    TestServer.Response nick = server.request(HttpMethod.POST, "/api/rooms/" + room.slug() + "/participants", null,
        "{\"nick\":\"Ada\\udc00\"}");
    if (nick.status() == 201) {
      assertThat(nick.json().getJsonObject("participant").getString("nick")).as("nick").doesNotContain("?");
    } else {
      assertThat(nick.status()).isEqualTo(400);
      assertThat(nick.errorCode()).isEqualTo("invalid");
    }
    assertServed(s);
  }

  @Test
  void aCidWithALoneSurrogateIsRefusedRatherThanAnsweredUnderAnotherCid() {
    Room room = fx.room("SurrogateCid");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));

    s.sendText("{\"type\":\"post\",\"cid\":\"\\udc00\",\"text\":\"half a cid\"}");
    JsonObject answer = s.next(f -> "ack".equals(f.getString("type")) || "error".equals(f.getString("type")), "an answer");

    // An ack would name a cid the client never sent ("?"), so its command would look unanswered.
    assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("error");
    assertThat(answer.getString("code")).isEqualTo("invalid");
    assertThat(fx.listedPosts(room)).isEmpty();
    assertServed(s);
  }

  @Test
  void unknownFieldsAreIgnoredAndGrantNothing() {
    Room room = fx.room("Unknown");
    Member ada = fx.join(room, "Ada");
    TestSocket s = fx.open();
    // A participant who claims to be a moderator in its hello is still a participant.
    s.send(new JsonObject().put("type", "hello").put("room", room.slug()).put("token", ada.token())
        .put("role", "moderator").put("key", (String) null).put("admin", true).put("x", new JsonObject().put("y", new JsonArray().add(1))));
    JsonObject welcome = s.next("welcome");
    assertThat(welcome.getString("role")).isEqualTo("participant");

    JsonObject acked = ack(s, post("u1", "with extras").put("status", "highlighted").put("score", 99).put("author", "someone")
        .put("id", "p999").put("unknown", new JsonArray().add(new JsonObject())));
    JsonObject p = acked.getJsonObject("post");
    assertThat(p.getString("text")).isEqualTo("with extras");
    assertThat(p.getString("status")).isEqualTo("visible");
    assertThat(p.getDouble("score")).isZero();
    assertThat(p.getJsonObject("author").getString("id")).isEqualTo(ada.id());

    // ... and a mark from a participant with any extra claim is still forbidden.
    SocketFixture.refused(s, SocketFixture.mark("m1", p.getString("id"), "hidden").put("role", "moderator"), "forbidden");
    ack(s, new JsonObject().put("type", "rate").put("cid", "r1").put("post", somePost(room)).put("value", 3)
        .put("weight", 4).put("values", new JsonArray().add(5).add(5)));
    assertServed(s);
  }

  /** The fields of every command, each with a value of the right type. */
  private static Map<String, JsonObject> wellTyped(String postId) {
    Map<String, JsonObject> commands = new LinkedHashMap<>();
    commands.put("post", post("c", "text").put("replyTo", postId));
    commands.put("rate", new JsonObject().put("type", "rate").put("cid", "c").put("post", postId).put("value", 1));
    commands.put("mark", new JsonObject().put("type", "mark").put("cid", "c").put("post", postId).put("status", "answered"));
    commands.put("ban", new JsonObject().put("type", "ban").put("cid", "c").put("participant", "someone"));
    return commands;
  }

  /** JSON values of every type; each field is tried with all those that are not its own type. */
  private static final List<Object> VALUES = List.of(7, -1.5, true, false, new JsonArray().add("x"), new JsonObject().put("x", "y"),
      "five", "");

  @Test
  void everyFieldWithEveryWrongTypeIsInvalidAndTheSocketIsStillServed() {
    Room room = fx.room("Types");
    TestSocket s = fx.participant(room, fx.join(room, "Ada"));
    String postId = somePost(room);
    int tried = 0;

    for (JsonObject command : wellTyped(postId).values()) {
      for (String field : command.fieldNames()) {
        for (Object wrong : wrongValuesFor(field)) {
          JsonObject bad = command.copy().put(field, wrong);
          bad.put("cid", "cid".equals(field) ? wrong : "t" + tried);
          s.send(bad);
          JsonObject answer = s.next(f -> "ack".equals(f.getString("type")) || "error".equals(f.getString("type")), "an answer");
          assertThat(answer.getString("type")).as("%s answered %s", bad, answer).isEqualTo("error");
          assertThat(answer.getString("code")).as("%s answered %s", bad, answer).isEqualTo("invalid");
          if (!"cid".equals(field)) {
            assertThat(answer.getString("cid")).as("the refusal names the command").isEqualTo("t" + tried);
          }
          tried++;
        }
      }
    }
    // hello's fields, on a socket that has not said hello yet: refused, and the socket may still say it.
    TestSocket fresh = fx.open();
    Member bob = fx.join(room, "Bob");
    JsonObject hello = new JsonObject().put("type", "hello").put("room", room.slug()).put("token", bob.token()).put("since", 0);
    for (String field : hello.fieldNames()) {
      for (Object wrong : wrongValuesFor(field)) {
        fresh.send(hello.copy().put(field, wrong));
        JsonObject answer = fresh.next();
        assertThat(answer.getString("type")).as("hello with %s=%s", field, wrong).isEqualTo("error");
        assertThat(answer.getString("code")).as("hello with %s=%s", field, wrong).isEqualTo("invalid");
        tried++;
      }
    }
    assertThat(tried).isGreaterThan(60);
    assertServed(s);
    ack(s, post("after", "still here"));
    assertThat(fresh.helloToken(room.slug(), bob.token()).getString("role")).isEqualTo("participant");
  }

  /** Values of another JSON type than the field's, and the in-type values that are out of range. */
  private static List<Object> wrongValuesFor(String field) {
    List<Object> wrong = new ArrayList<>();
    switch (field) {
      case "value" -> {
        VALUES.stream().filter(v -> !(v instanceof Integer)).forEach(wrong::add);
        wrong.addAll(List.of(6, -6, Integer.MAX_VALUE + 1L, 2.0e10));
      }
      case "since" -> {
        VALUES.stream().filter(v -> !(v instanceof Integer)).forEach(wrong::add);
        wrong.add(-1);
      }
      case "status" -> {
        VALUES.stream().filter(v -> !(v instanceof String)).forEach(wrong::add);
        wrong.addAll(List.of("", "collapsed", "HIDDEN"));
      }
      case "type" -> VALUES.stream().filter(v -> !(v instanceof String)).forEach(wrong::add);
      // An empty token is a bad token (4401 at authentication), an empty replyTo names no post:
      // both are let through the decoder, so only the other types are tried here.
      case "replyTo", "token" -> VALUES.stream().filter(v -> !(v instanceof String)).forEach(wrong::add);
      default -> {
        // Required strings: every other type, and the empty string.
        VALUES.stream().filter(v -> !(v instanceof String)).forEach(wrong::add);
        wrong.add("");
      }
    }
    if (field.equals("type")) {
      wrong.add("");
    }
    return wrong;
  }

  // ---- helpers ----

  /** A post by a fresh participant of the room, to be rated. */
  private String somePost(Room room) {
    TestSocket author = fx.participant(room, fx.join(room, "Author"));
    return ack(author, post("seed", "rate me")).getJsonObject("post").getString("id");
  }

  private int ratingsOf(Room room, String postId) {
    for (Object p : fx.listedPosts(room)) {
      JsonObject post = (JsonObject) p;
      if (postId.equals(post.getString("id"))) {
        return post.getInteger("ratings");
      }
    }
    throw new AssertionError("post " + postId + " is not listed");
  }

  /** The bystander still answers pings and still gets what the poster posts. */
  private static void assertStillServed(TestSocket bystander, TestSocket poster, String when) {
    assertServed(bystander);
    String text = "still here " + when;
    ack(poster, post("after-" + Math.abs(when.hashCode()), text));
    bystander.next(f -> "posts".equals(f.getString("type")) && f.getJsonArray("posts").stream()
        .anyMatch(p -> text.equals(((JsonObject) p).getString("text"))), "the post made " + when);
    assertThat(bystander.isClosed()).isFalse();
  }

  private static void helloOverRaw(RawWebSocket ws, Room room, Member member) throws IOException {
    ws.sendText(new JsonObject().put("type", "hello").put("room", room.slug()).put("token", member.token()).encode());
    while (true) {
      RawWebSocket.Frame f = ws.readMessage();
      assertThat(f).as("welcome over the raw socket").isNotNull();
      assertThat(f.opcode()).as("welcome over the raw socket").isEqualTo(RawWebSocket.TEXT);
      if ("welcome".equals(new JsonObject(f.text()).getString("type"))) {
        return;
      }
    }
  }

  /** A whole frame with any first byte (FIN, RSV bits, opcode), masked or not. */
  private static byte[] frame(int firstByte, byte[] payload, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(maskBit | payload.length);
    } else {
      out.write(maskBit | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] mask = new byte[4];
      RANDOM.nextBytes(mask);
      out.write(mask, 0, 4);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= mask[i % 4];
      }
    }
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  /** A masked frame header announcing {@code length} bytes (64-bit form), a few of which follow. */
  private static byte[] header(int firstByte, long length) {
    ByteBuffer b = ByteBuffer.allocate(2 + 8 + 4 + 16);
    b.put((byte) firstByte).put((byte) (0x80 | 127)).putLong(length);
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    b.put(mask).put(new byte[16]);
    return b.array();
  }

  /** Raw DEFLATE as permessage-deflate frames it: a sync flush without its 00 00 FF FF tail. */
  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
    }
    deflater.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  private static String readHead(DataInputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed during the upgrade");
      }
      head.append((char) c);
    }
    return head.toString();
  }

  /** Skips the server's frames (maybe compressed) up to its close frame: its code, or 1006 at the end. */
  private static int awaitClose(DataInputStream in) throws IOException {
    try {
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return ABNORMAL;
        }
        long length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if ((b0 & 0x0f) == 0x8) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (EOFException | SocketException e) {
      return ABNORMAL;
    }
  }

  private static byte[] closePayload(int code, String reason) {
    return bytes(new byte[] {(byte) (code >>> 8), (byte) code}, reason);
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] b = part instanceof String s ? s.getBytes(UTF_8) : (byte[]) part;
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
