package dev.backchannel.store;

import dev.backchannel.model.Verification;

/**
 * A participant of one room: nickname (null when anonymous), karma in that room, whether banned,
 * and how they were verified when they joined (null: they joined an open room).
 */
public record Participant(String id, String nick, double karma, boolean banned, Verification verified) {}
