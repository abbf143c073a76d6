package dev.backchannel.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real OpenID Connect provider for tests, on a free port of 127.0.0.1: discovery, JWKS, an
 * authorization endpoint without a login form (it signs in whoever the test {@link #signInAs
 * named} at once) and a token endpoint that checks the client's secret, the code, the redirect URI
 * and the PKCE verifier before it answers an RS256-signed ID token. Tests can make it misbehave the
 * ways a hostile or broken provider would: another signing key, altered claims, a refusal, or no
 * answer at all.
 */
public final class OidcTestProvider implements AutoCloseable {

  public static final String CLIENT_ID = "backchannel-test";
  public static final String CLIENT_SECRET = "test-client-secret-0123";

  private final HttpServer server;
  private final String issuer;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final List<MultiMap> authorizeRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger discoveries = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();

  /** The key the JWKS publishes, and the one ID tokens are signed with: the same unless a test says otherwise. */
  private volatile SigningKey published = new SigningKey("k1", rsaKey());
  private volatile SigningKey signing = published;
  private volatile JsonObject user = new JsonObject().put("sub", "user-1").put("preferred_username", "ada");
  private volatile UnaryOperator<JsonObject> tamper = UnaryOperator.identity();
  private volatile String denial;
  private volatile boolean available = true;

  private OidcTestProvider(Vertx vertx) {
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    int port = TestServer.await(server.listen(0, "127.0.0.1")).actualPort();
    this.issuer = "http://127.0.0.1:" + port;
  }

  public static OidcTestProvider start(Vertx vertx) {
    return new OidcTestProvider(vertx);
  }

  public String issuer() {
    return issuer;
  }

  /** The config-file section naming this provider (and any others given as YAML list items). */
  public String yaml(String name) {
    return """
        oidc:
          - name: %s
            issuer: %s
            clientId: %s
            clientSecret: %s
        """.formatted(name, issuer, CLIENT_ID, CLIENT_SECRET);
  }

  /** Who the next authorizations sign in: {@code sub} and the other claims of {@code profile}. */
  public OidcTestProvider signInAs(String subject, JsonObject profile) {
    user = profile.copy().put("sub", subject);
    return this;
  }

  /** Changes each ID token's claims before it is signed (null: none). */
  public OidcTestProvider tamper(UnaryOperator<JsonObject> change) {
    tamper = change == null ? UnaryOperator.identity() : change;
    return this;
  }

  /** Signs ID tokens with a key the JWKS does not publish, under {@code kid} (the published key's for a forgery). */
  public OidcTestProvider signWithStrangerKey(String kid) {
    signing = new SigningKey(kid, rsaKey());
    return this;
  }

  /** Rotates to a new key, published under {@code kid} instead of the old one, as providers do now and then. */
  public OidcTestProvider rotateKey(String kid) {
    SigningKey fresh = new SigningKey(kid, rsaKey());
    published = fresh;
    signing = fresh;
    return this;
  }

  /** Back to behaving: the published key signs, no tampering, no denial, available, the default user. */
  public OidcTestProvider reset() {
    signing = published;
    tamper = UnaryOperator.identity();
    denial = null;
    available = true;
    user = new JsonObject().put("sub", "user-1").put("preferred_username", "ada");
    return this;
  }

  /** Answers the next authorizations with {@code error} instead of a code (null: sign in again). */
  public OidcTestProvider deny(String error) {
    denial = error;
    return this;
  }

  /** While false, every endpoint answers 503, as a provider that is down. */
  public OidcTestProvider available(boolean up) {
    available = up;
    return this;
  }

  /** The query of every authorization request so far. */
  public List<MultiMap> authorizeRequests() {
    return List.copyOf(authorizeRequests);
  }

  public int discoveries() {
    return discoveries.get();
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  private void handle(HttpServerRequest req) {
    if (!available) {
      req.response().setStatusCode(503).end();
      return;
    }
    switch (req.path()) {
      case "/.well-known/openid-configuration" -> discovery(req);
      case "/jwks" -> json(req, 200, jwks());
      case "/authorize" -> authorize(req);
      case "/token" -> req.setExpectMultipart(true).endHandler(v -> token(req));
      default -> req.response().setStatusCode(404).end();
    }
  }

  private void discovery(HttpServerRequest req) {
    discoveries.incrementAndGet();
    json(req, 200, new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", issuer + "/authorize")
        .put("token_endpoint", issuer + "/token")
        .put("jwks_uri", issuer + "/jwks")
        .put("response_types_supported", new JsonArray().add("code"))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
        .put("grant_types_supported", new JsonArray().add("authorization_code"))
        .put("code_challenge_methods_supported", new JsonArray().add("S256"))
        .put("token_endpoint_auth_methods_supported", new JsonArray().add("client_secret_basic").add("client_secret_post")));
  }

  private JsonObject jwks() {
    SigningKey key = published;
    RSAPublicKey pub = (RSAPublicKey) key.pair().getPublic();
    return new JsonObject().put("keys", new JsonArray().add(new JsonObject()
        .put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", key.kid())
        .put("n", unsigned(pub.getModulus())).put("e", unsigned(pub.getPublicExponent()))));
  }

  private void authorize(HttpServerRequest req) {
    MultiMap q = MultiMap.caseInsensitiveMultiMap().addAll(req.params());
    authorizeRequests.add(q);
    String redirect = q.get("redirect_uri");
    boolean wellFormed = "code".equals(q.get("response_type")) && CLIENT_ID.equals(q.get("client_id"))
        && redirect != null && q.get("state") != null && q.get("nonce") != null && q.get("code_challenge") != null
        && "S256".equals(q.get("code_challenge_method")) && q.get("scope") != null
        && List.of(q.get("scope").split(" ")).contains("openid");
    if (!wellFormed) {
      json(req, 400, new JsonObject().put("error", "invalid_request"));
      return;
    }
    String back;
    if (denial != null) {
      back = redirect + "?error=" + encode(denial) + "&state=" + encode(q.get("state"));
    } else {
      String code = "code-" + UUID.randomUUID();
      codes.put(code, new Grant(redirect, q.get("code_challenge"), q.get("nonce"), user.copy()));
      back = redirect + "?code=" + encode(code) + "&state=" + encode(q.get("state"));
    }
    req.response().setStatusCode(302).putHeader("Location", back).end();
  }

  private void token(HttpServerRequest req) {
    tokenRequests.incrementAndGet();
    MultiMap form = req.formAttributes();
    String clientId = form.get("client_id");
    String secret = form.get("client_secret");
    String basic = req.getHeader("Authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
      clientId = pair[0];
      secret = pair.length > 1 ? pair[1] : null;
    }
    if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(secret)) {
      json(req, 401, new JsonObject().put("error", "invalid_client"));
      return;
    }
    Grant grant = form.get("code") == null ? null : codes.remove(form.get("code")); // a code works once
    if (!"authorization_code".equals(form.get("grant_type")) || grant == null
        || !grant.redirectUri.equals(form.get("redirect_uri"))
        || form.get("code_verifier") == null || !grant.challenge.equals(s256(form.get("code_verifier")))) {
      json(req, 400, new JsonObject().put("error", "invalid_grant"));
      return;
    }
    long now = Instant.now().getEpochSecond();
    JsonObject claims = grant.user.copy().put("iss", issuer).put("aud", CLIENT_ID).put("iat", now)
        .put("exp", now + 300).put("nonce", grant.nonce);
    json(req, 200, new JsonObject()
        .put("access_token", "opaque-" + UUID.randomUUID())
        .put("token_type", "Bearer")
        .put("expires_in", 300)
        .put("id_token", sign(tamper.apply(claims))));
  }

  private String sign(JsonObject claims) {
    SigningKey key = signing;
    String header = b64(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", key.kid()).encode());
    String input = header + "." + b64(claims.encode());
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key.pair().getPrivate());
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsaKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    TestServer.await(server.close());
  }

  private record SigningKey(String kid, KeyPair pair) {}

  private record Grant(String redirectUri, String challenge, String nonce, JsonObject user) {}
}
