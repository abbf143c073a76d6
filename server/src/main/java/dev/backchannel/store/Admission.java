package dev.backchannel.store;

/** The participant a join gave: a new one ({@code created}) or the one an identity was bound to already. */
public record Admission(Participant participant, boolean created) {}
