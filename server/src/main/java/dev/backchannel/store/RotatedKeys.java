package dev.backchannel.store;

/**
 * New staff keys of a room: for each role its SHA-256 hash (to check a presented key) and the key
 * sealed with the server secret (to give the organizer the links again); both null for a role
 * whose key stays.
 */
public record RotatedKeys(byte[] speakerHash, String speakerSealed, byte[] moderatorHash, String moderatorSealed) {}
