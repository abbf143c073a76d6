package dev.backchannel.gateway;

import dev.backchannel.config.Config;
import dev.backchannel.model.Network;
import dev.backchannel.scoring.NetworkRules;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Who is asking, as joins count it: the client's address and the network a participant gets from it. */
final class ClientAddress {

  private ClientAddress() {}

  /**
   * The client's address: the peer's, or behind a trusted proxy the last address its
   * X-Forwarded-For names that is not itself a trusted proxy (the entry our own proxy appended).
   */
  static String of(RoutingContext ctx, Config config) {
    String peer = ctx.request().remoteAddress().hostAddress();
    List<String> proxies = config.trustedProxies();
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded == null || !proxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !proxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }

  /** The network a participant joining from {@code address} is fixed to ({@link Network}). */
  static String network(String address, Config config) {
    NetworkRules networks = config.scoring().networks();
    return Network.of(address, networks.ipv4Prefix(), networks.ipv6Prefix());
  }
}
