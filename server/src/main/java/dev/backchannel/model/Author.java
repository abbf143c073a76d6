package dev.backchannel.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** A post's author as the wire shows it: id, nickname (null when anonymous) and karma in this room. */
public record Author(String id, String nick, @JsonSerialize(using = TwoDecimals.class) double karma) {}
