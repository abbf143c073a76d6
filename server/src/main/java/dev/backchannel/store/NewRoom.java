package dev.backchannel.store;

/** A room to create, with the SHA-256 hashes of its keys (the store never sees a key itself). */
public record NewRoom(String slug, String hashtag, String title, byte[] speakerKeyHash, byte[] moderatorKeyHash) {}
