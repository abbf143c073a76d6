package dev.backchannel.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A participant's network from their address (DESIGN.md v2: IPv4 /24, IPv6 /48), and its label. */
class NetworkTest {

  @Test
  void addressesAreCutToTheirNetwork() {
    assertThat(Network.of("203.0.113.77", 24, 48)).isEqualTo("203.0.113.0/24");
    assertThat(Network.of("2001:db8:abcd:12:ff::1", 24, 48)).isEqualTo("2001:db8:abcd::/48");
    assertThat(Network.of("::ffff:198.51.100.9", 24, 48)).as("IPv4-mapped").isEqualTo("198.51.100.0/24");
    assertThat(Network.of("10.1.2.3", 16, 48)).isEqualTo("10.1.0.0/16");
  }

  @Test
  void anythingThatIsNotAnAddressIsOneUnknownNetworkAndIsNeverLookedUp() {
    assertThat(Network.of("example.org", 24, 48)).isEqualTo("unknown");
    assertThat(Network.of(null, 24, 48)).isEqualTo("unknown");
    assertThat(Network.family("unknown")).isEqualTo("unknown");
  }

  @Test
  void prefixesAreCanonicalAndContainTheirNetworks() {
    assertThat(Network.prefix("203.0.113.9/24", 24, 48)).isEqualTo("203.0.113.0/24");
    assertThat(Network.prefix("203.0.113.9", 24, 48)).isEqualTo("203.0.113.0/24");
    assertThat(Network.prefix("2001:db8::/32", 24, 48)).isEqualTo("2001:db8::/32");
    assertThat(Network.prefix("203.0.113.0/33", 24, 48)).isNull();
    assertThat(Network.prefix("hall", 24, 48)).isNull();
    assertThat(Network.within("203.0.113.0/24", "203.0.0.0/16")).isTrue();
    assertThat(Network.within("203.1.113.0/24", "203.0.0.0/16")).isFalse();
    assertThat(Network.within("203.0.113.0/24", "203.0.113.0/24")).isTrue();
    assertThat(Network.within("203.0.0.0/16", "203.0.113.0/24")).as("a wider network is not within").isFalse();
    assertThat(Network.within("2001:db8:1::/48", "203.0.0.0/16")).isFalse();
  }

  @Test
  void labelsAreSaltedHashesThatDoNotShowTheAddress() {
    String a = Network.label("salt-1", "203.0.113.0/24");
    assertThat(a).matches("n[0-9a-f]{10}").isEqualTo(Network.label("salt-1", "203.0.113.0/24"));
    assertThat(Network.label("salt-2", "203.0.113.0/24")).isNotEqualTo(a);
    assertThat(Network.label("salt-1", "203.0.114.0/24")).isNotEqualTo(a);
    assertThat(Network.family("203.0.113.0/24")).isEqualTo("ipv4");
    assertThat(Network.family("2001:db8:abcd::/48")).isEqualTo("ipv6");
  }
}
