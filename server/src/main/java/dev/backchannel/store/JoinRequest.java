package dev.backchannel.store;

/**
 * Who asks to join a room and what they bring; the store decides, in the same atomic step as the
 * join, whether that lets them in under the room's access mode at that moment.
 *
 * @param nick the nickname, null for an anonymous participant; ignored when the request names a
 *     participant who exists already (they keep theirs)
 * @param network the client address cut to its prefix ({@link dev.backchannel.model.Network})
 * @param codeHash SHA-256 (hex) of the room code they typed, or null; a {@code code} room needs
 *     the room's
 * @param inviteHash SHA-256 (hex) of the invitation they used, or null; an {@code invite} room
 *     needs one of its own, and it makes one participant however often it is used
 * @param signin SHA-256 (hex) of the (issuer, subject) a sign-in proved, or null; it makes one
 *     participant per person, in a room of any access mode (the sign-in began while it was
 *     {@code signin})
 */
public record JoinRequest(String nick, String network, String codeHash, String inviteHash, String signin) {

  public static JoinRequest open(String nick, String network) {
    return new JoinRequest(nick, network, null, null, null);
  }

  public static JoinRequest signedIn(String nick, String network, String signin) {
    return new JoinRequest(nick, network, null, null, signin);
  }
}
