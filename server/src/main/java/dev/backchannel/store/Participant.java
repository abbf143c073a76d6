package dev.backchannel.store;

/** A participant of one room: nickname (null when anonymous), karma in that room, and whether banned. */
public record Participant(String id, String nick, double karma, boolean banned) {}
