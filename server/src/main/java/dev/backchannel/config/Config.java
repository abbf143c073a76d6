package dev.backchannel.config;

import dev.backchannel.scoring.ScoringRules;
import java.util.List;

/**
 * The server's configuration, parsed once at start by {@link ConfigLoader} (YAML, then environment
 * variables {@code BACKCHANNEL_*}, then command-line flags) and handed to constructors.
 *
 * @param organizerKey null means: generate one at start and print it
 * @param allowedOrigins origins that may open {@code /ws}; empty means the server's own origin only
 * @param tokenSecret HMAC secret for participant tokens; null means one shared through the store
 * @param previousTokenSecrets secrets tokens may still be signed with, during a rotation
 * @param corsOrigins origins allowed to call the HTTP API from other sites; empty means none
 * @param trustedProxies addresses of reverse proxies whose X-Forwarded-For names the real client
 * @param loops event loops that own rooms; 0 means one per core
 * @param gateways HTTP/WebSocket server instances; 0 means one per core
 * @param networkWeighting v2's network rule (cap and hold) on; off scores as v1, for comparisons
 * @param dataDir where the embedded store keeps its journal
 * @param durability the embedded store's ack: {@code always} after the sync, {@code batch} at once
 * @param roomRetentionDays rooms closed this many days ago are deleted; 0 keeps every room
 * @param oidc OpenID Connect providers rooms with {@code access: signin} may use; empty means none
 * @param publicUrl the server's address as browsers reach it (sign-in's redirect_uri is built on it);
 *     null means the scheme and Host of each request
 */
public record Config(
    String host,
    int port,
    String organizerKey,
    String store,
    String redisUri,
    String dataDir,
    String durability,
    List<String> allowedOrigins,
    int broadcastIntervalMs,
    int dashboardIntervalMs,
    int helloTimeoutMs,
    int maxFrameBytes,
    String tokenSecret,
    List<String> previousTokenSecrets,
    List<String> corsOrigins,
    List<String> trustedProxies,
    String logFormat,
    int loops,
    int gateways,
    int socketsPerParticipant,
    int postsPerWindow,
    int postWindowSeconds,
    int ratingsPerSecond,
    int ratingBurst,
    int joinsPerMinute,
    int abuseErrors,
    int abuseWindowSeconds,
    int framesPerSecond,
    int frameBurst,
    int stallSeconds,
    int socketSendBufferBytes,
    int historyLimit,
    int snapshotLimit,
    int ackRetentionMinutes,
    boolean networkWeighting,
    int roomRetentionDays,
    List<OidcProvider> oidc,
    String publicUrl,
    ScoringRules scoring) {

  /** Checks ranges once, so a bad value fails start-up with a message instead of misbehaving later. */
  public Config {
    requireRange("port", port, 0, 65535);
    requireRange("broadcastIntervalMs", broadcastIntervalMs, 10, 60_000);
    requireRange("dashboardIntervalMs", dashboardIntervalMs, 10, 60_000);
    requireRange("helloTimeoutMs", helloTimeoutMs, 10, 600_000);
    requireRange("maxFrameBytes", maxFrameBytes, 1024, 1 << 20);
    requireRange("loops", loops, 0, 256);
    requireRange("gateways", gateways, 0, 256);
    requireRange("socketsPerParticipant", socketsPerParticipant, 1, 1000);
    requireRange("postsPerWindow", postsPerWindow, 1, 1_000_000);
    requireRange("postWindowSeconds", postWindowSeconds, 1, 86_400);
    requireRange("ratingsPerSecond", ratingsPerSecond, 1, 1_000_000);
    requireRange("ratingBurst", ratingBurst, 1, 1_000_000);
    requireRange("joinsPerMinute", joinsPerMinute, 1, 100_000_000);
    requireRange("abuseErrors", abuseErrors, 1, 1_000_000);
    requireRange("abuseWindowSeconds", abuseWindowSeconds, 1, 86_400);
    requireRange("framesPerSecond", framesPerSecond, 1, 1_000_000);
    requireRange("frameBurst", frameBurst, 1, 1_000_000);
    requireRange("stallSeconds", stallSeconds, 1, 3600);
    requireRange("socketSendBufferBytes", socketSendBufferBytes, 0, 64 << 20);
    requireRange("historyLimit", historyLimit, 1, 10_000_000);
    requireRange("snapshotLimit", snapshotLimit, 1, 100_000);
    requireRange("ackRetentionMinutes", ackRetentionMinutes, 10, 1440);
    requireRange("roomRetentionDays", roomRetentionDays, 0, 36_500);
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be set");
    }
    if (store == null || store.isBlank()) {
      throw new IllegalArgumentException("store must be set (memory, embedded or redis)");
    }
    if (dataDir == null || dataDir.isBlank()) {
      throw new IllegalArgumentException("dataDir must be set");
    }
    if (!List.of("always", "batch").contains(durability)) {
      throw new IllegalArgumentException("durability must be always or batch, got " + durability);
    }
    if (organizerKey != null && organizerKey.length() < 16) {
      throw new IllegalArgumentException("organizerKey must be at least 16 characters");
    }
    if (tokenSecret != null && tokenSecret.length() < 16) {
      throw new IllegalArgumentException("tokenSecret must be at least 16 characters");
    }
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    previousTokenSecrets = previousTokenSecrets == null ? List.of() : List.copyOf(previousTokenSecrets);
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    logFormat = logFormat == null ? "text" : logFormat;
    if (!List.of("text", "json").contains(logFormat)) {
      throw new IllegalArgumentException("logFormat must be text or json, got " + logFormat);
    }
    oidc = oidc == null ? List.of() : List.copyOf(oidc);
    if (oidc.stream().map(OidcProvider::name).distinct().count() < oidc.size()) {
      throw new IllegalArgumentException("oidc: provider names must be unique");
    }
    if (publicUrl != null && !OidcProvider.isHttpUrl(publicUrl)) {
      throw new IllegalArgumentException("publicUrl must be an http(s) URL such as https://backchannel.example, got "
          + publicUrl);
    }
    // Joined with paths that start with '/'.
    publicUrl = publicUrl != null && publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    scoring = scoring == null ? ScoringRules.defaults() : scoring;
    scoring = scoring.withNetworks(scoring.networks().enabled(networkWeighting));
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  /** The names of the configured sign-in providers, in the order configured. */
  public java.util.Set<String> oidcProviderNames() {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    oidc.forEach(p -> names.add(p.name()));
    return names;
  }

  /** Loops to run: the configured number or one per core. */
  public int loopCount() {
    return loops > 0 ? loops : Runtime.getRuntime().availableProcessors();
  }

  /** Gateway instances to run: the configured number or one per core. */
  public int gatewayCount() {
    return gateways > 0 ? gateways : Runtime.getRuntime().availableProcessors();
  }
}
