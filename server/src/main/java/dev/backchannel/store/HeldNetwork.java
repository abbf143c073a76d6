package dev.backchannel.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.backchannel.model.TwoDecimals;

/**
 * A (post, network) pair the hold test flagged, with what a moderator needs to decide about it
 * (DESIGN.md v2): the network only as a salted label and its family.
 *
 * @param raters the network's ratings of the post
 * @param referenceMean the mean the network was compared with; null when there was none
 * @param hold the factor its ratings count with now, 0 (held back) to 1
 * @param decision {@code released} or {@code confirmed} once a moderator decided, else null
 * @param venue whether the network is declared part of the venue
 * @param joinSpanSeconds seconds between the first and the last of its raters joining the room
 * @param ratedOtherPosts how many of its raters rated any other post of the room
 * @param scoreWith the post's score now
 * @param scoreWithout the post's score without this network's ratings
 * @param scoreReleased the post's score if a moderator released this network (capped, in full)
 */
public record HeldNetwork(
    String post,
    String network,
    String family,
    int raters,
    @JsonSerialize(using = TwoDecimals.class) double mean,
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonSerialize(using = TwoDecimals.class) Double referenceMean,
    @JsonSerialize(using = TwoDecimals.class) double z,
    @JsonSerialize(using = TwoDecimals.class) double hold,
    @JsonInclude(JsonInclude.Include.ALWAYS) String decision,
    boolean venue,
    @JsonSerialize(using = TwoDecimals.class) double joinSpanSeconds,
    int ratedOtherPosts,
    @JsonSerialize(using = TwoDecimals.class) double scoreWith,
    @JsonSerialize(using = TwoDecimals.class) double scoreWithout,
    @JsonSerialize(using = TwoDecimals.class) double scoreReleased) {}
