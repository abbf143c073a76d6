package dev.backchannel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.model.Mark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every client frame is checked field by field before anything acts on it. */
class CommandDecoderTest {

  private final CommandDecoder decoder = new CommandDecoder(new Codec());

  private Command decode(String frame) {
    return decoder.decode(decoder.parse(frame));
  }

  private static ErrorCode codeOf(Runnable r) {
    try {
      r.run();
    } catch (Failure f) {
      return f.code();
    }
    throw new AssertionError("no failure");
  }

  @Test
  void decodesEveryCommand() {
    assertThat(decode("{\"type\":\"hello\",\"room\":\"r\",\"token\":\"t\",\"since\":12}"))
        .isEqualTo(new Command.Hello("r", "t", null, 12));
    assertThat(decode("{\"type\":\"hello\",\"room\":\"r\",\"key\":\"k\"}"))
        .isEqualTo(new Command.Hello("r", null, "k", -1));
    assertThat(decode("{\"type\":\"ping\"}")).isEqualTo(new Command.Ping());
    assertThat(decode("{\"type\":\"post\",\"cid\":\"c1\",\"text\":\" hi \",\"replyTo\":null,\"extra\":1}"))
        .isEqualTo(new Command.NewPost("c1", "hi", null));
    assertThat(decode("{\"type\":\"rate\",\"cid\":\"c2\",\"post\":\"p1\",\"value\":-5}"))
        .isEqualTo(new Command.Rate("c2", "p1", -5));
    assertThat(decode("{\"type\":\"rate\",\"cid\":\"c2\",\"post\":\"p1\",\"value\":null}"))
        .isEqualTo(new Command.Rate("c2", "p1", null));
    assertThat(decode("{\"type\":\"mark\",\"cid\":\"m\",\"post\":\"p1\",\"status\":\"answered\"}"))
        .isEqualTo(new Command.SetMark("m", "p1", Mark.ANSWERED));
    assertThat(decode("{\"type\":\"ban\",\"cid\":\"b\",\"participant\":\"x\"}"))
        .isEqualTo(new Command.Ban("b", "x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "nope", "[1,2]", "\"text\"", "42", "{\"type\":", "{\"a\":1}}"})
  void malformedFramesAreBadJson(String frame) {
    assertThat(codeOf(() -> decode(frame))).isIn(ErrorCode.BAD_JSON, ErrorCode.INVALID);
    if (!frame.startsWith("{\"a\"")) {
      assertThat(codeOf(() -> decoder.parse(frame))).isEqualTo(ErrorCode.BAD_JSON);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"type\":7}",
      "{\"type\":\"launch\"}",
      "{\"type\":\"hello\",\"room\":\"r\"}",
      "{\"type\":\"hello\",\"room\":\"r\",\"token\":\"t\",\"key\":\"k\"}",
      "{\"type\":\"hello\",\"room\":\"r\",\"token\":\"t\",\"since\":-1}",
      "{\"type\":\"hello\",\"room\":\"r\",\"token\":\"t\",\"since\":1.5}",
      "{\"type\":\"hello\",\"room\":\"r\",\"token\":\"t\",\"since\":\"3\"}",
      "{\"type\":\"hello\",\"room\":\"r\",\"token\":\"t\",\"since\":99999999999999999999999}",
      "{\"type\":\"hello\",\"room\":[],\"token\":\"t\"}",
      "{\"type\":\"post\",\"text\":\"no cid\"}",
      "{\"type\":\"post\",\"cid\":\"\",\"text\":\"empty cid\"}",
      "{\"type\":\"post\",\"cid\":\"c\",\"text\":\"   \"}",
      "{\"type\":\"post\",\"cid\":\"c\",\"text\":\"\\u0007\\u0000\"}",
      "{\"type\":\"post\",\"cid\":\"c\",\"text\":5}",
      "{\"type\":\"post\",\"cid\":\"c\",\"text\":\"x\",\"replyTo\":5}",
      "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\"}",
      "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\",\"value\":6}",
      "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\",\"value\":-6}",
      "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\",\"value\":4.5}",
      "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\",\"value\":\"4\"}",
      "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\",\"value\":true}",
      "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\",\"value\":1e400}",
      "{\"type\":\"mark\",\"cid\":\"c\",\"post\":\"p\",\"status\":\"collapsed\"}",
      "{\"type\":\"mark\",\"cid\":\"c\",\"post\":\"p\",\"status\":\"HIDDEN\"}",
      "{\"type\":\"ban\",\"cid\":\"c\"}"})
  void wrongFieldsAreInvalid(String frame) {
    assertThat(codeOf(() -> decode(frame))).isEqualTo(ErrorCode.INVALID);
  }

  @Test
  void cidLongerThan64IsInvalidAndNotEchoed() {
    String cid = "c".repeat(65);
    String frame = "{\"type\":\"post\",\"cid\":\"" + cid + "\",\"text\":\"x\"}";
    assertThat(codeOf(() -> decode(frame))).isEqualTo(ErrorCode.INVALID);
    assertThat(CommandDecoder.cidOf(decoder.parse(frame))).isNull();
    assertThat(CommandDecoder.cidOf(decoder.parse("{\"cid\":\"" + "c".repeat(64) + "\"}"))).hasSize(64);
  }

  @Test
  void textLimitCountsCharactersAfterNormalisation() {
    String max = "é".repeat(500);
    assertThat(((Command.NewPost) decode("{\"type\":\"post\",\"cid\":\"c\",\"text\":\"" + max + "\"}")).text())
        .hasSize(500);
    // 500 decomposed e + combining accent pairs compose to 500 characters under NFC.
    String decomposed = "e\\u0301".repeat(500);
    assertThat(((Command.NewPost) decode("{\"type\":\"post\",\"cid\":\"c\",\"text\":\"" + decomposed + "\"}")).text())
        .isEqualTo(max);
    assertThat(codeOf(() -> decode("{\"type\":\"post\",\"cid\":\"c\",\"text\":\"" + "a".repeat(501) + "\"}")))
        .isEqualTo(ErrorCode.INVALID);
    // Emoji outside the BMP count as one character each.
    assertThat(((Command.NewPost) decode("{\"type\":\"post\",\"cid\":\"c\",\"text\":\"" + "\\ud83d\\ude00".repeat(500) + "\"}"))
        .text().codePointCount(0, 1000)).isEqualTo(500);
  }

  @Test
  void deepNestingAndHugeNumbersAreRefusedCheaply() {
    String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    assertThat(codeOf(() -> decoder.parse(deep))).isEqualTo(ErrorCode.BAD_JSON);
    String huge = "{\"type\":\"rate\",\"cid\":\"c\",\"post\":\"p\",\"value\":" + "9".repeat(200) + "}";
    assertThat(codeOf(() -> decode(huge))).isIn(ErrorCode.BAD_JSON, ErrorCode.INVALID);
  }

  @Test
  void nicknamesLoseInvisibleFormatCharactersButKeepJoiners() {
    assertThat(Text.nick("  Ada\u202e nimda\u202c ")).isEqualTo("Ada nimda");
    assertThat(Text.nick("A\u200bd\u2066a\u2069\ufeff")).isEqualTo("Ada");
    assertThat(Text.nick("Bob\n\n  Smith")).isEqualTo("Bob Smith");
    String family = "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67";
    assertThat(Text.nick(family)).isEqualTo(family);
    assertThat(Text.nick("\u200b\u202e")).isEmpty();
  }

  @Test
  void textKeepsNewlinesAndDropsOtherControls() {
    assertThat(Text.clean("  a\u0000b\tc\r\nd\u200b  ")).isEqualTo("abc\nd\u200b");
    assertThat(Text.clean("\u0085x\u009f")).isEqualTo("x");
  }
}
