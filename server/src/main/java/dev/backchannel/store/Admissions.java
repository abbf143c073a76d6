package dev.backchannel.store;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may join a room of the memory engine and who they became: the access check, the room's
 * invitations in the order issued, and which participant each invitation or signed-in person
 * became. Touched only on the room's owner loop.
 */
final class Admissions {

  /** What a join request proves under the room's access mode: how they were verified, what binds them. */
  record Admit(Verification verified, String identity) {}

  /** Sealed invitation by hash, in the order issued. */
  private final Map<String, String> invitations = new LinkedHashMap<>();
  /** Participant id by identity ({@code invite:<hash>} or {@code signin:<hash>}). */
  private final Map<String, String> bound = new HashMap<>();

  /** Whether {@code request} may join under {@code settings}; {@code forbidden} with the reason otherwise. */
  Admit admit(JoinRequest request, RoomSettings settings) {
    if (request.signin() != null) {
      return new Admit(Verification.SIGNIN, "signin:" + request.signin());
    }
    return switch (settings.access()) {
      case OPEN -> new Admit(null, null);
      case CODE -> {
        if (request.codeHash() == null) {
          throw ErrorCode.FORBIDDEN.failure(Refusals.CODE_MISSING);
        }
        if (settings.joinCodeHash() == null || !MessageDigest.isEqual(bytes(request.codeHash()),
            bytes(settings.joinCodeHash()))) {
          throw ErrorCode.FORBIDDEN.failure(Refusals.CODE_WRONG);
        }
        yield new Admit(Verification.CODE, null);
      }
      case INVITE -> {
        if (request.inviteHash() == null) {
          throw ErrorCode.FORBIDDEN.failure(Refusals.INVITE_MISSING);
        }
        if (!invitations.containsKey(request.inviteHash())) {
          throw ErrorCode.FORBIDDEN.failure(Refusals.INVITE_WRONG);
        }
        yield new Admit(Verification.INVITE, "invite:" + request.inviteHash());
      }
      case SIGNIN -> throw ErrorCode.FORBIDDEN.failure(Refusals.SIGNIN_ONLY);
    };
  }

  /** The participant this identity is bound to, or null. */
  String boundTo(String identity) {
    return identity == null ? null : bound.get(identity);
  }

  void bind(String identity, String participantId) {
    if (identity != null) {
      bound.put(identity, participantId);
    }
  }

  int invite(List<Invitation> added) {
    if (invitations.size() + added.size() > Invitation.LIMIT) {
      throw ErrorCode.INVALID.failure("a room holds at most " + Invitation.LIMIT + " invitations");
    }
    for (Invitation i : added) {
      if (invitations.containsKey(i.hash())) {
        throw ErrorCode.CONFLICT.failure("this invitation exists already");
      }
    }
    added.forEach(i -> invitations.put(i.hash(), i.sealed()));
    return invitations.size();
  }

  List<Invitation> invitations() {
    List<Invitation> out = new ArrayList<>(invitations.size());
    invitations.forEach((hash, sealed) -> out.add(new Invitation(hash, sealed, bound.get("invite:" + hash))));
    return out;
  }

  private static byte[] bytes(String hex) {
    return hex.getBytes(StandardCharsets.US_ASCII);
  }
}
