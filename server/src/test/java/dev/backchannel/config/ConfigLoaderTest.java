package dev.backchannel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backchannel.gateway.Backchannel;
import dev.backchannel.scoring.ScoringRules;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md "Configuration and start": the documented defaults, every contract environment
 * variable, the precedence flags > environment > file > defaults, and start-up failures that say
 * what is wrong.
 */
class ConfigLoaderTest {

  private static final int DOCUMENTED_REDIS_PORT = 6379;


  @TempDir
  Path dir;

  private final ConfigLoader loader = new ConfigLoader();

  private Config load(List<String> args, Map<String, String> env) {
    return loader.load(args, env);
  }

  @Test
  void defaultsAreDesignsDefaults() {
    Config c = load(List.of(), Map.of());

    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.store()).isEqualTo("memory");
    // DESIGN's documented default only; no test ever connects there (they start their own Redis).
    assertThat(c.redisUri()).isEqualTo("redis://127.0.0.1:" + DOCUMENTED_REDIS_PORT);
    assertThat(c.broadcastIntervalMs()).isEqualTo(250);
    assertThat(c.dashboardIntervalMs()).isEqualTo(200);
    // null makes the server generate a key and print it once.
    assertThat(c.organizerKey()).isNull();
    // Empty means the server's own origin only.
    assertThat(c.allowedOrigins()).isEmpty();
    // PROTOCOL.md's default limits.
    assertThat(c.helloTimeoutMs()).isEqualTo(10_000);
    assertThat(c.maxFrameBytes()).isEqualTo(16 * 1024);
    assertThat(c.socketsPerParticipant()).isEqualTo(5);
    assertThat(c.postsPerWindow()).isEqualTo(3);
    assertThat(c.postWindowSeconds()).isEqualTo(30);
    assertThat(c.ratingsPerSecond()).isEqualTo(10);
    assertThat(c.ratingBurst()).isEqualTo(20);
    assertThat(c.joinsPerMinute()).isEqualTo(600);
    assertThat(c.abuseErrors()).isEqualTo(20);
    assertThat(c.abuseWindowSeconds()).isEqualTo(10);
    assertThat(c.snapshotLimit()).isEqualTo(500);
    assertThat(c.ackRetentionMinutes()).isGreaterThanOrEqualTo(10);
    assertThat(c.scoring()).isEqualTo(ScoringRules.defaults());
  }

  @Test
  void everyContractEnvironmentVariableIsHonoured() {
    Config c = load(List.of(), Map.of(
        "BACKCHANNEL_HOST", "127.0.0.2",
        "BACKCHANNEL_PORT", "9090",
        "BACKCHANNEL_ORGANIZER_KEY", "env-organizer-key-0123456",
        "BACKCHANNEL_STORE", "redis",
        "BACKCHANNEL_REDIS_URI", "redis-sentinel://sentinel.example:26379/0#mymaster",
        "BACKCHANNEL_ALLOWED_ORIGINS", "https://a.example,https://b.example:8443",
        "BACKCHANNEL_BROADCAST_INTERVAL_MS", "100",
        "BACKCHANNEL_DASHBOARD_INTERVAL_MS", "150"));

    assertThat(c.host()).isEqualTo("127.0.0.2");
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.organizerKey()).isEqualTo("env-organizer-key-0123456");
    assertThat(c.store()).isEqualTo("redis");
    assertThat(c.redisUri()).isEqualTo("redis-sentinel://sentinel.example:26379/0#mymaster");
    assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example:8443");
    assertThat(c.broadcastIntervalMs()).isEqualTo(100);
    assertThat(c.dashboardIntervalMs()).isEqualTo(150);
  }

  @Test
  void allowedOriginsToleratesSpacesAndEmptyItems() {
    Config c = load(List.of(), Map.of("BACKCHANNEL_ALLOWED_ORIGINS", " https://a.example , ,https://b.example,"));
    assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void otherEnvironmentVariablesAreIgnored() {
    Config c = load(List.of(), Map.of("PORT", "1234", "HOST", "example.org", "BACKCHANNELPORT", "1"));
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.host()).isEqualTo("0.0.0.0");
  }

  @Test
  void flagsBeatEnvironmentBeatFileBeatDefaults() throws IOException {
    Path file = yaml("""
        port: 7000
        broadcastIntervalMs: 300
        dashboardIntervalMs: 300
        redisUri: redis://from-file:6379
        """);
    Map<String, String> env = Map.of(
        "BACKCHANNEL_PORT", "7100",
        "BACKCHANNEL_BROADCAST_INTERVAL_MS", "400");

    Config c = load(List.of("--config=" + file, "--port=7200"), env);

    assertThat(c.port()).as("flag over environment and file").isEqualTo(7200);
    assertThat(c.broadcastIntervalMs()).as("environment over file").isEqualTo(400);
    assertThat(c.dashboardIntervalMs()).as("file over default").isEqualTo(300);
    assertThat(c.redisUri()).as("file over default").isEqualTo("redis://from-file:6379");
    assertThat(c.host()).as("default when nobody says").isEqualTo("0.0.0.0");

    assertThat(load(List.of("--config=" + file), env).port()).isEqualTo(7100);
    assertThat(load(List.of("--config=" + file), Map.of()).port()).isEqualTo(7000);
    assertThat(load(List.of("--port=7200"), env).port()).isEqualTo(7200);
  }

  @Test
  void configFileNestedKeysMergeWithDefaults() throws IOException {
    Path file = yaml("""
        scoring:
          divergentMinRatings: 4
        allowedOrigins: [https://a.example, https://b.example]
        """);
    Config c = load(List.of("--config", file.toString()), Map.of());

    assertThat(c.scoring().divergentMinRatings()).isEqualTo(4);
    // Only the key given changes; its siblings keep their defaults.
    assertThat(c.scoring().collapseMinRatings()).isEqualTo(ScoringRules.defaults().collapseMinRatings());
    assertThat(c.scoring().weightMax()).isEqualTo(ScoringRules.defaults().weightMax());
    assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void flagsTakeTheValueAfterEqualsOrAsTheNextArgument() {
    Config spaced = load(List.of("--port", "9001", "--broadcast-interval-ms", "120", "--organizer-key",
        "spaced-organizer-key-0123"), Map.of());
    assertThat(spaced.port()).isEqualTo(9001);
    assertThat(spaced.broadcastIntervalMs()).isEqualTo(120);
    assertThat(spaced.organizerKey()).isEqualTo("spaced-organizer-key-0123");

    Config joined = load(List.of("--port=9002", "--dashboard-interval-ms=130", "--allowed-origins=https://x.example,https://y.example"),
        Map.of());
    assertThat(joined.port()).isEqualTo(9002);
    assertThat(joined.dashboardIntervalMs()).isEqualTo(130);
    assertThat(joined.allowedOrigins()).containsExactly("https://x.example", "https://y.example");

    // A value may itself contain '='.
    assertThat(load(List.of("--redis-uri=redis://h:6379/0?timeout=5s"), Map.of()).redisUri())
        .isEqualTo("redis://h:6379/0?timeout=5s");
  }

  @Test
  void emptyEnvironmentVariableMeansUnset() throws IOException {
    // `BACKCHANNEL_PORT= scripts/run` must behave as if the variable were not there.
    Config c = load(List.of(), Map.of(
        "BACKCHANNEL_PORT", "",
        "BACKCHANNEL_STORE", "",
        "BACKCHANNEL_ORGANIZER_KEY", "",
        "BACKCHANNEL_BROADCAST_INTERVAL_MS", ""));
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.store()).isEqualTo("memory");
    assertThat(c.organizerKey()).isNull();
    assertThat(c.broadcastIntervalMs()).isEqualTo(250);

    Path file = yaml("""
        port: 7000
        organizerKey: file-organizer-key-0123
        """);
    Config overFile = load(List.of("--config=" + file), Map.of("BACKCHANNEL_PORT", "", "BACKCHANNEL_ORGANIZER_KEY", ""));
    assertThat(overFile.port()).isEqualTo(7000);
    assertThat(overFile.organizerKey()).isEqualTo("file-organizer-key-0123");
  }

  @Test
  void unknownFlagIsRefusedByName() {
    assertThatThrownBy(() -> load(List.of("--no-such-flag=1"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-flag");
    // A nested section is not a flag either.
    assertThatThrownBy(() -> load(List.of("--scoring=1"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scoring");
  }

  @Test
  void malformedArgumentsAreRefused() {
    assertThatThrownBy(() -> load(List.of("8080"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8080");
    assertThatThrownBy(() -> load(List.of("--port"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void unknownYamlKeyIsRefusedByName() throws IOException {
    Path file = yaml("""
        port: 8081
        brodcastIntervalMs: 100
        """);
    assertThatThrownBy(() -> load(List.of("--config=" + file), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("brodcastIntervalMs");

    Path nested = yaml("""
        scoring:
          weightSlop: 0.5
        """);
    assertThatThrownBy(() -> load(List.of("--config=" + nested), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weightSlop");
  }

  @Test
  void missingConfigFileIsRefusedByPath() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> load(List.of("--config=" + missing), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void nonNumericPortIsRefusedByName() throws IOException {
    assertThatThrownBy(() -> load(List.of("--port=eighty"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> load(List.of(), Map.of("BACKCHANNEL_PORT", "eighty")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    Path file = yaml("port: eighty\n");
    assertThatThrownBy(() -> load(List.of("--config=" + file), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> load(List.of("--broadcast-interval-ms=fast"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broadcastIntervalMs");
  }

  @Test
  void outOfRangeValuesAreRefusedByName() {
    for (String port : List.of("65536", "-1", "99999999999")) {
      assertThatThrownBy(() -> load(List.of("--port=" + port), Map.of()))
          .as("port %s", port)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("port");
    }
    assertThatThrownBy(() -> load(List.of("--broadcast-interval-ms=0"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broadcastIntervalMs");
    assertThatThrownBy(() -> load(List.of(), Map.of("BACKCHANNEL_DASHBOARD_INTERVAL_MS", "-5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dashboardIntervalMs");
    assertThatThrownBy(() -> load(List.of("--joins-per-minute=0"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("joinsPerMinute");
  }

  @Test
  void boundaryValuesAreAccepted() {
    assertThat(load(List.of("--port=0"), Map.of()).port()).isZero();
    assertThat(load(List.of("--port=65535"), Map.of()).port()).isEqualTo(65535);
    assertThat(load(List.of("--organizer-key=" + "k".repeat(16)), Map.of()).organizerKey()).hasSize(16);
  }

  @Test
  void tooShortOrganizerKeyIsRefusedByName() {
    assertThatThrownBy(() -> load(List.of("--organizer-key=short"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("organizerKey");
    assertThatThrownBy(() -> load(List.of(), Map.of("BACKCHANNEL_ORGANIZER_KEY", "k".repeat(15))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("organizerKey");
  }

  @Test
  void badDurabilityIsRefusedByName() {
    assertThatThrownBy(() -> load(List.of("--durability=sometimes"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("durability").hasMessageContaining("sometimes");
    assertThatThrownBy(() -> load(List.of(), Map.of("BACKCHANNEL_DURABILITY", "never")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("durability");
  }

  @Test
  void unknownStoreEngineFailsStartUpByName() throws Exception {
    // The loader cannot know which engines a build offers; start-up must refuse the name.
    Config config = load(List.of("--store=nosuch", "--port=0", "--host=127.0.0.1"), Map.of());
    assertThat(startFailure(config)).as("start with an unknown store").hasMessageContaining("nosuch");
  }

  @Test
  void unwritableDataDirFailsStartUpByName() throws Exception {
    // Checked where the embedded store opens it, at start: the loader only reads the path. A path
    // below a plain file cannot be created even by root, so this holds for every CI user.
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path dataDir = file.resolve("data");
    Config config = load(List.of("--store=embedded", "--data-dir=" + dataDir, "--port=0", "--host=127.0.0.1"),
        Map.of());
    assertThat(startFailure(config)).as("start on an unwritable dataDir")
        .hasMessageContaining("dataDir").hasMessageContaining(dataDir.toString());
  }

  @Test
  void signInIsOffByDefault() {
    Config c = load(List.of(), Map.of());
    assertThat(c.oidc()).isEmpty();
    assertThat(c.publicUrl()).isNull();
  }

  @Test
  void oidcProvidersComeFromTheConfigFile() throws IOException {
    Path file = yaml("""
        publicUrl: https://backchannel.example/
        oidc:
          - name: company
            issuer: https://login.example.com/realms/staff/
            clientId: backchannel
            clientSecret: s3cret-value
          - name: public
            issuer: http://127.0.0.1:9000
            clientId: backchannel-public
        """);
    Config c = load(List.of("--config=" + file), Map.of());

    assertThat(c.publicUrl()).as("without its trailing slash").isEqualTo("https://backchannel.example");
    assertThat(c.oidc()).extracting(OidcProvider::name).containsExactly("company", "public");
    OidcProvider company = c.oidc().get(0);
    assertThat(company.issuer()).as("without its trailing slash").isEqualTo("https://login.example.com/realms/staff");
    assertThat(company.clientId()).isEqualTo("backchannel");
    assertThat(company.clientSecret()).isEqualTo("s3cret-value");
    assertThat(company.toString()).doesNotContain("s3cret-value");
    assertThat(c.oidc().get(1).clientSecret()).as("a public client").isNull();
  }

  @Test
  void publicUrlComesFromTheEnvironmentToo() {
    Config c = load(List.of(), Map.of("BACKCHANNEL_PUBLIC_URL", "https://bc.example:8443"));
    assertThat(c.publicUrl()).isEqualTo("https://bc.example:8443");
    assertThat(load(List.of("--public-url=http://localhost:8080"), Map.of()).publicUrl()).isEqualTo("http://localhost:8080");
  }

  @Test
  void badPublicUrlIsRefusedByName() {
    for (String bad : List.of("backchannel.example", "ftp://backchannel.example", "https://bc.example/?x=1", "https://")) {
      assertThatThrownBy(() -> load(List.of("--public-url=" + bad), Map.of()))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publicUrl");
    }
  }

  @Test
  void oidcIsFileOnly() {
    assertThatThrownBy(() -> load(List.of(), Map.of("BACKCHANNEL_OIDC", "https://login.example.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oidc").hasMessageContaining("config file");
    assertThatThrownBy(() -> load(List.of("--oidc=https://login.example.com"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oidc").hasMessageContaining("config file");
  }

  @Test
  void badOidcProvidersAreRefusedSayingWhich() throws IOException {
    Path duplicate = yaml("""
        oidc:
          - {name: company, issuer: "https://a.example", clientId: x}
          - {name: company, issuer: "https://b.example", clientId: y}
        """);
    assertThatThrownBy(() -> load(List.of("--config=" + duplicate), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique");
    Path badIssuer = yaml("""
        oidc:
          - {name: company, issuer: "login.example.com", clientId: x}
        """);
    assertThatThrownBy(() -> load(List.of("--config=" + badIssuer), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("company").hasMessageContaining("issuer");
    Path noName = yaml("""
        oidc:
          - {issuer: "https://a.example", clientId: x}
        """);
    assertThatThrownBy(() -> load(List.of("--config=" + noName), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    Path noClient = yaml("""
        oidc:
          - {name: company, issuer: "https://a.example"}
        """);
    assertThatThrownBy(() -> load(List.of("--config=" + noClient), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
    Path typo = yaml("""
        oidc:
          - {name: company, issuer: "https://a.example", clientId: x, clientSecert: y}
        """);
    assertThatThrownBy(() -> load(List.of("--config=" + typo), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientSecert");
  }

  /** Why the server did not start with {@code config}; fails the test when it did. */
  private static Throwable startFailure(Config config) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Backchannel.start(vertx, config).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("the server started");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (IllegalArgumentException e) {
      return e;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private Path yaml(String text) throws IOException {
    Path file = Files.createTempFile(dir, "backchannel", ".yaml");
    Files.writeString(file, text);
    return file;
  }
}
