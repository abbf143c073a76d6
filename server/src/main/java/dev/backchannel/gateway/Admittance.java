package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import dev.backchannel.store.Admission;
import dev.backchannel.store.JoinRequest;
import dev.backchannel.store.Refusals;
import io.vertx.core.Future;

/**
 * A join over HTTP (PROTOCOL.md v2, access): hands the store what the person brought, a room code
 * or an invitation (hashed; the store decides under the room's access mode, in one step with the
 * join), and counts wrong ones against the network they came from.
 */
final class Admittance {

  private final Gateway gateway;
  private final WrongGuesses wrong;

  Admittance(Gateway gateway) {
    this.gateway = gateway;
    this.wrong = gateway.wrongGuesses();
  }

  Future<Admission> admit(String slug, JsonNode req, String nick, String network) {
    String code = Requests.text(req, "code");
    String invite = Requests.text(req, "invite");
    boolean guessing = present(code) || present(invite);
    if (guessing && wrong.blocked(network)) {
      throw ErrorCode.RATE_LIMITED.failure("too many wrong codes from your network; try again in a minute");
    }
    JoinRequest request = new JoinRequest(nick, network, present(code) ? JoinCodes.hash(code) : null,
        present(invite) ? JoinCodes.hash(invite) : null, null);
    return gateway.store().join(slug, request).onFailure(e -> {
      if (e instanceof Failure f && f.code() == ErrorCode.FORBIDDEN && Refusals.wrongGuess(f.getMessage())) {
        wrong.wrong(network);
      }
    });
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }
}
