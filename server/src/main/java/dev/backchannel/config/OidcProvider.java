package dev.backchannel.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An OpenID Connect provider rooms with {@code access: signin} may use (server configuration only:
 * organizers pick one by name, they never add their own).
 *
 * @param name how rooms refer to it; unique
 * @param issuer the provider's issuer URL; its discovery document is at
 *     {@code <issuer>/.well-known/openid-configuration}
 * @param clientId this server's client id at the provider
 * @param clientSecret this server's client secret there; null for a public client (PKCE alone)
 */
public record OidcProvider(String name, String issuer, String clientId, String clientSecret) {

  public OidcProvider {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("oidc: every provider needs a name");
    }
    if (issuer == null || !isHttpUrl(issuer)) {
      throw new IllegalArgumentException("oidc provider " + name + ": issuer must be an http(s) URL, got " + issuer);
    }
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("oidc provider " + name + ": clientId must be set");
    }
    // Discovery compares the configured issuer with the document's without its trailing slash.
    issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    clientSecret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
  }

  /** Whether {@code text} is an absolute http or https URL with a host and without query or fragment. */
  static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getRawQuery() == null && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Without the secret: configuration may end up in an error message or a debugger. */
  @Override
  public String toString() {
    return "OidcProvider[name=" + name + ", issuer=" + issuer + ", clientId=" + clientId
        + ", clientSecret=" + (clientSecret == null ? "none" : "(set)") + "]";
  }
}
