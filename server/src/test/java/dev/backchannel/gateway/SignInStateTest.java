package dev.backchannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sealed sign-in state: what goes in comes out, and only from this server, unaltered, in time. */
class SignInStateTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private final Sealer sealer = new Sealer("state-test-secret-0123456789", List.of());

  @Test
  void whatIsSealedOpensAgain() {
    SignInState state = SignInState.start("devconf", "company", "Ada", NOW);

    assertThat(SignInState.open(sealer, state.seal(sealer), NOW.plusSeconds(1))).contains(state);
    SignInState anonymous = SignInState.start("devconf", "company", null, NOW);
    assertThat(SignInState.open(sealer, anonymous.seal(sealer), NOW)).contains(anonymous);
  }

  @Test
  void everyStartIsFresh() {
    SignInState a = SignInState.start("devconf", "company", null, NOW);
    SignInState b = SignInState.start("devconf", "company", null, NOW);
    assertThat(a.verifier()).isNotEqualTo(b.verifier());
    assertThat(a.nonce()).isNotEqualTo(b.nonce());
    assertThat(a.browser()).isNotEqualTo(b.browser());
    // RFC 7636 4.1: 43-128 characters of the unreserved set.
    assertThat(a.verifier()).matches("[A-Za-z0-9_~.-]{43,128}");
    assertThat(a.seal(sealer)).isNotEqualTo(a.seal(sealer));
  }

  @Test
  void expiresAfterTenMinutes() {
    String sealed = SignInState.start("devconf", "company", null, NOW).seal(sealer);
    assertThat(SignInState.open(sealer, sealed, NOW.plus(SignInState.LIFETIME).minusSeconds(1))).isPresent();
    assertThat(SignInState.open(sealer, sealed, NOW.plus(SignInState.LIFETIME))).isEmpty();
  }

  @Test
  void alteredForeignOrOtherPurposeTextDoesNotOpen() {
    String sealed = SignInState.start("devconf", "company", null, NOW).seal(sealer);
    char c = sealed.charAt(20);
    String altered = sealed.substring(0, 20) + (c == 'A' ? 'B' : 'A') + sealed.substring(21);
    assertThat(SignInState.open(sealer, altered, NOW)).isEmpty();
    assertThat(SignInState.open(new Sealer("another-server-secret-0123", List.of()), sealed, NOW)).isEmpty();
    // A join code or invitation sealed by this server is no state.
    String other = sealer.seal("join-code", "{\"slug\":\"devconf\"}");
    assertThat(SignInState.open(sealer, other, NOW)).isEmpty();
    assertThat(SignInState.open(sealer, "not base64 at all!", NOW)).isEmpty();
    assertThat(SignInState.open(sealer, "", NOW)).isEmpty();
  }

  @Test
  void incompleteStateDoesNotOpen() {
    String noVerifier = sealer.seal("signin-state",
        "{\"slug\":\"devconf\",\"provider\":\"p\",\"nonce\":\"n\",\"browser\":\"b\",\"expires\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
    assertThat(SignInState.open(sealer, noVerifier, NOW)).isEmpty();
    assertThat(SignInState.open(sealer, sealer.seal("signin-state", "not json"), NOW)).isEmpty();
    assertThat(SignInState.open(sealer, sealer.seal("signin-state", "{\"slug\":\"devconf\"}"), NOW)).isEmpty();
  }

  @Test
  void opensDuringASecretRotation() {
    String sealed = SignInState.start("devconf", "company", null, NOW).seal(sealer);
    Sealer rotated = new Sealer("the-new-secret-0123456789", List.of("state-test-secret-0123456789"));
    assertThat(SignInState.open(rotated, sealed, NOW)).isPresent();
  }

  @Test
  void challengeIsS256OfTheVerifier() {
    // RFC 7636 Appendix B.
    SignInState state = new SignInState("devconf", "company", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "n", null,
        NOW, "b");
    assertThat(state.challenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }
}
