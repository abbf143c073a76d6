package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Participant tokens cannot be forged, altered or moved to another room. */
class TokensTest {

  private final Tokens tokens = new Tokens("a-server-secret-of-some-length");

  @Test
  void aTokenNamesItsParticipantInItsRoom() {
    String token = tokens.issue("devconf", "abc123");
    assertThat(tokens.verify(token, "devconf")).contains("abc123");
  }

  @Test
  void aTokenIsRefusedInAnotherRoom() {
    assertThat(tokens.verify(tokens.issue("devconf", "abc123"), "other")).isEmpty();
  }

  @Test
  void alteredOrForgedTokensAreRefused() {
    String token = tokens.issue("devconf", "abc123");
    String otherParticipant = token.replace("abc123", "abc124");
    char last = token.charAt(token.length() - 1);
    String flipped = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertThat(tokens.verify(otherParticipant, "devconf")).isEmpty();
    assertThat(tokens.verify(flipped, "devconf")).isEmpty();
    assertThat(tokens.verify(new Tokens("another-secret-entirely!").issue("devconf", "abc123"), "devconf")).isEmpty();
    assertThat(tokens.verify("", "devconf")).isEmpty();
    assertThat(tokens.verify("devconf", "devconf")).isEmpty();
    assertThat(tokens.verify("devconf..", "devconf")).isEmpty();
  }

  @Test
  void aRotatedSecretStillAcceptsTokensOfThePreviousOneAndSignsWithTheNew() {
    String old = tokens.issue("devconf", "abc123");
    Tokens rotated = new Tokens("the-new-server-secret!!", List.of("a-server-secret-of-some-length"));
    assertThat(rotated.verify(old, "devconf")).contains("abc123");
    String fresh = rotated.issue("devconf", "abc123");
    assertThat(fresh).isNotEqualTo(old);
    assertThat(new Tokens("the-new-server-secret!!").verify(fresh, "devconf")).contains("abc123");
    assertThat(new Tokens("the-new-server-secret!!").verify(old, "devconf")).as("once the old one is dropped").isEmpty();
  }

  @Test
  void keysAreLongRandomAndComparedByHash() {
    String key = Secrets.newKey();
    assertThat(key).matches("[A-Za-z0-9_-]{32}");
    assertThat(Secrets.newKey()).isNotEqualTo(key);
    assertThat(Secrets.matches(key, Secrets.hash(key))).isTrue();
    assertThat(Secrets.matches(key + "x", Secrets.hash(key))).isFalse();
    assertThat(Secrets.matches(null, Secrets.hash(key))).isFalse();
  }
}
