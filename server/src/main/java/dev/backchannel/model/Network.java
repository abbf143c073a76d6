package dev.backchannel.model;

import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A participant's network (DESIGN.md v2): their client address cut to a prefix, written as CIDR
 * ({@code 203.0.113.0/24}, {@code 2001:db8:1::/48}). Identities are cheap, networks are not, so
 * v2 weighs ratings per network. Staff see only a {@link #label}: a salted hash and the family.
 */
public final class Network {

  /** Where the address is not an IP address (a Unix socket, a test double): one network of its own. */
  static final String UNKNOWN = "unknown";

  private Network() {}

  /** The network of {@code address}: IPv4 (and IPv4-mapped IPv6) cut to {@code v4Bits}, IPv6 to {@code v6Bits}. */
  public static String of(String address, int v4Bits, int v6Bits) {
    byte[] bytes = address == null ? null : NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return UNKNOWN;
    }
    if (bytes.length == 16 && isIpv4Mapped(bytes)) {
      bytes = java.util.Arrays.copyOfRange(bytes, 12, 16);
    }
    int bits = bytes.length == 4 ? v4Bits : v6Bits;
    return NetUtil.bytesToIpAddress(masked(bytes, bits)) + "/" + bits;
  }

  /**
   * A prefix as an organizer writes it ({@code 203.0.113.0/24}, {@code 2001:db8::/32}, or a bare
   * address, which is its whole network), in canonical form; null when it is not one.
   */
  public static String prefix(String text, int v4Bits, int v6Bits) {
    String t = text == null ? "" : text.trim();
    int slash = t.indexOf('/');
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? t : t.substring(0, slash));
    if (bytes == null) {
      return null;
    }
    if (slash < 0) {
      return of(t, v4Bits, v6Bits);
    }
    int bits;
    try {
      bits = Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (bits < 0 || bits > bytes.length * 8) {
      return null;
    }
    return NetUtil.bytesToIpAddress(masked(bytes, bits)) + "/" + bits;
  }

  /** Whether network {@code network} lies within {@code prefix} (both canonical CIDR). */
  public static boolean within(String network, String prefix) {
    int ns = network.indexOf('/');
    int ps = prefix.indexOf('/');
    if (ns < 0 || ps < 0) {
      return network.equals(prefix);
    }
    byte[] n = NetUtil.createByteArrayFromIpAddressString(network.substring(0, ns));
    byte[] p = NetUtil.createByteArrayFromIpAddressString(prefix.substring(0, ps));
    int nBits = Integer.parseInt(network.substring(ns + 1));
    int pBits = Integer.parseInt(prefix.substring(ps + 1));
    if (n == null || p == null || n.length != p.length || pBits > nBits) {
      return false;
    }
    return java.util.Arrays.equals(masked(n, pBits), p);
  }

  /** {@code ipv4}, {@code ipv6} or {@code unknown}. */
  public static String family(String network) {
    if (network.equals(UNKNOWN)) {
      return UNKNOWN;
    }
    return network.contains(":") ? "ipv6" : "ipv4";
  }

  /**
   * What staff see of a network: {@code n} and the first 10 hex digits of SHA-1 over the room's
   * secret salt, {@code |} and the network. SHA-1 because Redis's Lua has it ({@code redis.sha1hex}),
   * so every engine labels alike; the salt, not the hash, keeps the network from being guessed.
   */
  public static String label(String salt, String network) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((salt + "|" + network).getBytes(StandardCharsets.UTF_8));
      return "n" + HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static byte[] masked(byte[] address, int bits) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }
}
