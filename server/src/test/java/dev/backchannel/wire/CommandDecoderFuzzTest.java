package dev.backchannel.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.scoring.ScoringRules;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of what a client frame goes through before anything acts on it:
 * {@link CommandDecoder#parse} then {@link CommandDecoder#decode}. Whatever the bytes, the only
 * outcomes are a {@link Command} that keeps the protocol's promises or a {@link Failure} with
 * {@code bad_json} or {@code invalid}: never another exception, never a hang.
 *
 * <p>A plain {@code mvn verify} runs this in regression mode: every file under
 * {@code src/test/resources/dev/backchannel/wire/CommandDecoderFuzzTestInputs/<method>/} (the seeds,
 * plus any crash Jazzer found and someone kept) is replayed once, in a few seconds (most of it installing Jazzer's agent). To fuzz for
 * real (coverage of our code and of Jackson, see {@code jazzer.instrument} in
 * junit-platform.properties), from the repository root:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -o -pl server test -Dtest=CommandDecoderFuzzTest -Djazzer.max_duration=10m \
 *     -Djunit.jupiter.execution.timeout.mode=disabled
 * </pre>
 *
 * (JUnit would otherwise hold the whole fuzzing run to the per-input {@code @Timeout}; Jazzer
 * passes that timeout on to libFuzzer, which then reports any single input that hangs. Add
 * {@code -Djazzer.keep_going=50} to go on past the first finding.) A finding is written next to the
 * seeds as {@code crash-<sha1>}; keep it there so that every build replays it. The corpus Jazzer
 * grows lands in {@code server/.cifuzz-corpus/} (not committed).
 */
class CommandDecoderFuzzTest {

  private static final CommandDecoder DECODER = new CommandDecoder(new Codec());
  /** What an error frame may echo back: Jackson's messages quote at most a few hundred characters. */
  private static final int MAX_MESSAGE = 2048;

  /**
   * The raw bytes are read as the UTF-8 a text frame carries; malformed sequences become U+FFFD, as
   * Vert.x decodes them (RFC 6455 wants such a frame refused with 1007 before it gets here, see
   * HostileFramesTest; the decoder must not care either way). Lone surrogates, control characters
   * and the rest still arrive through JSON's escapes.
   */
  @Timeout(value = 10, unit = TimeUnit.SECONDS) // also libFuzzer's per-input timeout when fuzzing
  @DictionaryEntries({
      "{\"type\":\"hello\",", "{\"type\":\"post\",", "{\"type\":\"rate\",", "{\"type\":\"mark\",",
      "{\"type\":\"ban\",", "{\"type\":\"ping\"}", "\"room\":", "\"token\":", "\"key\":", "\"since\":",
      "\"cid\":", "\"text\":", "\"replyTo\":", "\"post\":", "\"value\":", "\"status\":", "\"participant\":",
      "\"answered\"", "\"highlighted\"", "\"visible\"", "\"hidden\"", "null", "true", "false", "-5", "5",
      "1e400", "-0", "NaN", "Infinity", "\\u0000", "\\u0301", "\\u200d", "\\u202e", "\\ud83d\\ude00", "\\ud800",
      "\\udc00", "\\n", "\\r", "\\t", "[", "]", "{", "}", ",", ":", "\""})
  @FuzzTest(maxDuration = "5m")
  void everyFrameIsACommandOrARefusal(byte[] input) {
    String frame = new String(input, UTF_8);
    JsonNode node;
    try {
      node = DECODER.parse(frame);
    } catch (Failure f) {
      assertRefusal(f, ErrorCode.BAD_JSON);
      return;
    }
    assertThat(node).isNotNull();
    assertThat(node.isObject()).as("parse accepts only objects").isTrue();
    // Even a refused command is answered with its cid, so the cid found must be one a client may send.
    String cid = CommandDecoder.cidOf(node);
    if (cid != null) {
      assertThat(cid.length()).isBetween(1, CommandDecoder.MAX_CID);
    }

    Command command;
    try {
      command = DECODER.decode(node);
    } catch (Failure f) {
      assertRefusal(f, ErrorCode.INVALID);
      return;
    }
    assertKeepsThePromises(command);
    // The same tree decodes the same way: no hidden state in the decoder.
    assertThat(DECODER.decode(node)).isEqualTo(command);
  }

  private static void assertRefusal(Failure f, ErrorCode expected) {
    assertThat(f.code()).as("refusal %s", f.getMessage()).isEqualTo(expected);
    assertThat(f.getMessage()).isNotBlank();
    assertThat(f.getMessage().length()).as("echoed message length").isLessThanOrEqualTo(MAX_MESSAGE);
  }

  private static void assertKeepsThePromises(Command command) {
    assertThat(command).isNotNull();
    if (command.cid() != null) {
      assertThat(command.cid().length()).isBetween(1, CommandDecoder.MAX_CID);
      assertEncodable("cid", command.cid());
    }
    if (command instanceof Command.Hello hello) {
      assertThat(hello.room()).isNotEmpty().hasSizeLessThanOrEqualTo(64);
      assertThat(hello.token() == null).as("exactly one of token and key").isNotEqualTo(hello.key() == null);
      // An empty token or key gets through to authentication, which closes with 4401: fine.
      if (hello.token() != null) {
        assertThat(hello.token()).hasSizeLessThanOrEqualTo(512);
      } else {
        assertThat(hello.key()).hasSizeLessThanOrEqualTo(256);
      }
      assertThat(hello.since()).isGreaterThanOrEqualTo(-1);
    } else if (command instanceof Command.NewPost post) {
      assertThat(post.cid()).isNotNull();
      assertCleanText(post.text());
      if (post.replyTo() != null) {
        // An empty replyTo names no post and is refused with not_found by the store.
        assertThat(post.replyTo()).hasSizeLessThanOrEqualTo(CommandDecoder.MAX_ID);
      }
    } else if (command instanceof Command.Rate rate) {
      assertThat(rate.cid()).isNotNull();
      assertThat(rate.post()).isNotEmpty().hasSizeLessThanOrEqualTo(CommandDecoder.MAX_ID);
      if (rate.value() != null) {
        assertThat(rate.value()).isBetween(ScoringRules.MIN_RATING, ScoringRules.MAX_RATING);
      }
    } else if (command instanceof Command.SetMark mark) {
      assertThat(mark.cid()).isNotNull();
      assertThat(mark.post()).isNotEmpty().hasSizeLessThanOrEqualTo(CommandDecoder.MAX_ID);
      assertThat(mark.status()).isNotNull();
    } else if (command instanceof Command.Ban ban) {
      assertThat(ban.cid()).isNotNull();
      assertThat(ban.participant()).isNotEmpty().hasSizeLessThanOrEqualTo(CommandDecoder.MAX_ID);
    } else {
      assertThat(command).isInstanceOf(Command.Ping.class);
    }
  }

  /**
   * PROTOCOL.md: 1–500 characters after NFC and trimming, no control character but newline. The
   * text is stored and shown as it is, so it must already be its own cleaned form: cleaning it
   * again (another node, an export re-imported) must not change it.
   */
  private static void assertCleanText(String text) {
    assertThat(Text.length(text)).isBetween(1, CommandDecoder.MAX_TEXT);
    assertThat(text).isEqualTo(text.strip());
    text.codePoints().forEach(cp -> assertThat(cp == '\n' || !Character.isISOControl(cp))
        .as("control character U+%04X in %s", cp, text).isTrue());
    assertThat(Text.clean(text)).as("cleaning is idempotent").isEqualTo(text);
    assertEncodable("text", text);
  }

  /**
   * The cid and the text come back in frames, which are UTF-8: a lone surrogate (a JSON escape
   * can carry one) has no UTF-8 form and would come back as {@code ?}.
   */
  private static void assertEncodable(String field, String value) {
    assertThat(UTF_8.newEncoder().canEncode(value)).as("%s %s is well-formed UTF-16", field, value).isTrue();
  }
}
